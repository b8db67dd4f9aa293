// Package convert matches Go types against C types and converts values
// between their C representation (bytes in registers, on the stack or in
// memory) and Go values. Callbacks and bound calls share it, so a Go func
// that is accepted for a C signature is accepted the same way in both
// directions.
package convert

import (
	"fmt"
	"reflect"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Kind says how a value crosses the boundary.
type Kind uint8

const (
	// Int is a C integer, enum or pointer carried as integer bits; Size and
	// Signed say how the C value is extended to 64 bits.
	Int Kind = iota + 1
	// Bool is C _Bool: one byte, 0 or 1.
	Bool
	// Float is C float.
	Float
	// Double is C double.
	Double
	// Memory is an aggregate (struct, union, array inside a struct) whose
	// Go and C layouts are identical: its bytes are copied.
	Memory
	// String is a Go string for a C char pointer. Passed to C: the bytes
	// are copied to a NUL-terminated buffer that lives for the call; as a
	// call's result or a callback's parameter, the C string is copied into
	// a new Go string (NULL gives "").
	String
	// Slice is a Go slice passed for a C pointer (calls only): the address
	// of its first element, pinned for the call.
	Slice
	// CallbackPtr is a *Callback passed for a C pointer (calls only): its
	// Ptr().
	CallbackPtr
)

// Value is the match of one Go type with one C type.
type Value struct {
	Kind   Kind
	C      *ctype.Type
	Go     reflect.Type
	Size   int  // C size in bytes
	Signed bool // Int: the C type is signed
	// GoFloat reports that the Go value lives in a floating-point register
	// in Go's own register ABI (float32, float64).
	GoFloat bool
}

// Direction selects the conveniences allowed for a match.
type Direction uint8

const (
	// Callback: C calls Go.
	Callback Direction = iota
	// Call: Go calls C.
	Call
)

// Options tunes MatchFunc.
type Options struct {
	Dir Direction
	// CallbackType is the Go type (*ffi.Callback) accepted for a C function
	// pointer parameter of a call.
	CallbackType reflect.Type
	// Model is the target data model (for pointer size); nil means host.
	Model *ctype.Model
	// Errno: the Go func's last result is an error that receives C's errno
	// (calls only); it is not matched against the C result.
	Errno bool
}

// Sig is a matched function signature.
type Sig struct {
	C      *ctype.Type
	Go     reflect.Type
	Params []Value
	Result *Value // nil for void
	// Varargs: the Go func ends in ...any matching the C "..." (calls only).
	Varargs bool
}

// MatchFunc checks the Go func type g against the C function type c.
func MatchFunc(g reflect.Type, c *ctype.Type, opt Options) (*Sig, error) {
	if opt.Model == nil {
		opt.Model = ctype.Host()
	}
	if c.Kind == ctype.Pointer && c.Elem != nil && c.Elem.Kind == ctype.Func {
		c = c.Elem
	}
	if c.Kind != ctype.Func {
		return nil, errfmt.Errorf("C type %s is not a function type", c)
	}
	if g == nil || g.Kind() != reflect.Func {
		return nil, errfmt.Errorf("Go value of type %v is not a func", g)
	}
	s := &Sig{C: c, Go: g}
	nGo := g.NumIn()
	if c.Variadic {
		if opt.Dir == Callback {
			return nil, errfmt.Errorf("variadic C function %s cannot be a callback", c)
		}
		if !g.IsVariadic() || g.In(nGo-1).Elem().Kind() != reflect.Interface {
			return nil, errfmt.Errorf("C function %s is variadic: the Go func needs a final ...any parameter, have %v", c, g)
		}
		s.Varargs = true
		nGo--
	} else if g.IsVariadic() {
		return nil, errfmt.Errorf("Go func %v is variadic but C function %s is not", g, c)
	}
	if nGo != len(c.Params) {
		return nil, errfmt.Errorf("C function %s has %s, Go func %v has %d", c, count(len(c.Params), "parameter"), g, nGo)
	}
	for i, p := range c.Params {
		v, err := match(g.In(i), p.Type, opt, false)
		if err != nil {
			return nil, errfmt.Errorf("parameter %s: %w", paramName(i, p.Name), err)
		}
		s.Params = append(s.Params, v)
	}
	nOut, besides := g.NumOut(), ""
	if opt.Errno {
		nOut, besides = nOut-1, " besides its error"
	}
	switch {
	case c.Result.Kind == ctype.Void && nOut == 0:
	case c.Result.Kind == ctype.Void:
		return nil, errfmt.Errorf("C function %s returns void, Go func %v has results%s", c, g, besides)
	case nOut != 1:
		return nil, errfmt.Errorf("C function %s returns %s, Go func %v needs exactly one result%s", c, c.Result, g, besides)
	default:
		v, err := match(g.Out(0), c.Result, opt, true)
		if err != nil {
			return nil, errfmt.Errorf("result: %w", err)
		}
		s.Result = &v
	}
	return s, nil
}

func paramName(i int, name string) string {
	if name != "" {
		return fmt.Sprintf("%d (%s)", i+1, name)
	}
	return fmt.Sprintf("%d", i+1)
}

var unsafePointerType = reflect.TypeFor[unsafe.Pointer]()

// match checks one Go type against one C type.
func match(g reflect.Type, c *ctype.Type, opt Options, result bool) (Value, error) {
	v := Value{C: c, Go: g, Size: c.Size, Signed: c.Signed}
	bad := func(why string) (Value, error) { return Value{}, mismatch(g, c, why) }
	switch c.Kind {
	case ctype.LongDouble:
		return Value{}, errfmt.Errorf("C type %s: long double cannot cross the ABI", c)
	case ctype.Opaque:
		return Value{}, errfmt.Errorf("C type %s: %s", c, c.Note)
	case ctype.Vector:
		return Value{}, errfmt.Errorf("C type %s: vector types (vector_size) cannot cross the ABI", c)
	case ctype.Void:
		return bad("void is not a value type")
	case ctype.Bool:
		if g.Kind() != reflect.Bool {
			return bad("C _Bool needs Go bool")
		}
		v.Kind = Bool
		return v, nil
	case ctype.Float:
		if g.Kind() != reflect.Float32 {
			return bad("C float needs Go float32")
		}
		v.Kind, v.GoFloat = Float, true
		return v, nil
	case ctype.Double:
		if g.Kind() != reflect.Float64 {
			return bad("C double needs Go float64")
		}
		v.Kind, v.GoFloat = Double, true
		return v, nil
	case ctype.Int, ctype.Enum:
		v.Kind = Int
		if intMatches(g, c, opt.Model) {
			return v, nil
		}
		return bad(intHint(c, opt.Model))
	case ctype.Pointer, ctype.Array:
		v.Kind, v.Size, v.Signed = Int, opt.Model.PtrSize, false
		switch {
		// A *Callback is a Go pointer too, but C never wants the Go object:
		// for any pointer parameter of a call (a function pointer, or a
		// void * that C later casts) it stands for its C function pointer.
		case opt.Dir == Call && !result && g == opt.CallbackType && opt.CallbackType != nil && c.Kind == ctype.Pointer:
			v.Kind = CallbackPtr
			return v, nil
		case g == unsafePointerType, g.Kind() == reflect.Uintptr, g.Kind() == reflect.Pointer:
			return v, nil
		case g.Kind() == reflect.String && isCharPtr(c) && (opt.Dir == Call || !result):
			v.Kind = String
			return v, nil
		case g.Kind() == reflect.String && isCharPtr(c):
			return bad("a callback cannot return a Go string for a C char pointer (C would get Go memory): return C memory as unsafe.Pointer")
		case opt.Dir == Call && !result && g.Kind() == reflect.Slice:
			if err := PointerFree(g.Elem()); err != nil {
				return bad("C would read the slice's elements, and " + err.Error() + "; pass C memory or []uintptr")
			}
			v.Kind = Slice
			return v, nil
		}
		return bad(pointerHint(g, c, opt))
	case ctype.Struct, ctype.Union:
		if g.Kind() == reflect.Pointer && layoutMatches(g.Elem(), c, opt.Model) == nil {
			return bad(fmt.Sprintf("pointer vs. value: C passes %s by value, use Go type %v", c, g.Elem()))
		}
		if path := longDoublePath(c, 0); path != "" {
			return Value{}, errfmt.Errorf("C type %s: member %s is long double, which cannot cross the ABI", c, path)
		}
		if err := layoutMatches(g, c, opt.Model); err != nil {
			return Value{}, err
		}
		v.Kind = Memory
		return v, nil
	}
	return bad("unsupported C type")
}

// mismatch is the error of match for Go type g and C type c, saying why.
//
//go:noinline
func mismatch(g reflect.Type, c *ctype.Type, why string) error {
	if why != "" {
		why = ": " + why
	}
	return errfmt.Errorf("Go type %v does not match C type %s%s", g, c, why)
}

func isCharPtr(c *ctype.Type) bool {
	return c.Kind == ctype.Pointer && c.Elem != nil && c.Elem.Kind == ctype.Int && c.Elem.Size == 1
}

// intMatches: exact width and signedness, Go int/uint for any C integer,
// uintptr for pointer-sized C integers. Plain C char, whose signedness
// differs between targets, matches both int8 and uint8 (byte).
func intMatches(g reflect.Type, c *ctype.Type, m *ctype.Model) bool {
	if c.Kind == ctype.Int && c.IntName == "char" && (g.Kind() == reflect.Int8 || g.Kind() == reflect.Uint8) {
		return true
	}
	switch g.Kind() {
	case reflect.Int, reflect.Uint:
		return true
	case reflect.Uintptr:
		return c.Size == m.PtrSize
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return c.Signed && int(g.Size()) == c.Size
	case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return (!c.Signed || unsignedEnum(c)) && int(g.Size()) == c.Size
	}
	return false
}

// unsignedEnum reports whether c is an enum with no negative value, which
// also matches the unsigned Go integer of its size: ctype gives it int
// when every value fits, while GCC's own choice is unsigned int, and both
// are the same bits for every value it has.
func unsignedEnum(c *ctype.Type) bool {
	if c.Kind != ctype.Enum {
		return false
	}
	for _, e := range c.Enumerators {
		if e.Value < 0 {
			return false
		}
	}
	return true
}

// pointerHint says why Go type g cannot stand for C pointer type c.
func pointerHint(g reflect.Type, c *ctype.Type, opt Options) string {
	switch {
	case g.Kind() == reflect.Func && c.Kind == ctype.Pointer && c.Elem != nil && c.Elem.Kind == ctype.Func && opt.Dir == Call:
		return "a Go func cannot be a C function pointer: pass a *ffi.Callback (from ffi.NewCallback), or a C function's address as uintptr or unsafe.Pointer"
	case g.Kind() == reflect.Func:
		return "a Go func cannot be a C function pointer: use uintptr or unsafe.Pointer"
	case g.Kind() == reflect.Struct && c.Kind == ctype.Pointer && c.Elem != nil && (c.Elem.Kind == ctype.Struct || c.Elem.Kind == ctype.Union):
		return fmt.Sprintf("pointer vs. value: C takes a pointer to %s, use Go type *%v", c.Elem, g)
	}
	return "a C pointer needs unsafe.Pointer, uintptr or a Go pointer type"
}

// count spells n things: "1 parameter", "2 parameters".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// intHint names the Go types that match C integer type c.
func intHint(c *ctype.Type, m *ctype.Model) string {
	if c.Kind == ctype.Int && c.IntName == "char" {
		return "C char needs Go int8 or byte (its signedness differs between targets), int or uint"
	}
	bits := c.Size * 8
	s := fmt.Sprintf("C %s needs Go int%d, int or uint", c, bits)
	switch {
	case !c.Signed:
		s = fmt.Sprintf("C %s needs Go uint%d, int or uint", c, bits)
	case unsignedEnum(c):
		s = fmt.Sprintf("C %s needs Go int%d, uint%d, int or uint", c, bits, bits)
	}
	if c.Size == m.PtrSize && !c.Signed {
		s += " or uintptr"
	}
	return s
}

// longDoublePath returns the path of a long double member of aggregate c
// ("in.v"), or "".
func longDoublePath(c *ctype.Type, depth int) string {
	if depth > 64 {
		return ""
	}
	for _, f := range c.Fields {
		t := f.Type
		for t.Kind == ctype.Array {
			t = t.Elem
		}
		name := f.Name
		if name == "" {
			name = "(anonymous)"
		}
		switch t.Kind {
		case ctype.LongDouble:
			return name
		case ctype.Struct, ctype.Union:
			if p := longDoublePath(t, depth+1); p != "" {
				return name + "." + p
			}
		}
	}
	return ""
}
