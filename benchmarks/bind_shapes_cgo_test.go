//go:build cgo

package benchmarks

import (
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/benchmarks/cgoshapes"
)

var cgoSortInts = cgoshapes.SortInts

func init() {
	x := new(int)
	shapeCgo["Mixed6"] = func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += cgoshapes.Mixed6(int32(i), 2.5, unsafe.Pointer(x), 4, 0.5, 6)
		}
	}
	shapeCgo["Args10"] = func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += float64(cgoshapes.Args10(int64(i), 2, 3, 4, 5, 6, 7, 8, 9, 10))
		}
	}
	shapeCgo["StructVec"] = func(b *testing.B) {
		b.ReportAllocs()
		v := cgoshapes.Vec{}
		for b.Loop() {
			v = cgoshapes.Vadd(v, cgoshapes.Vec{X: 1, Y: 0.5})
		}
		sink += v.X
	}
	shapeCgo["StructSRet"] = func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += float64(cgoshapes.Make3(int64(i)).C)
		}
	}
	shapeCgo["Varargs"] = func(b *testing.B) {
		buf := make([]byte, 32)
		format := []byte("%d-%d\x00")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += float64(cgoshapes.Snprintf2(buf, &format[0], int32(i), 7))
		}
	}
	shapeCgo["Strlen"] = func(b *testing.B) {
		s := "a Go string of some length"
		b.ReportAllocs()
		for b.Loop() {
			sink += float64(cgoshapes.Strlen(s))
		}
	}
	shapeCgo["Qsort"] = func(*testing.B) {}
}
