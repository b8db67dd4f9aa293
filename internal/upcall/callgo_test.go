//go:build amd64 || arm64

package upcall

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/seed5ca82032/ffi/internal/goabi"
)

type (
	blockArgs60 struct{ A [60]uint64 }
	blockRes26  struct {
		R [50]uint32
		S float64
	}
	blockArgs1000 struct{ A [1000]uint64 }
	blockArgs1100 struct{ A [1100]uint64 }
	blockRes3     struct{ R [3]int32 }
	blockPtr      struct {
		P    *int64
		Q    [2]*int64
		Pad  [20]int32
		Name string
	}
	blockPtrRes struct {
		P   *int64
		Sum [2]int64
	}
)

// deep recurses n frames of about 1 KB each, so that a goroutine stack
// grows (and moves) under the caller.
//
//go:noinline
func deep(n int) int64 {
	var pad [128]int64
	pad[n%128] = int64(n)
	if n == 0 {
		runtime.GC()
		return pad[0]
	}
	return deep(n-1) + pad[n%128]
}

// TestGeneralBlockClasses calls funcs whose blocks of stack-assigned
// arguments and results need each block class (callgo.go) through the
// general path, with every argument as a C caller places it on the stack,
// and checks the invoker picked and the results; a block larger than the
// largest class is refused (the reflection path takes it).
func TestGeneralBlockClasses(t *testing.T) {
	var a60 blockArgs60
	for i := range a60.A {
		a60.A[i] = uint64(i) * 0x1_0000_0001
	}
	var a1000 blockArgs1000
	for i := range a1000.A {
		a1000.A[i] = uint64(i * 3)
	}
	for _, c := range []struct {
		name string
		fn   any
		args []any
		want func(*binding, *cframe)
	}{
		{"8 words", func(p probeS3, q probeS4, x int64) probeR2 {
			return probeR2{R: [3]int32{int32(p.C[1]), int32(q.A[1]), p.D}, S: float32(x)}
		}, []any{probeS3{C: [3]byte{1, 2, 3}, D: -4}, probeS4{A: [2]int64{5, -6}}, int64(7)}, invokeBlock[[8]uint64]},
		{"32 words", func(p probeBig, x int32) probeR3 {
			return probeR3{A: byte(p.A[1]), B: byte(p.A[38]), D: int32(p.A[20]) + x}
		}, []any{probeBig{A: [40]uint32{1: 9, 20: 100, 38: 77}}, int32(-1)}, invokeBlock[[32]uint64]},
		{"128 words", func(p blockArgs60, x int32) blockRes26 {
			var r blockRes26
			for i := range r.R {
				r.R[i] = uint32(p.A[i]>>32) + uint32(x)
			}
			r.S = float64(p.A[59])
			return r
		}, []any{a60, int32(3)}, invokeBlock[[128]uint64]},
		{"1024 words", func(p blockArgs1000) blockRes3 {
			return blockRes3{R: [3]int32{int32(p.A[0]), int32(p.A[500]), int32(p.A[999])}}
		}, []any{a1000}, invokeBlock[[1024]uint64]},
	} {
		if !probeGeneral(c.fn, c.args, archGoInts, archGoFloats) {
			t.Errorf("%s: the general path's result differs from a direct call", c.name)
		}
		sh := generalShape(t, c.fn)
		if sh == nil {
			t.Errorf("%s: not compiled for the general path", c.name)
			continue
		}
		if reflect.ValueOf(sh.inv).Pointer() != reflect.ValueOf(c.want).Pointer() {
			t.Errorf("%s (%d block words): invoker %v, want %v", c.name, sh.blockWords, runtime.FuncForPC(reflect.ValueOf(sh.inv).Pointer()).Name(), runtime.FuncForPC(reflect.ValueOf(c.want).Pointer()).Name())
		}
	}
	if sh := generalShape(t, func(p blockArgs1100) int64 { return 0 }); sh != nil {
		t.Errorf("a block of 1100 words compiled for the general path (%d words)", sh.blockWords)
	}
}

// generalShape compiles fn's signature, every argument in memory, for the
// general path, or returns nil if it refuses it.
func generalShape(t *testing.T, fn any) *shape {
	t.Helper()
	ft := reflect.TypeOf(fn)
	sig, plan := memorySig(ft)
	gf, err := goabi.Assign(ft, goabi.Regs{Int: archGoInts, Float: archGoFloats})
	if err != nil {
		t.Fatal(err)
	}
	sh, ok := compileGeneral(sig, plan, gf, false)
	if !ok {
		return nil
	}
	return sh
}

// TestGeneralCallStackMoves runs a general call whose Go func grows the
// goroutine's stack (moving the invoker's block and callGo's frame) and
// collects garbage while its pointer arguments are only in the block and
// the C-side copy, and checks every argument and result: callGo must find
// its block again after the move, and the func's arguments must be
// scanned and adjusted as those of any Go call.
func TestGeneralCallStackMoves(t *testing.T) {
	done := make(chan struct{})
	go func() { // a fresh goroutine: a small stack that must grow
		defer close(done)
		x, y, z := new(int64), new(int64), new(int64)
		*x, *y, *z = 10, 20, 30
		fn := func(p blockPtr, n int32) blockPtrRes {
			d := deep(int(n))
			return blockPtrRes{P: p.Q[1], Sum: [2]int64{*p.P + *p.Q[0] + *p.Q[1] + int64(p.Pad[19]), d + int64(len(p.Name))}}
		}
		if !probeGeneral(fn, []any{blockPtr{P: x, Q: [2]*int64{y, z}, Pad: [20]int32{19: 4}, Name: "moved"}, int32(200)}, archGoInts, archGoFloats) {
			t.Error("a general call whose func moved the stack returned a different result than a direct call")
		}
	}()
	<-done
}
