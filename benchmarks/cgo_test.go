//go:build cgo

package benchmarks

import (
	"testing"

	"github.com/seed5ca82032/ffi/benchmarks/cgoexport"
)

// benchCgoII is the cgo reference point: a C loop calling an //export'ed Go
// int(int, int) function.
func benchCgoII(b *testing.B) { cgoSum(b, cgoexport.LoopII, wantII) }

// benchCgoDD is benchCgoII for double(double, double).
func benchCgoDD(b *testing.B) {
	b.Run("cgo", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		r := cgoexport.LoopDD(b.N)
		b.StopTimer()
		if want := float64(b.N-1)*float64(b.N)/2 + 0.5*float64(b.N); r != want {
			b.Fatalf("sum %v, want %v", r, want)
		}
	})
}

// benchCgoVec is the cgo row of BenchmarkCallbackVec.
func benchCgoVec(b *testing.B) {
	b.Run("cgo", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		r := cgoexport.LoopVec(b.N)
		b.StopTimer()
		if want := wantVec(b.N); r != want {
			b.Fatalf("got %v, want %v", r, want)
		}
	})
}

// benchCgoMixed8 is the cgo row of BenchmarkCallbackMixed8.
func benchCgoMixed8(b *testing.B) { cgoSum(b, cgoexport.LoopMixed8, wantMixed8) }

// benchCgoLong12 is the cgo row of BenchmarkCallbackLong12.
func benchCgoLong12(b *testing.B) { cgoSum(b, cgoexport.LoopLong12, wantLong12) }

// benchCgoThread is the cgo row of BenchmarkCallbackThread.
func benchCgoThread(b *testing.B) { cgoSum(b, cgoexport.LoopThreadII, wantII) }

// cgoSum is the cgo row of a callback benchmark: loop, a C loop in package
// cgoexport, calls an //export'ed Go function b.N times and returns the
// sum of the results, which is checked against want.
func cgoSum(b *testing.B, loop, want func(int) int64) {
	b.Run("cgo", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		r := loop(b.N)
		b.StopTimer()
		if r != want(b.N) {
			b.Fatalf("sum %d, want %d", r, want(b.N))
		}
	})
}
