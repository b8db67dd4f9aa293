//go:build cgo

package benchmarks

import (
	"testing"

	"github.com/seed5ca82032/ffi/benchmarks/cgoexport"
)

// benchCgoII is the cgo reference point: a C loop calling an //export'ed Go
// int(int, int) function.
func benchCgoII(b *testing.B) {
	b.Run("cgo", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		r := cgoexport.LoopII(b.N)
		b.StopTimer()
		if r != wantII(b.N) {
			b.Fatalf("sum %d, want %d", r, wantII(b.N))
		}
	})
}

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
func benchCgoMixed8(b *testing.B) {
	b.Run("cgo", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		r := cgoexport.LoopMixed8(b.N)
		b.StopTimer()
		if r != wantMixed8(b.N) {
			b.Fatalf("sum %d, want %d", r, wantMixed8(b.N))
		}
	})
}

// benchCgoThread is the cgo row of BenchmarkCallbackThread.
func benchCgoThread(b *testing.B) {
	b.Run("cgo", func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		r := cgoexport.LoopThreadII(b.N)
		b.StopTimer()
		if r != wantII(b.N) {
			b.Fatalf("sum %d, want %d", r, wantII(b.N))
		}
	})
}
