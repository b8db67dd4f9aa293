//go:build amd64 && (linux || darwin || freebsd || netbsd)

package downcall

import (
	"math"
	"os"
	"sync"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// frameHeader holds the Frame offsets for call_amd64.s.
const frameHeader = "frame_amd64.h"

var fixture struct {
	once sync.Once
	lib  uintptr
	err  error
}

// sym returns the address of name in testdata/fixture.c, compiled once per
// test binary with cc and opened with dlopen.
func sym(t testing.TB, name string) uintptr {
	t.Helper()
	src, err := os.ReadFile("testdata/fixture.c")
	if err != nil {
		t.Fatal(err)
	}
	so := ctest.SharedLib(t, string(src), "-O2")
	fixture.once.Do(func() {
		fixture.lib, fixture.err = purego.Dlopen(so, purego.RTLD_NOW|purego.RTLD_LOCAL)
	})
	if fixture.err != nil {
		t.Fatal(fixture.err)
	}
	addr, err := purego.Dlsym(fixture.lib, name)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func f64(x float64) uint64 { return math.Float64bits(x) }

// callers lists both entries; every test of plain C runs through each.
var callers = []struct {
	name string
	call func(*Frame)
}{
	{"Call", Call},
	{"CallLocal", func(f *Frame) { var c Frame = *f; CallLocal(&c); *f = c }},
	{"CallLeaf", func(f *Frame) { CallLeaf(f, nil) }},
}

func TestIntegerArgsOnStack(t *testing.T) {
	args := []int64{1, -2, 3, -4, 5, -6, 7, -8, 1 << 40, -(1 << 35)}
	var want int64
	for i, a := range args {
		want += a * int64(i+1)
	}
	for _, c := range callers {
		var f Frame
		f.Fn = sym(t, "weigh_longs")
		for i := range 6 {
			f.GPR[i] = uint64(args[i])
		}
		stack := make([]uint64, 4)
		for i := range stack {
			stack[i] = uint64(args[6+i])
		}
		setStack(&f, stack)
		c.call(&f)
		if got := int64(f.RetGPR[0]); got != want {
			t.Errorf("%s: weigh_longs = %d, want %d", c.name, got, want)
		}
	}
}

func TestFloatArgsOnStack(t *testing.T) {
	args := []float64{0.5, -1.25, 3, 4.75, -5, 6.5, 7, 8.125, 9.5, -10, 1e10}
	var want float64
	for i, a := range args {
		want += a * float64(i+1)
	}
	for _, c := range callers {
		var f Frame
		f.Fn = sym(t, "weigh_doubles")
		for i := range 8 {
			f.FPR[i] = f64(args[i])
		}
		stack := []uint64{f64(args[8]), f64(args[9]), f64(args[10])}
		setStack(&f, stack)
		c.call(&f)
		if got := math.Float64frombits(f.RetFPR[0]); got != want {
			t.Errorf("%s: weigh_doubles = %v, want %v", c.name, got, want)
		}
	}
}

func TestMixedOverflowBothFiles(t *testing.T) {
	// int a, double b, long c, double d, short e, double f, long g, double h,
	// long i, double k, long l, double m, double n, double o, double p, long q
	a, c, e, g, i, l, q := int32(-3), int64(1<<33), int16(-300), int64(44), int64(-55), int64(66), int64(77)
	b, d, ff, h, k, m, n, o, p := 1.5, 2.25, -3.5, 4.0, 5.5, 6.75, 7.125, -8.5, 9.25
	want := float64(a) - b + float64(c)*2 - d*2 + float64(e)*3 - ff*3 + float64(g)*4 - h*4 +
		float64(i)*5 - k*5 + float64(l)*6 - m*6 + n*7 - o*7 + p*8 - float64(q)*8
	for _, cl := range callers {
		var f Frame
		f.Fn = sym(t, "mixed")
		f.GPR = [6]uint64{uint64(int64(a)), uint64(c), uint64(int64(e)), uint64(g), uint64(i), uint64(l)}
		f.FPR = [8]uint64{f64(b), f64(d), f64(ff), f64(h), f64(k), f64(m), f64(n), f64(o)}
		// Stack in argument order: p (9th double), q (7th integer).
		stack := [2]uint64{f64(p), uint64(q)}
		f.Stack, f.NStack = &stack[0], uintptr(len(stack))
		cl.call(&f)
		if got := math.Float64frombits(f.RetFPR[0]); got != want {
			t.Errorf("%s: mixed = %v, want %v", cl.name, got, want)
		}
	}
}

func TestStackAlignment(t *testing.T) {
	for _, c := range callers {
		for n := range 9 {
			var f Frame
			f.Fn = sym(t, "stack_align")
			stack := make([]uint64, n)
			setStack(&f, stack)
			c.call(&f)
			if f.RetGPR[0] != 0 {
				t.Errorf("%s: %d stack words: rsp mod 16 = %d at the call", c.name, n, f.RetGPR[0])
			}
		}
	}
}

func TestVarargsAL(t *testing.T) {
	vals := []float64{1.5, 2.5, -3.25, 4, 5, 6, 7, 8, 9.5, 10.25}
	for _, c := range callers {
		for n := 0; n <= len(vals); n++ {
			var want float64
			for i := range n {
				want += vals[i] * float64(i+1)
			}
			var f Frame
			f.Fn = sym(t, "sum_varargs")
			f.GPR[0] = uint64(n)
			var stack []uint64
			for i := range n {
				if i < 8 {
					f.FPR[i] = f64(vals[i])
				} else {
					stack = append(stack, f64(vals[i]))
				}
			}
			f.AL = uint64(min(n, 8))
			setStack(&f, stack)
			c.call(&f)
			if got := math.Float64frombits(f.RetFPR[0]); got != want {
				t.Errorf("%s: sum_varargs(%d) = %v, want %v", c.name, n, got, want)
			}
		}
	}
}

func TestTwoRegisterResults(t *testing.T) {
	for _, c := range callers {
		var f Frame
		f.Fn = sym(t, "make_lpair")
		f.GPR[0], f.GPR[1] = uint64(1<<40+5), uint64(^uint64(0)-2) // -3
		c.call(&f)
		if a, b := int64(f.RetGPR[0]), int64(f.RetGPR[1]); a != (1<<40+5)*3 || b != -3-7 {
			t.Errorf("%s: make_lpair = {%d, %d}", c.name, a, b)
		}
		f = Frame{Fn: sym(t, "make_dpair")}
		f.FPR[0], f.FPR[1] = f64(10), f64(-3)
		c.call(&f)
		if a, b := math.Float64frombits(f.RetFPR[0]), math.Float64frombits(f.RetFPR[1]); a != 10.0/4 || b != -3*1.5 {
			t.Errorf("%s: make_dpair = {%v, %v}", c.name, a, b)
		}
	}
}

// grow recurses depth times with a large frame, forcing the goroutine's
// stack to grow (and so to be copied to a new address).
//
//go:noinline
func grow(depth int) int {
	var buf [1024]byte
	buf[depth%len(buf)] = byte(depth)
	if depth == 0 {
		return int(buf[0])
	}
	return grow(depth-1) + int(buf[depth%len(buf)]) - int(byte(depth)) + 1
}

var growCallback = sync.OnceValue(func() uintptr {
	return purego.NewCallback(func(x int64) int64 {
		return int64(grow(256)) + x // 256 KiB of frames
	})
})

// heapFrames keeps the Frames of the heap case reachable from a global, so
// they certainly live on the heap.
var heapFrames []*Frame

// movingCall runs one call of C function name(cb, arg) on a fresh goroutine
// (whose stack starts small): the Go callback cb grows the stack, so the
// goroutine's stack moves while C runs. mode picks the entry and where the
// Frame lives. It reports whether the stack moved, and the results.
func movingCall(t *testing.T, mode, name string, cb uintptr, gpr1, fpr0 uint64) (moved bool, ret Frame) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		var marker int
		before := uintptr(unsafe.Pointer(&marker))
		fn := sym(t, name)
		switch mode {
		case "Call", "CallLocal":
			var f Frame // stays on the stack: nothing makes it escape
			f.Fn = fn
			f.GPR[0], f.GPR[1], f.FPR[0] = uint64(cb), gpr1, fpr0
			if mode == "Call" {
				Call(&f)
			} else {
				CallLocal(&f)
			}
			ret = f
		case "Call/heap":
			f := new(Frame)
			heapFrames = append(heapFrames, f)
			f.Fn = fn
			f.GPR[0], f.GPR[1], f.FPR[0] = uint64(cb), gpr1, fpr0
			Call(f)
			ret = *f
		}
		moved = before != uintptr(unsafe.Pointer(&marker))
	}()
	<-done
	return moved, ret
}

// TestCallbackMovesStack calls C functions that call back into Go; the
// callback grows the goroutine stack, which moves a Frame living on that
// stack while C runs. The results must land in the moved Frame, and a
// Frame on the heap (Call only) must be written where it is.
func TestCallbackMovesStack(t *testing.T) {
	cb := growCallback()
	for _, mode := range []string{"Call", "CallLocal", "Call/heap"} {
		for i := range 3 {
			moved, f := movingCall(t, mode, "cb_lpair", cb, uint64(i+10), 0)
			if !moved {
				t.Errorf("%s: the stack did not move; the test proves nothing", mode)
			}
			r := int64(256 + i + 10)
			if a, b := int64(f.RetGPR[0]), int64(f.RetGPR[1]); a != r+1 || b != r*3 {
				t.Errorf("%s: cb_lpair = {%d, %d}, want {%d, %d}", mode, a, b, r+1, r*3)
			}
			x := float64(i) + 20.75
			moved, f = movingCall(t, mode, "cb_dpair", cb, 0, f64(x))
			if !moved {
				t.Errorf("%s: the stack did not move; the test proves nothing", mode)
			}
			rd := float64(256 + int64(x))
			if a, b := math.Float64frombits(f.RetFPR[0]), math.Float64frombits(f.RetFPR[1]); a != rd+0.5 || b != x*2 {
				t.Errorf("%s: cb_dpair = {%v, %v}, want {%v, %v}", mode, a, b, rd+0.5, x*2)
			}
		}
	}
}

func TestNoAllocs(t *testing.T) {
	add := sym(t, "add")
	var got1, got2, got3 int32
	allocs := testing.AllocsPerRun(1000, func() {
		var f Frame
		var stack [2]uint64
		f.Fn = add
		f.GPR[0], f.GPR[1] = 2, 3
		f.Stack, f.NStack = &stack[0], uintptr(len(stack))
		Call(&f)
		got1 = int32(f.RetGPR[0])
		f.GPR[0] = 4
		CallLeaf(&f, nil)
		got2 = int32(f.RetGPR[0])
		f.GPR[0] = 10
		CallLocal(&f)
		got3 = int32(f.RetGPR[0])
	})
	if allocs != 0 || got1 != 5 || got2 != 7 || got3 != 13 {
		t.Errorf("%v allocations per call, add = %d, %d, %d", allocs, got1, got2, got3)
	}
}

func BenchmarkCall(b *testing.B) {
	add := sym(b, "add")
	var f Frame
	for i := 0; b.Loop(); i++ {
		f.Fn = add
		f.GPR[0], f.GPR[1] = uint64(i), 1
		Call(&f)
	}
}

func BenchmarkCallLocal(b *testing.B) {
	add := sym(b, "add")
	for i := 0; b.Loop(); i++ {
		var f Frame
		f.Fn = add
		f.GPR[0], f.GPR[1] = uint64(i), 1
		CallLocal(&f)
	}
}

func BenchmarkCallLeaf(b *testing.B) {
	add := sym(b, "add")
	var f Frame
	for i := 0; b.Loop(); i++ {
		f.Fn = add
		f.GPR[0], f.GPR[1] = uint64(i), 1
		CallLeaf(&f, nil)
	}
}

func setStack(f *Frame, w []uint64) {
	if len(w) > 0 {
		f.Stack, f.NStack = &w[0], uintptr(len(w))
	}
}
