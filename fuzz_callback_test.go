package ffi_test

import (
	"reflect"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

type fuzzPair struct{ X, Y float32 }
type fuzzMixed struct {
	A int32
	B float64
}

// fuzzTypes are the Go types FuzzNewCallback draws parameters and results from.
var fuzzTypes = []reflect.Type{
	reflect.TypeFor[int8](), reflect.TypeFor[uint8](), reflect.TypeFor[int16](), reflect.TypeFor[uint16](),
	reflect.TypeFor[int32](), reflect.TypeFor[uint32](), reflect.TypeFor[int64](), reflect.TypeFor[uint64](),
	reflect.TypeFor[int](), reflect.TypeFor[uint](), reflect.TypeFor[uintptr](), reflect.TypeFor[bool](),
	reflect.TypeFor[float32](), reflect.TypeFor[float64](), reflect.TypeFor[unsafe.Pointer](), reflect.TypeFor[*int32](),
	reflect.TypeFor[string](), reflect.TypeFor[fuzzPair](), reflect.TypeFor[fuzzMixed](), reflect.TypeFor[[]int32](),
}

var fuzzTarget int32

// fuzzValue returns a value of type g that survives every conversion the
// library allows between Go and C types (small non-negative integers,
// exact floats), derived from b.
func fuzzValue(g reflect.Type, b byte) reflect.Value {
	v := reflect.New(g).Elem()
	n := uint64(b % 100)
	switch g.Kind() {
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
		v.SetInt(int64(n))
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint, reflect.Uintptr:
		v.SetUint(n)
	case reflect.Bool:
		v.SetBool(b&1 == 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(n) + 0.5)
	case reflect.UnsafePointer:
		v.SetPointer(unsafe.Pointer(&fuzzTarget))
	case reflect.Pointer:
		v.Set(reflect.ValueOf(&fuzzTarget))
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			v.Field(i).Set(fuzzValue(g.Field(i).Type, b+byte(i)))
		}
	}
	return v
}

// FuzzNewCallback feeds random declarations and random Go func types to
// NewCallback. Each either fails with an error or makes a callback that is
// then called from Go through a bound C call (Go -> C ABI -> the callback's
// slot -> Go) with values that every allowed conversion preserves; the
// callback must see them and its result must come back.
func FuzzNewCallback(f *testing.F) {
	f.Add("int (*)(int, int)", []byte{2, 4, 4, 4})
	f.Add("double (*)(float, double, int)", []byte{3, 12, 13, 4, 13})
	f.Add("void (*)(void *, char, unsigned long)", []byte{3, 14, 0, 7, 255})
	f.Add("_Bool (*)(short, _Bool)", []byte{2, 2, 11, 11})
	f.Add("struct { float x, y; } (*)(struct { float x, y; }, int)", []byte{2, 17, 4, 17})
	f.Add("struct { int a; double b; } (*)(long, long, long, long, long, long, struct { int a; double b; })", []byte{7, 6, 6, 6, 6, 6, 6, 18, 18})
	f.Add("size_t (*)(const char *)", []byte{1, 16, 10})
	f.Add("long (*)(int, int, int, int, int, int, int, int, int, int, int)", []byte{11, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 6})
	f.Add("int (*)(int", []byte{1, 4, 4})
	f.Add("float (*)(float, float, float, float, float, float, float, float, float, float)", []byte{10, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12})
	f.Fuzz(func(t *testing.T, decl string, spec []byte) {
		if len(spec) == 0 || len(decl) > 1000 {
			return
		}
		n := int(spec[0] % 21)
		if len(spec) < n+2 {
			return
		}
		in := make([]reflect.Type, n)
		for i := range in {
			in[i] = fuzzTypes[int(spec[1+i])%len(fuzzTypes)]
		}
		var out []reflect.Type
		if r := spec[1+n]; r != 255 {
			out = []reflect.Type{fuzzTypes[int(r)%len(fuzzTypes)]}
		}
		ft := reflect.FuncOf(in, out, false)
		var got []reflect.Value
		var want reflect.Value
		if len(out) == 1 {
			want = fuzzValue(out[0], 77)
		}
		fn := reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
			got = args
			if want.IsValid() {
				return []reflect.Value{want}
			}
			return nil
		})
		cb, err := ffi.NewCallback(decl, fn.Interface())
		if err != nil {
			return // refused cleanly
		}
		defer cb.Free()
		call := reflect.New(ft)
		if err := ffi.Bind(call.Interface(), cb.Ptr(), decl); err != nil {
			t.Fatalf("NewCallback accepted %q for %v, but Bind refused it: %v", decl, ft, err)
		}
		args := make([]reflect.Value, n)
		for i := range args {
			args[i] = fuzzValue(in[i], spec[1+i]+byte(i))
		}
		res := call.Elem().Call(args)
		if len(got) != n {
			t.Fatalf("%q: callback saw %d arguments, want %d", decl, len(got), n)
		}
		for i := range args {
			if !equalValue(got[i], args[i]) {
				t.Fatalf("%q as %v: argument %d arrived as %v, sent %v", decl, ft, i+1, got[i], args[i])
			}
		}
		if want.IsValid() && !equalValue(res[0], want) {
			t.Fatalf("%q as %v: result arrived as %v, returned %v", decl, ft, res[0], want)
		}
	})
}

// equalValue compares two values; strings and slices (which C sees as
// pointers) only compare as present.
func equalValue(a, b reflect.Value) bool {
	switch a.Kind() {
	case reflect.String, reflect.Slice:
		return true
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
