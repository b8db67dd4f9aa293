package bindcall

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// BenchmarkDispatch measures the trampoline and dispatch alone: a bound
// func whose call runs the plan and the echo instead of C.
func BenchmarkDispatch(b *testing.B) {
	m := ctype.Host()
	i32 := m.Int("int")
	ft, err := m.Func(i32, []ctype.Param{{Type: i32}, {Type: i32}}, false)
	if err != nil {
		b.Fatal(err)
	}
	var fn func(a, b int32) int32
	if err := echoBind(&fn, ft); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var s int32
	for i := 0; b.Loop(); i++ {
		s += fn(int32(i), 1)
	}
	sinkI = s
}

// BenchmarkDispatchMixed6 is BenchmarkDispatch for
// double(int, double, void *, long long, float, int).
func BenchmarkDispatchMixed6(b *testing.B) {
	m := ctype.Host()
	ft, err := m.Func(m.Double(), []ctype.Param{{Type: m.Int("int")}, {Type: m.Double()}, {Type: m.Pointer(m.Void())}, {Type: m.IntOfSize(8, true)}, {Type: m.Float()}, {Type: m.Int("int")}}, false)
	if err != nil {
		b.Fatal(err)
	}
	var fn func(int32, float64, unsafe.Pointer, int64, float32, int32) float64
	sig, err := convert.MatchFunc(reflect.TypeOf(fn), ft, convert.Options{Dir: convert.Call})
	if err != nil || sig == nil {
		b.Fatal(err)
	}
	if err := echoBind(&fn, ft); err != nil {
		b.Fatal(err)
	}
	x := new(int)
	b.ReportAllocs()
	var s float64
	for i := 0; b.Loop(); i++ {
		s += fn(int32(i), 2.5, unsafe.Pointer(x), 4, 0.5, 6)
	}
	sinkF = s
}

var (
	sinkI int32
	sinkF float64
)
