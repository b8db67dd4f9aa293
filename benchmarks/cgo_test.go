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
