package benchmarks

import (
	"testing"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// The C loops that call a callback n times; one benchmark iteration is one
// call from C into Go.
const loopSrc = `
#include <pthread.h>
struct vec { double x, y; };
long loop_ii(int (*cb)(int, int), int n) {
	long s = 0;
	for (int i = 0; i < n; i++) s += cb(i, 1);
	return s;
}
double loop_dd(double (*cb)(double, double), int n) {
	double s = 0;
	for (int i = 0; i < n; i++) s += cb((double)i, 0.5);
	return s;
}
double loop_vec(struct vec (*cb)(struct vec), int n) {
	struct vec v = {0, 0.5};
	for (int i = 0; i < n; i++) v = cb(v);
	return v.x + v.y;
}
long loop_mixed8(long (*cb)(int, double, long, float, char, short, void *, unsigned), int n) {
	long s = 0;
	for (int i = 0; i < n; i++) s += cb(i, 0.5, 2, 1.5f, 3, -4, (void *)16, 5u);
	return s;
}
struct thread_loop { int (*cb)(int, int); int n; long sum; };
static void *thread_main(void *p) {
	struct thread_loop *l = p;
	for (int i = 0; i < l->n; i++) l->sum += l->cb(i, 1);
	return 0;
}
long loop_thread_ii(int (*cb)(int, int), int n) {
	struct thread_loop l = {cb, n, 0};
	pthread_t t;
	if (pthread_create(&t, 0, thread_main, &l) != 0) return -1;
	pthread_join(t, 0);
	return l.sum;
}
`

// loopSym returns the address of the C loop name.
func loopSym(b *testing.B, name string) uintptr {
	h, err := ffi.Open(ctest.SharedLib(b, loopSrc, "-O2", "-pthread"))
	if err != nil {
		b.Fatal(err)
	}
	p, err := h.Sym(name)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func loops(b *testing.B) (ii, dd uintptr) {
	h, err := ffi.Open(ctest.SharedLib(b, loopSrc, "-O2", "-pthread"))
	if err != nil {
		b.Fatal(err)
	}
	if ii, err = h.Sym("loop_ii"); err != nil {
		b.Fatal(err)
	}
	if dd, err = h.Sym("loop_dd"); err != nil {
		b.Fatal(err)
	}
	return ii, dd
}

func wantII(n int) int64 { return int64(n) * int64(n+1) / 2 }

func BenchmarkCallbackIntInt(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		ii, _ := loops(b)
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, c int32) int32 { return a + c })
		if err != nil {
			b.Fatal(err)
		}
		defer cb.Free()
		b.ReportAllocs()
		b.ResetTimer()
		r, _, _ := purego.SyscallN(ii, cb.Ptr(), uintptr(b.N))
		b.StopTimer()
		if int64(r) != wantII(b.N) {
			b.Fatalf("sum %d, want %d", int64(r), wantII(b.N))
		}
	})
	b.Run("purego", func(b *testing.B) {
		ii, _ := loops(b)
		ptr := pureGoII()
		b.ReportAllocs()
		b.ResetTimer()
		r, _, _ := purego.SyscallN(ii, ptr, uintptr(b.N))
		b.StopTimer()
		if int64(r) != wantII(b.N) {
			b.Fatalf("sum %d, want %d", int64(r), wantII(b.N))
		}
	})
	benchCgoII(b)
}

func BenchmarkCallbackDoubleDouble(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		_, dd := loops(b)
		cb, err := ffi.NewCallback("double (*)(double, double)", func(a, c float64) float64 { return a + c })
		if err != nil {
			b.Fatal(err)
		}
		defer cb.Free()
		var loop func(uintptr, int32) float64
		purego.RegisterFunc(&loop, dd)
		b.ReportAllocs()
		b.ResetTimer()
		r := loop(cb.Ptr(), int32(b.N))
		b.StopTimer()
		if want := float64(b.N-1)*float64(b.N)/2 + 0.5*float64(b.N); r != want {
			b.Fatalf("sum %v, want %v", r, want)
		}
	})
	// purego.NewCallback cannot return floating-point values, so it has no
	// entry here.
	benchCgoDD(b)
}

var pureGoIIPtr uintptr

// pureGoII returns one purego callback for int(int, int); purego can make
// at most 2000 callbacks per process and never frees them, so it is shared.
func pureGoII() uintptr {
	if pureGoIIPtr == 0 {
		pureGoIIPtr = purego.NewCallback(func(a, c int32) int32 { return a + c })
	}
	return pureGoIIPtr
}

// vec is C's struct vec { double x, y; }.
type vec struct{ X, Y float64 }

// vecStep is the Go side of BenchmarkCallbackVec: (x, y) -> (y, x + 1).
func vecStep(v vec) vec { return vec{v.Y, v.X + 1} }

// wantVec is what loop_vec returns after n steps from (0, 0.5).
func wantVec(n int) float64 {
	v := vec{0, 0.5}
	for range n {
		v = vecStep(v)
	}
	return v.X + v.Y
}

// BenchmarkCallbackVec: a callback taking and returning a struct of two
// doubles by value. purego.NewCallback takes no struct arguments, so it has
// no row.
func BenchmarkCallbackVec(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		loop := loopSym(b, "loop_vec")
		if err := ffi.Cdef("struct bench_vec { double x, y; };"); err != nil {
			b.Fatal(err)
		}
		cb, err := ffi.NewCallback("struct bench_vec (*)(struct bench_vec)", vecStep)
		if err != nil {
			b.Fatal(err)
		}
		defer cb.Free()
		var run func(uintptr, int32) float64
		if err := ffi.Bind(&run, loop, "double (*)(void *, int)"); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		r := run(cb.Ptr(), int32(b.N))
		b.StopTimer()
		if want := wantVec(b.N); r != want {
			b.Fatalf("got %v, want %v", r, want)
		}
	})
	benchCgoVec(b)
}

// mixed8 is the Go side of BenchmarkCallbackMixed8.
func mixed8(a int32, d float64, l int64, f float32, c int8, s int16, p uintptr, u uint32) int64 {
	return int64(a) + int64(d*2) + l + int64(f*2) + int64(c) + int64(s) + int64(p) + int64(u)
}

func wantMixed8(n int) int64 { return int64(n-1)*int64(n)/2 + int64(n)*(1+2+3+3-4+16+5) }

// BenchmarkCallbackMixed8: a callback of eight mixed parameters (five
// integer-class of four sizes, a pointer, a float and a double).
func BenchmarkCallbackMixed8(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		loop := loopSym(b, "loop_mixed8")
		cb, err := ffi.NewCallback("long (*)(int, double, long, float, char, short, void *, unsigned)", mixed8)
		if err != nil {
			b.Fatal(err)
		}
		defer cb.Free()
		b.ReportAllocs()
		b.ResetTimer()
		r, _, _ := purego.SyscallN(loop, cb.Ptr(), uintptr(b.N))
		b.StopTimer()
		if int64(r) != wantMixed8(b.N) {
			b.Fatalf("sum %d, want %d", int64(r), wantMixed8(b.N))
		}
	})
	b.Run("purego", func(b *testing.B) {
		loop := loopSym(b, "loop_mixed8")
		ptr := pureGoMixed8()
		b.ReportAllocs()
		b.ResetTimer()
		r, _, _ := purego.SyscallN(loop, ptr, uintptr(b.N))
		b.StopTimer()
		if int64(r) != wantMixed8(b.N) {
			b.Fatalf("sum %d, want %d", int64(r), wantMixed8(b.N))
		}
	})
	benchCgoMixed8(b)
}

var pureGoMixed8Ptr uintptr

func pureGoMixed8() uintptr {
	if pureGoMixed8Ptr == 0 {
		pureGoMixed8Ptr = purego.NewCallback(mixed8)
	}
	return pureGoMixed8Ptr
}

// BenchmarkCallbackThread: int(int, int) called from a thread that C
// created (pthread_create), so every call enters Go on a thread the Go
// runtime did not start. One iteration is one call; the thread's creation
// is included once per run.
func BenchmarkCallbackThread(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		loop := loopSym(b, "loop_thread_ii")
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, c int32) int32 { return a + c })
		if err != nil {
			b.Fatal(err)
		}
		defer cb.Free()
		b.ReportAllocs()
		b.ResetTimer()
		r, _, _ := purego.SyscallN(loop, cb.Ptr(), uintptr(b.N))
		b.StopTimer()
		if int64(r) != wantII(b.N) {
			b.Fatalf("sum %d, want %d", int64(r), wantII(b.N))
		}
	})
	b.Run("purego", func(b *testing.B) {
		loop := loopSym(b, "loop_thread_ii")
		ptr := pureGoII()
		b.ReportAllocs()
		b.ResetTimer()
		r, _, _ := purego.SyscallN(loop, ptr, uintptr(b.N))
		b.StopTimer()
		if int64(r) != wantII(b.N) {
			b.Fatalf("sum %d, want %d", int64(r), wantII(b.N))
		}
	})
	benchCgoThread(b)
}
