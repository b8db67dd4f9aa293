package abitest

import (
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// Gen builds random C function types from a byte stream (fuzz input or a
// seeded PRNG). Aggregates are made through a Decls, so that the same types
// can be given to a C compiler.
type Gen struct {
	Next    func() byte // the source of randomness
	D       *Decls
	AllowLD bool // may produce long double (fuzzing the error paths)
}

// Pick returns a number in [0, n).
func (g *Gen) Pick(n int) int { return int(g.Next()) % n }

var genScalarNames = []string{
	"char", "signed char", "unsigned char", "short", "unsigned short",
	"int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long",
	"_Bool", "float", "float", "double", "double", "void *", "enum",
}

// bitfieldTypes are the declared types a bit-field member may have.
var bitfieldTypes = []string{"char", "unsigned char", "short", "unsigned short", "int", "unsigned int", "long", "unsigned long"}

// Scalar returns a random scalar type.
func (g *Gen) Scalar() *ctype.Type {
	m := g.D.M
	if g.AllowLD && g.Pick(40) == 0 {
		return m.LongDouble()
	}
	switch n := genScalarNames[g.Pick(len(genScalarNames))]; n {
	case "_Bool":
		return m.Bool()
	case "float":
		return m.Float()
	case "double":
		return m.Double()
	case "void *":
		return m.Pointer(m.Void())
	case "enum":
		return m.Enum("", []ctype.Enumerator{{Name: "E", Value: int64(g.Pick(3)-1) << (g.Pick(3) * 16)}})
	default:
		return m.Int(n)
	}
}

// Value returns a random parameter, member or result type; depth bounds
// nesting.
func (g *Gen) Value(depth int) (*ctype.Type, error) {
	if depth < 3 && g.Pick(3) == 0 {
		return g.Aggregate(depth + 1)
	}
	return g.Scalar(), nil
}

// Aggregate makes a random struct or union of 0..6 members: scalars,
// nested aggregates, arrays, bit-fields (named, unnamed, :0), packed and
// aligned members, flexible arrays at top level.
func (g *Gen) Aggregate(depth int) (*ctype.Type, error) {
	m := g.D.M
	union := g.Pick(5) == 0
	n := g.Pick(6) + 1
	if g.Pick(2) == 0 {
		n = g.Pick(3) + 1 // favour small aggregates: they go in registers
	}
	if g.Pick(20) == 0 {
		n = 0 // empty aggregate (GNU C, size 0)
	}
	var members []ctype.Member
	named := false // a named member precedes (needed for a flexible array)
	for i := 0; i < n; i++ {
		name := string(rune('a' + i))
		switch r := g.Pick(16); {
		case r < 2: // bit-field
			typ := m.Int(bitfieldTypes[g.Pick(len(bitfieldTypes))])
			width := g.Pick(typ.Size*8 + 1)
			mb := ctype.Member{Name: name, Type: typ, BitField: true, BitSize: width}
			if width == 0 || g.Pick(6) == 0 {
				mb.Name = ""
			}
			members = append(members, mb)
		case r < 5: // array
			et, err := g.Value(depth + 1)
			if err != nil {
				return nil, err
			}
			ln := g.Pick(4) + 1
			if depth == 1 && i == n-1 && named && !union && g.Pick(4) == 0 && et.Kind != ctype.Struct && et.Kind != ctype.Union {
				ln = -1 // flexible array member (top-level structs only)
			}
			at, err := m.Array(et, ln)
			if err != nil {
				return nil, err
			}
			members = append(members, ctype.Member{Name: name, Type: at})
			named = true
		default:
			mt, err := g.Value(depth)
			if err != nil {
				return nil, err
			}
			mb := ctype.Member{Name: name, Type: mt}
			if g.Pick(12) == 0 {
				mb.Aligned = 1 << g.Pick(6)
			} else if g.Pick(12) == 0 {
				mb.Packed = true
			}
			members = append(members, mb)
			named = true
		}
	}
	packed := g.Pick(6) == 0
	aligned := 0
	if g.Pick(10) == 0 {
		aligned = 1 << g.Pick(6)
	}
	return g.D.Declare(union, members, packed, aligned)
}

// Function makes a random function type with up to maxParams parameters.
func (g *Gen) Function(maxParams int, variadic bool) (*ctype.Type, error) {
	res := g.D.M.Void()
	if g.Pick(6) != 0 {
		var err error
		if res, err = g.Value(0); err != nil {
			return nil, err
		}
	}
	n := g.Pick(maxParams + 1)
	if variadic && n == 0 {
		n = 1
	}
	params := make([]ctype.Param, n)
	for i := range params {
		t, err := g.Value(0)
		if err != nil {
			return nil, err
		}
		params[i] = ctype.Param{Type: t}
	}
	return g.D.M.Func(res, params, variadic)
}

// ByteSource returns a next function reading data, then zeros.
func ByteSource(data []byte) func() byte {
	return func() byte {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return b
	}
}
