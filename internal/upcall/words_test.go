//go:build amd64 || arm64

package upcall

import (
	"math"
	"runtime"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
)

type words3 struct{ A, B, C int64 }

// TestWordMoves checks which general shapes (past the small call's
// registers) fill their arguments as whole words (wordMoves, fillWords)
// and that, for those, fillWords puts every word where fill does, from a
// frame and a C stack of distinct words. The long12 shape also runs
// through dispatch. The root package's conformance tests check such
// shapes against C.
func TestWordMoves(t *testing.T) {
	if !fastPathOK {
		t.Skip("the general path is off: its start-up check failed")
	}
	sysV := runtime.GOARCH == "amd64" && runtime.GOOS != "windows"
	for _, c := range []struct {
		name, decl string
		fn         any
		words      bool
	}{
		{"12 longs", "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g, h, i, j, k, l int64) int64 {
				return a + b + c + d + e + f + g + h + i + j + k + l
			}, true},
		{"20 doubles", "double (*)(double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double)",
			func(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, u float64) float64 { return a + u }, true},
		{"pointers, longs and doubles", "void *(*)(void *, long long, double, void *, long long, double, long long, long long, long long, long long, long long, double)",
			func(a unsafe.Pointer, b int64, c float64, d unsafe.Pointer, e int64, f float64, g, h, i, j, k int64, l float64) unsafe.Pointer {
				return a
			}, true},
		{"a struct of three long longs and nine more", "long long (*)(struct { long long a, b, c; }, long long, long long, long long, long long, long long, long long, long long, long long, long long)",
			// By reference on Microsoft x64 and AAPCS64 (larger than 16 bytes).
			func(s words3, a, b, c, d, e, f, g, h, i int64) int64 { return s.A + s.C + i }, sysV},
		{"12 ints (extended)", "int (*)(int, int, int, int, int, int, int, int, int, int, int, int)",
			func(a, b, c, d, e, f, g, h, i, j, k, l int32) int32 { return a + l }, false},
		{"11 longs and a string", "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, const char *)",
			func(a, b, c, d, e, f, g, h, i, j, k int64, s string) int64 { return a + int64(len(s)) }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cb := newTestSlot(t, c.decl, c.fn)
			defer cb.Free()
			sh := cb.rec.b.Load().shape
			if sh == nil || sh.inv == nil {
				t.Fatal("no invoker")
			}
			if got := sh.words != nil; got != c.words {
				t.Fatalf("whole-word moves: %v, want %v", got, c.words)
			}
			if !c.words {
				return
			}
			// Every shape here returns one 8-byte scalar in a register.
			if sh.words.results == nil {
				t.Error("the result is not stored as a whole word")
			}
			var stack [32]uint64
			f := &cframe{stackArgs: unsafe.Pointer(&stack)}
			for i := range f.gpr {
				f.gpr[i] = 0x1000 + uint64(i)
			}
			for i := range f.fpr {
				f.fpr[i] = math.Float64bits(float64(i) + 0.5)
			}
			for i := range stack {
				stack[i] = 0x2000 + uint64(i)
			}
			var r1, r2 [goRegsN]uint64
			var b1, b2 [32]uint64
			var keep strKeep
			sh.fill(f, r1[:], unsafe.Pointer(&b1), &keep)
			sh.fillWords(f, r2[:], unsafe.Pointer(&b2))
			if r1 != r2 || b1 != b2 {
				t.Errorf("fillWords: registers %#x, block %#x\nfill:      registers %#x, block %#x", r2, b2, r1, b1)
			}
		})
	}
}

// TestWordMovesCall runs the 12-long shape through dispatch from a frame
// as the entry builds it: four to eight arguments in registers, the rest
// on the C stack, and three of them on Go's stack.
func TestWordMovesCall(t *testing.T) {
	var got [12]int64
	cb := newTestSlot(t, "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long)",
		func(a, b, c, d, e, f, g, h, i, j, k, l int64) int64 {
			got = [12]int64{a, b, c, d, e, f, g, h, i, j, k, l}
			return a - l
		})
	defer cb.Free()
	var stack [16]uint64
	f := &cframe{slot: uint64(cb.ID), state: *cb.rec.state, stackArgs: unsafe.Pointer(&stack)}
	// Place each argument where the C ABI's plan (checked against the C
	// compiler elsewhere) puts it.
	var want [12]int64
	for i, v := range cb.rec.b.Load().shape.plan.Args {
		want[i] = int64(100*i) - 7
		switch p := v.Parts[0]; p.Loc {
		case abi.GPR:
			f.gpr[p.Index] = uint64(want[i])
		case abi.Stack:
			stack[p.Index/8] = uint64(want[i])
		default:
			t.Fatalf("argument %d placed in %v", i, p.Loc)
		}
	}
	dispatch(unsafe.Pointer(f))
	if got != want {
		t.Errorf("the Go func got %d, want %d", got, want)
	}
	if r := int64(f.retGPR[0]); r != want[0]-want[11] {
		t.Errorf("result %d, want %d", r, want[0]-want[11])
	}
}
