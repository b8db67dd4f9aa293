package convert

import (
	"reflect"

	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// layoutMatches checks that Go type g has exactly the memory layout of C
// aggregate c, so that values can be copied byte for byte. A struct must
// match field by field (offsets, sizes, and field types recursively; Go
// fields named _ are padding and skipped); a union, or a struct with
// bitfields, matches any Go type of the same size and alignment that holds
// no Go pointers (see PointerFree).
func layoutMatches(g reflect.Type, c *ctype.Type, m *ctype.Model) error {
	if !c.Complete && c.Size == 0 {
		return errfmt.Errorf("C type %s is incomplete and cannot be passed by value", c)
	}
	// what names both types, with their sizes and alignments when these
	// differ: a field-by-field error then says where they start to.
	what := errfmt.Errorf("Go type %v does not match C type %s", g, c).Error()
	sizeDiffers := int(g.Size()) != c.Size || g.Align() != c.Align
	if sizeDiffers {
		what = errfmt.Errorf("Go type %v (size %d, align %d) does not match C type %s (size %d, align %d)",
			g, g.Size(), g.Align(), c, c.Size, c.Align).Error()
	}
	if c.Kind == ctype.Union || hasBitfields(c) {
		if sizeDiffers {
			return errfmt.Errorf("%s", what)
		}
		if err := PointerFree(g); err != nil {
			kind := "union"
			if c.Kind != ctype.Union {
				kind = "struct with bitfields"
			}
			return errfmt.Errorf("Go type %v cannot hold C %s %s: %w; use integers, floats, arrays or structs of these (uintptr for a pointer member)", g, kind, c, err)
		}
		return nil
	}
	if g.Kind() != reflect.Struct {
		if sizeDiffers {
			return errfmt.Errorf("%s", what)
		}
		return errfmt.Errorf("%s: a C struct needs a Go struct", what)
	}
	var gf []reflect.StructField
	for i := 0; i < g.NumField(); i++ {
		if f := g.Field(i); f.Name != "_" {
			gf = append(gf, f)
		}
	}
	// The first field that differs: its type, then its offset (a field of
	// the wrong type moves every later one).
	for i, cf := range c.Fields {
		name := cf.Name
		if name == "" {
			name = "(anonymous)"
		}
		if i >= len(gf) {
			return errfmt.Errorf("%s: C field %d %q has no Go field", what, i+1, name)
		}
		f := gf[i]
		if err := memoryMatches(f.Type, cf.Type, m); err != nil {
			return errfmt.Errorf("%s: field %d (Go %s, C %s): %w", what, i+1, f.Name, name, err)
		}
		if int(f.Offset) != cf.Offset {
			return errfmt.Errorf("%s: field %d (Go %s, C %s) is at Go offset %d, C offset %d",
				what, i+1, f.Name, name, f.Offset, cf.Offset)
		}
	}
	if len(gf) > len(c.Fields) {
		return errfmt.Errorf("%s: Go field %s has no C field", what, gf[len(c.Fields)].Name)
	}
	if sizeDiffers {
		// Every field matches: the difference is trailing padding or an
		// alignment attribute.
		return errfmt.Errorf("%s: every field matches, so the padding after the last field or an alignment attribute differs", what)
	}
	return nil
}

// PointerFree reports, as an error naming the part, whether values of Go
// type g contain anything the Go runtime reads as a pointer or a header:
// pointers, unsafe.Pointer, strings, slices, maps, channels, funcs and
// interfaces. C bytes may be stored only into pointer-free Go memory: bytes
// that C wrote where Go expects a pointer crash the garbage collector or
// let Go code follow an address C never meant. Bools, integers (uintptr
// included), floats and complex numbers, and arrays and structs of these
// are pointer-free.
func PointerFree(g reflect.Type) error {
	switch g.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return nil
	case reflect.Array:
		if g.Len() == 0 {
			return nil
		}
		if err := PointerFree(g.Elem()); err != nil {
			return errfmt.Errorf("element: %w", err)
		}
		return nil
	case reflect.Struct:
		for i := 0; i < g.NumField(); i++ {
			f := g.Field(i)
			if err := PointerFree(f.Type); err != nil {
				return errfmt.Errorf("field %s: %w", f.Name, err)
			}
		}
		return nil
	}
	if k := kindWord(g); k != g.String() {
		return errfmt.Errorf("%v (a %s) holds a Go pointer", g, k)
	}
	return errfmt.Errorf("%v holds a Go pointer", g)
}

// kindWord names what a Go type with pointers is, for errors.
func kindWord(g reflect.Type) string {
	switch g.Kind() {
	case reflect.Pointer, reflect.UnsafePointer:
		return "pointer"
	case reflect.Interface:
		return "interface"
	}
	return g.Kind().String()
}

func hasBitfields(c *ctype.Type) bool {
	for _, f := range c.Fields {
		if f.BitField {
			return true
		}
	}
	return false
}

// memoryMatches checks that a Go value of type g may hold the bytes of a C
// object of type c.
func memoryMatches(g reflect.Type, c *ctype.Type, m *ctype.Model) error {
	bad := func() error { return mismatch(g, c, "") }
	switch c.Kind {
	case ctype.Bool:
		if g.Kind() != reflect.Bool {
			return bad()
		}
	case ctype.Float:
		if g.Kind() != reflect.Float32 {
			return bad()
		}
	case ctype.Double:
		if g.Kind() != reflect.Float64 {
			return bad()
		}
	case ctype.Int, ctype.Enum:
		if !intMatches(g, c, m) || int(g.Size()) != c.Size {
			return bad()
		}
	case ctype.Pointer:
		if g != unsafePointerType && g.Kind() != reflect.Uintptr && g.Kind() != reflect.Pointer {
			return bad()
		}
	case ctype.Array:
		if g.Kind() != reflect.Array || g.Len() != c.Len {
			return errfmt.Errorf("Go type %v does not match C type %s: need a Go array of %d elements", g, c, c.Len)
		}
		return memoryMatches(g.Elem(), c.Elem, m)
	case ctype.Struct, ctype.Union:
		return layoutMatches(g, c, m)
	default:
		return errfmt.Errorf("C type %s cannot cross the ABI", c)
	}
	return nil
}

// FromGo infers the C type that a Go value of type g stands for, for
// callbacks whose C signature is taken from the Go func type.
func FromGo(g reflect.Type, m *ctype.Model) (*ctype.Type, error) {
	switch g.Kind() {
	case reflect.Bool:
		return m.Bool(), nil
	case reflect.Int8:
		return m.Int("signed char"), nil
	case reflect.Uint8:
		return m.Int("unsigned char"), nil
	case reflect.Int16:
		return m.Int("short"), nil
	case reflect.Uint16:
		return m.Int("unsigned short"), nil
	case reflect.Int32:
		return m.Int("int"), nil
	case reflect.Uint32:
		return m.Int("unsigned int"), nil
	case reflect.Int64, reflect.Int:
		return m.Int("long long"), nil
	case reflect.Uint64, reflect.Uint, reflect.Uintptr:
		return m.Int("unsigned long long"), nil
	case reflect.Float32:
		return m.Float(), nil
	case reflect.Float64:
		return m.Double(), nil
	case reflect.UnsafePointer, reflect.Pointer:
		return m.Pointer(m.Void()), nil
	case reflect.Struct:
		members := make([]ctype.Member, 0, g.NumField())
		for i := 0; i < g.NumField(); i++ {
			f := g.Field(i)
			ft, err := FromGo(f.Type, m)
			if err != nil {
				return nil, errfmt.Errorf("field %s: %w", f.Name, err)
			}
			members = append(members, ctype.Member{Name: f.Name, Type: ft})
		}
		st, err := m.Struct("", members, false, 0)
		if err != nil {
			return nil, err
		}
		if err := layoutMatches(g, st, m); err != nil {
			return nil, err
		}
		return st, nil
	case reflect.Array:
		et, err := FromGo(g.Elem(), m)
		if err != nil {
			return nil, err
		}
		return m.Array(et, g.Len())
	}
	return nil, errfmt.Errorf("Go type %v has no C counterpart", g)
}

// FuncFromGo infers the C function type of Go func type g.
func FuncFromGo(g reflect.Type, m *ctype.Model) (*ctype.Type, error) {
	if g == nil || g.Kind() != reflect.Func {
		return nil, errfmt.Errorf("Go value of type %v is not a func", g)
	}
	if g.IsVariadic() {
		return nil, errfmt.Errorf("Go func %v is variadic: a callback's C signature cannot be inferred from it", g)
	}
	var params []ctype.Param
	for i := 0; i < g.NumIn(); i++ {
		t, err := FromGo(g.In(i), m)
		if err != nil {
			return nil, errfmt.Errorf("parameter %d: %w", i+1, err)
		}
		if t.Kind == ctype.Array {
			return nil, errfmt.Errorf("parameter %d: Go array %v cannot be a C parameter (C arrays decay to pointers)", i+1, g.In(i))
		}
		params = append(params, ctype.Param{Type: t})
	}
	res := m.Void()
	switch g.NumOut() {
	case 0:
	case 1:
		t, err := FromGo(g.Out(0), m)
		if err != nil {
			return nil, errfmt.Errorf("result: %w", err)
		}
		if t.Kind == ctype.Array {
			return nil, errfmt.Errorf("result: Go array %v cannot be a C result", g.Out(0))
		}
		res = t
	default:
		return nil, errfmt.Errorf("Go func %v has %d results; a C function has at most one", g, g.NumOut())
	}
	return m.Func(res, params, false)
}
