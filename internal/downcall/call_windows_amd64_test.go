package downcall

import (
	"math"
	"sync"
	"syscall"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// frameHeader holds the Frame offsets for call_windows_amd64.s.
const frameHeader = "frame_win64.h"

// win64Src is compiled by MinGW, which follows the Microsoft x64
// convention: four slots shared by position between rcx rdx r8 r9 and
// xmm0..xmm3, then stack words above the 32-byte shadow space.
const win64Src = `
#include <stdint.h>
/* slot k is GPR k or XMM k: a in rcx, b in xmm1, c in r8, d in xmm3 */
double slots4(int a, double b, long long c, float d) { return a + 2 * b + 3 * c + 4 * d; }
/* ten mixed arguments: six on the stack at 32, 40, ... past the shadow space */
double mixed10(int a, double b, long long c, float d, char e, double f, unsigned short g, float h, long long i, double j) {
	return a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*g + 8*h + 9*i + 10*j;
}
/* -O0 code stores its register arguments into the caller's shadow space */
__attribute__((optimize("O0"))) long long spill(long long a, long long b, long long c, long long d) {
	volatile long long x = a;
	return x - b + c - d;
}
struct s24 { long long a, b, c; };
/* a 24-byte struct is passed by reference to a caller-made copy */
long long by_ref(int k, struct s24 s) { s.a *= k; return s.a + s.b + s.c; } /* s is the caller's copy */
int add(int a, int b) { return a + b; }
long long call_cb(long long (*cb)(long long), long long x) { return cb(x) + 1; }
double call_cbd(long long (*cb)(long long), double x) { return (double)cb((long long)x) + 0.5; }
`

var win64Lib struct {
	once sync.Once
	h    syscall.Handle
	err  error
}

// sym returns the address of name in win64Src compiled into a DLL.
func sym(t testing.TB, name string) uintptr {
	t.Helper()
	dll := ctest.SharedLib(t, win64Src, "-O2")
	win64Lib.once.Do(func() { win64Lib.h, win64Lib.err = syscall.LoadLibrary(dll) })
	if win64Lib.err != nil {
		t.Fatal(win64Lib.err)
	}
	addr, err := syscall.GetProcAddress(win64Lib.h, name)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

func f64(x float64) uint64 { return math.Float64bits(x) }

var callers = []struct {
	name string
	call func(*Frame)
}{
	{"Call", Call},
	{"CallLocal", CallLocal},
	{"CallLeaf", func(f *Frame) { CallLeaf(f, nil) }},
}

func TestPositionalSlots(t *testing.T) {
	for _, c := range callers {
		var f Frame
		f.Fn = sym(t, "slots4")
		f.GPR[0] = 0xdeadbeef_fffffff9 // -7 in the low 32 bits; the upper ones are not the int's
		f.FPR[1] = f64(1.25)
		f.GPR[2] = uint64(1 << 40)
		f.FPR[3] = uint64(math.Float32bits(0.5))
		c.call(&f)
		want := -7 + 2*1.25 + 3*float64(1<<40) + 4*0.5
		if got := math.Float64frombits(f.RetFPR[0]); got != want {
			t.Errorf("%s: slots4 = %v, want %v", c.name, got, want)
		}
	}
}

func TestStackWordsAboveShadowSpace(t *testing.T) {
	for _, c := range callers {
		var f Frame
		f.Fn = sym(t, "mixed10")
		f.GPR[0] = uint64(3)
		f.FPR[1] = f64(-1.5)
		f.GPR[2] = uint64(1 << 33)
		f.FPR[3] = uint64(math.Float32bits(2.25))
		stack := []uint64{0, 0, 0, 0, // shadow space
			0xfc, f64(0.125), 65535, uint64(math.Float32bits(-8)), uint64(1) << 50, f64(1e6)}
		f.Stack, f.NStack = &stack[0], uintptr(len(stack))
		c.call(&f)
		want := 3 + 2*-1.5 + 3*float64(1<<33) + 4*2.25 + 5*-4 + 6*0.125 + 7*65535 + 8*-8 + 9*float64(uint64(1)<<50) + 10*1e6
		if got := math.Float64frombits(f.RetFPR[0]); got != want {
			t.Errorf("%s: mixed10 = %v, want %v", c.name, got, want)
		}
	}
}

// TestShadowSpaceReserved calls code that writes its four register
// arguments into the shadow space, with no stack words given: the stub
// must reserve those 32 bytes itself.
func TestShadowSpaceReserved(t *testing.T) {
	for _, c := range callers {
		for i := range 100 {
			var f Frame
			f.Fn = sym(t, "spill")
			f.GPR = [4]uint64{uint64(i), 20, 300, 4000}
			c.call(&f)
			if got, want := int64(f.RetGPR[0]), int64(i-20+300-4000); got != want {
				t.Fatalf("%s: spill = %d, want %d", c.name, got, want)
			}
		}
	}
}

func TestStructByReference(t *testing.T) {
	type s24 struct{ A, B, C int64 }
	for _, c := range callers {
		s := &s24{5, 6, 7}
		var f Frame
		f.Fn = sym(t, "by_ref")
		f.GPR[0] = 3
		f.GPR[1] = uint64(uintptr(unsafe.Pointer(s)))
		c.call(&f)
		if got := int64(f.RetGPR[0]); got != 15+6+7 {
			t.Errorf("%s: by_ref = %d, want %d", c.name, got, 15+6+7)
		}
	}
}

// grown keeps grow's results, so that the calls are not optimized away.
var grown int

// grow uses n KiB of goroutine stack.
//
//go:noinline
func grow(n int) int {
	var buf [1024]byte
	buf[n%len(buf)] = byte(n)
	if n == 0 {
		return int(buf[0])
	}
	return grow(n-1) + int(buf[n%len(buf)])
}

// TestCallbackMovesStack has C call back into Go, where the goroutine
// stack grows (and so moves) while the Frame of a Call lives on it; the
// results must still reach the Frame.
func TestCallbackMovesStack(t *testing.T) {
	cb := syscall.NewCallback(func(x uintptr) uintptr {
		grown += grow(256)
		return x * 2
	})
	for _, call := range []func(*Frame){Call, CallLocal} {
		done := make(chan struct{})
		go func() { // a new goroutine: a small stack that must grow
			defer close(done)
			var marker byte
			before := uintptr(unsafe.Pointer(&marker))
			var f Frame
			f.Fn = sym(t, "call_cb")
			f.GPR[0], f.GPR[1] = uint64(cb), 20
			call(&f)
			if got := int64(f.RetGPR[0]); got != 41 {
				t.Errorf("call_cb = %d, want 41", got)
			}
			var g Frame
			g.Fn = sym(t, "call_cbd")
			g.GPR[0], g.FPR[1] = uint64(cb), f64(7)
			call(&g)
			if got := math.Float64frombits(g.RetFPR[0]); got != 14.5 {
				t.Errorf("call_cbd = %v, want 14.5", got)
			}
			if before == uintptr(unsafe.Pointer(&marker)) {
				t.Errorf("the stack did not move; the test proves nothing")
			}
		}()
		<-done
	}
}
