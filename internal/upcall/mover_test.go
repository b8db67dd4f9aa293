//go:build amd64 || arm64

package upcall

import (
	"fmt"
	"io"
	"math"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
)

// TestMovers checks which general shapes get compiled movers (mover.go)
// on each ABI and that, for those, a call through the movers gives the Go
// func exactly the arguments, and the frame exactly the result, that the
// general invoker's Go moves (fill, callGo) give (the C bytes of it), from a frame and a C
// stack of distinct words whose low halves have the sign bit set (so that
// every 32-bit extension shows). The root package's conformance tests
// check such shapes against C.
func TestMovers(t *testing.T) {
	if !fastPathOK {
		t.Skip("the general path is off: its start-up check failed")
	}
	if !moversOK() {
		t.Fatal("the start-up probe of movers (moversOK) failed")
	}
	sysV := runtime.GOARCH == "amd64" && runtime.GOOS != "windows"
	var got string
	rec := func(args ...any) { got = fmt.Sprint(args...) }
	for _, c := range []struct {
		name, decl string
		fn         any
		movers     bool
	}{
		{"12 longs", "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g, h, i, j, k, l int64) int64 {
				rec(a, b, c, d, e, f, g, h, i, j, k, l)
				return a - l
			}, true},
		{"20 doubles", "double (*)(double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double)",
			func(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, u float64) float64 {
				rec(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, u)
				return a*2 + u
			}, true},
		// Go stack words of 4 bytes on amd64 (9 integer registers); on
		// arm64 all twelve are in registers.
		{"12 ints", "int (*)(int, int, int, int, int, int, int, int, int, int, int, int)",
			func(a, b, c, d, e, f, g, h, i, j, k, l int32) int32 {
				rec(a, b, c, d, e, f, g, h, i, j, k, l)
				return a + l
			}, true},
		{"chars and shorts of both signs, some on Go's stack", "short (*)(signed char, unsigned char, short, unsigned short, signed char, unsigned char, short, unsigned short, signed char, unsigned char, short, unsigned short, signed char, unsigned char)",
			func(a int8, b uint8, c int16, d uint16, e int8, f uint8, g int16, h uint16, i int8, j uint8, k int16, l uint16, m int8, n uint8) int16 {
				rec(a, b, c, d, e, f, g, h, i, j, k, l, m, n)
				return int16(a) - k
			}, true},
		{"unsigned char result", "unsigned char (*)(long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g int64) uint8 { rec(a, b, c, d, e, f, g); return uint8(a) }, true},
		{"struct of two ints result", "struct { int a, b; } (*)(long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g int64) struct{ A, B int32 } {
				rec(a, b, c, d, e, f, g)
				return struct{ A, B int32 }{int32(a), int32(g)}
			}, true},
		{"struct of two floats result", "struct { float x, y; } (*)(double, double, double, double, double)",
			func(a, b, c, d, e float64) struct{ X, Y float32 } {
				rec(a, b, c, d, e)
				return struct{ X, Y float32 }{float32(a), float32(e)}
			}, true},
		{"ints, unsigneds, floats and doubles", "double (*)(int, unsigned, double, float, long long, void *, int, double, float, unsigned long long, double, float, int, unsigned)",
			func(a int32, b uint32, c float64, d float32, e int64, f unsafe.Pointer, g int32, h float64, i float32, j uint64, k float64, l float32, m int32, n uint32) float64 {
				rec(a, b, c, d, e, uintptr(f), g, h, i, j, k, l, m, n)
				return c + float64(a)
			}, true},
		{"pointer result, 8 pointers and 4 doubles", "void *(*)(void *, void *, void *, void *, void *, void *, void *, void *, double, double, double, double, double)",
			func(a, b, c, d, e, f, g, h unsafe.Pointer, i, j, k, l, m float64) unsafe.Pointer {
				rec(uintptr(a), uintptr(b), uintptr(c), uintptr(d), uintptr(e), uintptr(f), uintptr(g), uintptr(h), i, j, k, l, m)
				return h
			}, true},
		{"float result, 6 floats", "float (*)(float, float, float, float, float, float)",
			func(a, b, c, d, e, f float32) float32 { rec(a, b, c, d, e, f); return a - f }, true},
		{"unsigned result, 7 longs", "unsigned (*)(long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g int64) uint32 { rec(a, b, c, d, e, f, g); return uint32(a - g) }, true},
		{"void result", "void (*)(long long, long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g, h int64) { rec(a, b, c, d, e, f, g, h) }, true},
		{"a char among longs", "long long (*)(long long, long long, long long, long long, long long, long long, char)",
			func(a, b, c, d, e, f int64, g int8) int64 { rec(a, b, c, d, e, f, g); return a }, true},
		{"bool result", "_Bool (*)(long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g int64) bool { rec(a, b, c, d, e, f, g); return a < 0 }, true},
		// System V copies the struct onto the C stack; Microsoft x64 and
		// AAPCS64 pass its address (not plain: a read through a pointer).
		{"a struct of five longs", "long long (*)(struct { long long a, b, c, d, e; }, long long, long long, long long, long long, long long, long long)",
			func(s struct{ A, B, C, D, E int64 }, a, b, c, d, e, f int64) int64 {
				rec(s, a, b, c, d, e, f)
				return s.E
			}, sysV},
		// Not plain: a string.
		{"a string", "long long (*)(long long, long long, long long, long long, long long, long long, const char *)",
			func(a, b, c, d, e, f int64, s string) int64 { rec(a, b, c, d, e, f, s); return a }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			cb := newTestSlot(t, c.decl, c.fn)
			defer cb.Free()
			b := cb.rec.b.Load()
			sh := b.shape
			if has := sh.moverIn != 0; has != c.movers {
				t.Fatalf("movers: %v, want %v", has, c.movers)
			}
			if !c.movers {
				return
			}
			var stack [32]uint64
			frame := func() *cframe {
				f := &cframe{slot: uint64(cb.ID), state: *cb.rec.state, stackArgs: unsafe.Pointer(&stack)}
				for i := range f.gpr {
					f.gpr[i] = 0xa5a5a5a580000000 | uint64(i)<<4
				}
				for i := range f.fpr {
					f.fpr[i] = math.Float64bits(float64(i)+0.5) | 0x80000000
				}
				for i := range stack {
					stack[i] = 0x5a5a5a5af0000000 | uint64(i)<<4
				}
				return f
			}
			f1 := frame()
			dispatch(unsafe.Pointer(f1))
			viaMovers := got
			got = ""
			f2 := frame()
			generalInvoker(int(sh.blockWords))(b, f2)
			if viaMovers != got {
				t.Errorf("the Go func got, through the movers:\n%s\nthrough the Go moves:\n%s", viaMovers, got)
			}
			// C reads only the low 32 bits of a 32-bit result, which the
			// movers store whole and the Go moves extend.
			mask := ^uint64(0)
			if r := sh.sig.Result; r != nil && r.Size == 4 {
				mask = 0xffffffff
			}
			for i := range f1.retGPR {
				f1.retGPR[i] &= mask
				f2.retGPR[i] &= mask
			}
			for i := range f1.retFPR {
				f1.retFPR[i] &= mask
				f2.retFPR[i] &= mask
			}
			if f1.retGPR != f2.retGPR || f1.retFPR != f2.retFPR {
				t.Errorf("results through the movers %#x %#x, through the Go moves %#x %#x", f1.retGPR, f1.retFPR, f2.retGPR, f2.retFPR)
			}
			if viaMovers == "" {
				t.Error("the Go func did not run")
			}
		})
	}
}

// TestMoversUnderSignals calls a shape with movers in a loop while the
// CPU profiler's signals and the garbage collector's preemption requests
// keep arriving, so that some land while the program counter is in a
// mover, code without Go metadata: the profiler's traceback and the
// preemption check must treat it as foreign code (neither may throw), and
// every call must still deliver its arguments, including the pointers on
// Go's stack, which the collector scans through the Go func's own
// argument maps.
func TestMoversUnderSignals(t *testing.T) {
	if !moversOK() {
		t.Fatal("the start-up probe of movers (moversOK) failed")
	}
	objs := make([]*[4]uint64, 12)
	for i := range objs {
		objs[i] = &[4]uint64{uint64(i), uint64(i) * 3}
	}
	bad := 0
	cb := newTestSlot(t, "long long (*)(void *, void *, void *, void *, void *, void *, void *, void *, void *, void *, void *, void *)",
		func(a, b, c, d, e, f, g, h, i, j, k, l *[4]uint64) int64 {
			for n, p := range [...]*[4]uint64{a, b, c, d, e, f, g, h, i, j, k, l} {
				if p != objs[n] || p[1] != uint64(n)*3 {
					bad++
				}
			}
			return int64(a[0] + l[0])
		})
	defer cb.Free()
	sh := cb.rec.b.Load().shape
	if sh.moverIn == 0 {
		t.Fatal("the shape has no movers")
	}
	var stack [32]uint64 // Microsoft x64's start after the 32-byte shadow area
	fr := &cframe{slot: uint64(cb.ID), state: *cb.rec.state, stackArgs: unsafe.Pointer(&stack)}
	for n, v := range sh.plan.Args {
		w := uint64(uintptr(unsafe.Pointer(objs[n])))
		switch p := v.Parts[0]; p.Loc {
		case abi.GPR:
			fr.gpr[p.Index] = w
		case abi.Stack:
			stack[p.Index/8] = w
		default:
			t.Fatalf("argument %d placed in %v", n, p.Loc)
		}
	}
	if err := pprof.StartCPUProfile(io.Discard); err != nil {
		t.Fatal(err)
	}
	defer pprof.StopCPUProfile()
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			default:
				runtime.GC()
			}
		}
	}()
	d := 400 * time.Millisecond
	if testing.Short() {
		d = 100 * time.Millisecond
	}
	calls := 0
	for start := time.Now(); time.Since(start) < d; {
		for range 1000 {
			dispatch(unsafe.Pointer(fr))
			if fr.retGPR[0] != 11 {
				t.Fatalf("call %d: result %d, want 11", calls, fr.retGPR[0])
			}
			calls++
		}
	}
	close(done)
	runtime.KeepAlive(&stack)
	if bad != 0 {
		t.Errorf("%d of %d pointer arguments wrong in %d calls", bad, 12*calls, calls)
	}
}

// TestLong12Call runs the 12-long shape through dispatch (and its
// movers) from a frame as the entry builds it: four to eight arguments in
// registers, the rest on the C stack, and three of them on Go's stack.
func TestLong12Call(t *testing.T) {
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

// TestMoversShared: callbacks of one shape made from separate protos (as
// from separate Scopes, which drop their protos with them) run the same
// placed mover code; a different shape gets other code. Each shape placing
// its own copy would take executable memory (and, on Linux, a memfd per
// 64 KB) for every fresh Scope's callback, for the life of the process.
func TestMoversShared(t *testing.T) {
	if !moversOK() {
		t.Skip("movers are off on this toolchain")
	}
	const decl = "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long)"
	fn := func(a, b, c, d, e, f, g, h, i, j int64) int64 { return a + j }
	var in, out uintptr
	for i := range 100 {
		cb := newTestSlot(t, decl, fn)
		sh := cb.rec.b.Load().shape
		cb.Free()
		if sh.moverIn == 0 {
			t.Fatalf("callback %d: no movers for %s", i, decl)
		}
		if i == 0 {
			in, out = sh.moverIn, sh.moverOut
		} else if sh.moverIn != in || sh.moverOut != out {
			t.Fatalf("callback %d: movers at %#x/%#x, the first callback's at %#x/%#x", i, sh.moverIn, sh.moverOut, in, out)
		}
	}
	cb := newTestSlot(t, "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, double)", func(a, b, c, d, e, f, g, h, i int64, j float64) int64 { return a })
	defer cb.Free()
	if sh := cb.rec.b.Load().shape; sh.moverIn == in {
		t.Errorf("another shape runs the same mover code at %#x", in)
	}
}
