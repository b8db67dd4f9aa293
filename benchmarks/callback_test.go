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
`

func loops(b *testing.B) (ii, dd uintptr) {
	h, err := ffi.Open(ctest.SharedLib(b, loopSrc, "-O2"))
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
