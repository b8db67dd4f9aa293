package benchmarks

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// The C loops that call a callback n times; one benchmark iteration is one
// call from C into Go. They use long long, not long, which is 32 bits on
// Windows (LLP64): the same code as long on Linux and macOS.
const loopSrc = `
#include <pthread.h>
struct vec { double x, y; };
long long loop_ii(int (*cb)(int, int), int n) {
	long long s = 0;
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
long long loop_mixed8(long long (*cb)(int, double, long long, float, char, short, void *, unsigned), int n) {
	long long s = 0;
	for (int i = 0; i < n; i++) s += cb(i, 0.5, 2, 1.5f, 3, -4, (void *)16, 5u);
	return s;
}
typedef long long (*long12_t)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long);
long long loop_long12(long12_t cb, int n) {
	long long s = 0;
	for (int i = 0; i < n; i++) s += cb(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
	return s;
}
struct thread_loop { int (*cb)(int, int); int n; long long sum; };
static void *thread_main(void *p) {
	struct thread_loop *l = p;
	for (int i = 0; i < l->n; i++) l->sum += l->cb(i, 1);
	return 0;
}
long long loop_thread_ii(int (*cb)(int, int), int n) {
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

// sumLoop is the timed part of a callback benchmark: the C loop name calls
// the function pointer ptr b.N times and returns the sum of the results,
// which is checked against want.
func sumLoop(b *testing.B, name string, ptr uintptr, want func(int) int64) {
	loop := loopSym(b, name)
	b.ReportAllocs()
	b.ResetTimer()
	r, _, _ := purego.SyscallN(loop, ptr, uintptr(b.N))
	b.StopTimer()
	if int64(r) != want(b.N) {
		b.Fatalf("sum %d, want %d", int64(r), want(b.N))
	}
}

// newCallback makes an ffi callback that b frees when it ends.
func newCallback(b *testing.B, decl string, fn any) *ffi.Callback {
	cb, err := ffi.NewCallback(decl, fn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cb.Free() })
	return cb
}

func wantII(n int) int64 { return int64(n) * int64(n+1) / 2 }

func BenchmarkCallbackIntInt(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		cb := newCallback(b, "int (*)(int, int)", func(a, c int32) int32 { return a + c })
		sumLoop(b, "loop_ii", cb.Ptr(), wantII)
	})
	b.Run("purego", func(b *testing.B) { sumLoop(b, "loop_ii", pureGo(b, "ii", addII), wantII) })
	benchCgoII(b)
}

func BenchmarkCallbackDoubleDouble(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		cb := newCallback(b, "double (*)(double, double)", func(a, c float64) float64 { return a + c })
		var loop func(uintptr, int32) float64
		purego.RegisterFunc(&loop, loopSym(b, "loop_dd"))
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
		cb := newCallback(b, "long long (*)(int, double, long long, float, char, short, void *, unsigned)", mixed8)
		sumLoop(b, "loop_mixed8", cb.Ptr(), wantMixed8)
	})
	b.Run("purego", func(b *testing.B) { sumLoop(b, "loop_mixed8", pureGo(b, "mixed8", mixed8), wantMixed8) })
	benchCgoMixed8(b)
}

// long12 is the Go side of BenchmarkCallbackLong12.
func long12(a, b, c, d, e, f, g, h, i, j, k, l int64) int64 {
	return a + b + c + d + e + f + g + h + i + j + k + l
}

func wantLong12(n int) int64 { return int64(n-1)*int64(n)/2 + int64(n)*66 }

// BenchmarkCallbackLong12: a callback of twelve long parameters, six of
// them on the C stack (System V) and three on the Go stack (Go's register
// ABI has nine integer registers), so that the cost per argument shows.
func BenchmarkCallbackLong12(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		cb := newCallback(b, "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long)", long12)
		sumLoop(b, "loop_long12", cb.Ptr(), wantLong12)
	})
	b.Run("purego", func(b *testing.B) { sumLoop(b, "loop_long12", pureGo(b, "long12", long12), wantLong12) })
	benchCgoLong12(b)
}

// BenchmarkCallbackThread: int(int, int) called from a thread that C
// created (pthread_create), so every call enters Go on a thread the Go
// runtime did not start. One iteration is one call; the thread's creation
// is included once per run.
func BenchmarkCallbackThread(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		cb := newCallback(b, "int (*)(int, int)", func(a, c int32) int32 { return a + c })
		sumLoop(b, "loop_thread_ii", cb.Ptr(), wantII)
	})
	b.Run("purego", func(b *testing.B) { sumLoop(b, "loop_thread_ii", pureGo(b, "ii", addII), wantII) })
	benchCgoThread(b)
}

// addII is the Go side of the int(int, int) callback benchmarks.
func addII(a, c int32) int32 { return a + c }

// pureGoCallbacks holds the purego callbacks made so far, by name: purego
// can make at most 2000 callbacks per process and never frees them, so
// each benchmark's is made once and shared by its runs.
var pureGoCallbacks = map[string]uintptr{}

// pureGo returns the purego callback of fn, made once under name. On
// Windows, purego's callbacks are the runtime's syscall.NewCallback, which
// takes only integer arguments and results of a whole word: a benchmark of
// another shape has no purego row there, and b is skipped saying so.
func pureGo(b *testing.B, name string, fn any) uintptr {
	if runtime.GOOS == "windows" && !wordsOnly(reflect.TypeOf(fn)) {
		b.Skip("purego's callbacks on Windows (syscall.NewCallback) take only integer arguments and results of a whole word")
	}
	p, ok := pureGoCallbacks[name]
	if !ok {
		p = purego.NewCallback(fn)
		pureGoCallbacks[name] = p
	}
	return p
}

// wordsOnly reports whether every parameter and the one result of func
// type ft are word-sized integers or pointers.
func wordsOnly(ft reflect.Type) bool {
	word := func(t reflect.Type) bool {
		switch t.Kind() {
		case reflect.Int, reflect.Int64, reflect.Uint, reflect.Uint64, reflect.Uintptr, reflect.Pointer, reflect.UnsafePointer:
			return true
		}
		return false
	}
	for i := range ft.NumIn() {
		if !word(ft.In(i)) {
			return false
		}
	}
	return ft.NumOut() == 1 && word(ft.Out(0))
}
