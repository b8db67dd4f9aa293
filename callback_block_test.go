package ffi_test

import (
	"runtime"
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// blockCallSrc calls a callback whose Go func takes structs, strings and
// scalars that Go's register ABI puts partly on the stack, and returns a
// struct that Go returns on the stack: the general invoker's block
// (callGo) carries both.
const blockCallSrc = `
struct s5 { long long v[5]; };
struct s12 { long long v[12]; };
typedef struct s12 (*bigcb)(struct s5 a, struct s5 b, const char *s, long long x0, long long x1, long long x2,
	long long x3, long long x4, long long x5, long long x6, long long x7, long long x8, long long k, double d, const char *t);
long long call_big(bigcb cb, long long k) {
	struct s5 a = {{k, k+1, k+2, k+3, k+4}}, b = {{-k, -k-1, -k-2, -k-3, -k-4}};
	struct s12 r = cb(a, b, "hello", 1, 2, 3, 4, 5, 6, 7, 8, 9, k, 0.5, "world!");
	long long s = 0;
	for (int i = 0; i < 12; i++) s += r.v[i] * (i + 1);
	return s;
}
`

type (
	blockS5    struct{ V [5]int64 }
	blockS12   struct{ V [12]int64 }
	blockPanic struct{ k int64 }
)

// TestCallbackBlockPanicsAndMoves: a callback with stack-assigned
// arguments and results (callGo's block), whose func collects garbage and
// grows its goroutine's stack (moving the invoker's block and callGo's
// frame) before it reads its arguments, returns the right struct; one that
// panics there unwinds to the Go caller of the C function, where recover
// sees the value, and the next call works.
func TestCallbackBlockPanicsAndMoves(t *testing.T) {
	lib, err := ffi.Open(ctest.SharedLib(t, blockCallSrc, "-O1"))
	if err != nil {
		t.Fatal(err)
	}
	s := ffi.NewScope()
	if err := s.Cdef("struct s5 { long long v[5]; }; struct s12 { long long v[12]; };"); err != nil {
		t.Fatal(err)
	}
	cb, err := s.NewCallback(`struct s12 (*)(struct s5 a, struct s5 b, const char *s, long long x0, long long x1, long long x2,
		long long x3, long long x4, long long x5, long long x6, long long x7, long long x8, long long k, double d, const char *t)`,
		func(a, b blockS5, str string, x0, x1, x2, x3, x4, x5, x6, x7, x8, k int64, d float64, tail string) blockS12 {
			runtime.GC()
			growStackBy(16)
			runtime.GC()
			if k%7 == 3 {
				panic(blockPanic{k})
			}
			var r blockS12
			r.V[0] = a.V[0] + a.V[4]
			r.V[1] = b.V[0] + b.V[4]
			r.V[2] = int64(len(str))*100 + int64(str[4])
			r.V[3] = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8
			r.V[4] = k
			r.V[5] = int64(d * 4)
			r.V[6] = int64(len(tail))*1000 + int64(tail[5])
			r.V[11] = 7
			return r
		})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	var callBig func(*ffi.Callback, int64) int64
	if err := lib.Bind(&callBig, "long long call_big(void *cb, long long k)"); err != nil {
		t.Fatal(err)
	}
	for k := int64(0); k < 20; k++ {
		var got int64
		var rec any
		onFreshGoroutine(func() { // a small stack, which the callback grows
			defer func() { rec = recover() }()
			got = callBig(cb, k)
		})
		if k%7 == 3 {
			if p, ok := rec.(blockPanic); !ok || p.k != k {
				t.Fatalf("k=%d: recovered %#v, want blockPanic{%d}", k, rec, k)
			}
			continue
		}
		want := (2*k+4)*1 + (-2*k-4)*2 + (500+'o')*3 + 45*4 + k*5 + 2*6 + (6000+'!')*7 + 7*12
		if rec != nil || got != want {
			t.Fatalf("k=%d: call_big = %d (panic %v), want %d", k, got, rec, want)
		}
	}
}
