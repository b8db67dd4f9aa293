package convert

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

func TestPointerFree(t *testing.T) {
	type plain struct {
		A int32
		B [3]float64
		C struct{ D complex128 }
		_ [4]byte
	}
	type nested struct {
		A  int64
		In struct{ S []int }
	}
	for _, c := range []struct {
		g    reflect.Type
		want string // "" for pointer-free, else a substring of the error
	}{
		{reflect.TypeFor[int8](), ""},
		{reflect.TypeFor[uintptr](), ""},
		{reflect.TypeFor[bool](), ""},
		{reflect.TypeFor[[0]*int](), ""},
		{reflect.TypeFor[plain](), ""},
		{reflect.TypeFor[string](), "string holds a Go pointer"},
		{reflect.TypeFor[any](), "interface"},
		{reflect.TypeFor[error](), "interface"},
		{reflect.TypeFor[*int](), "pointer"},
		{reflect.TypeFor[unsafe.Pointer](), "pointer"},
		{reflect.TypeFor[map[int]int](), "map"},
		{reflect.TypeFor[chan int](), "chan"},
		{reflect.TypeFor[func()](), "func"},
		{reflect.TypeFor[[]byte](), "slice"},
		{reflect.TypeFor[[2]string](), "element: string"},
		{reflect.TypeFor[nested](), "field In: field S: []int (a slice)"},
	} {
		err := PointerFree(c.g)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: %v, want pointer-free", c.g, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%v: %v, want an error containing %q", c.g, err, c.want)
		}
	}
}
