package ffigen

import (
	"fmt"
	"go/token"
	"strings"
	"unicode"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// use says where a Go type stands: it decides how C pointers are spelled.
type use uint8

const (
	useField   use = iota // struct member: pointers are uintptr
	useParam              // function parameter
	useResult             // function result
	usePointee            // what a parameter or result pointer points to
)

// goType is a Go type expression with the size and alignment Go gives it.
type goType struct {
	expr        string
	size, align int
}

// mirror is the Go type generated for a C struct or union.
type mirror struct {
	goName string
	c      *ctype.Type // the root (tagged) or typedef'd type
	cName  string      // its C spelling for Sizeof ("struct z_stream_s", "z_stream")
	exact  bool        // fields mirrored one to one (else an opaque blob of the same size)
	why    string      // why not exact
	fields []mirrorField
	size   int
	align  int
}

type mirrorField struct {
	goName, cName string
	typ           goType
}

// exportName is the Go name of a C name: first letter upper-cased; names
// that start with '_' get an X in front, Go keywords never arise.
func exportName(c string) string {
	if c == "" {
		return c
	}
	r := []rune(c)
	if r[0] == '_' {
		return "X" + c
	}
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// paramName makes a C parameter name usable as a Go identifier.
func paramName(c string, i int) string {
	if c == "" {
		return fmt.Sprintf("arg%d", i)
	}
	if token.IsKeyword(c) {
		return c + "_"
	}
	return c
}

// intType is the Go integer type of a C integer of size bytes.
func intType(size int, signed bool) string {
	s := fmt.Sprintf("int%d", size*8)
	if !signed {
		s = "u" + s
	}
	return s
}

// blob is an opaque Go array of the size and (up to 8) alignment of t.
func blob(size, align int) goType {
	a := min(align, 8)
	if a < 1 {
		a = 1
	}
	elem := map[int]string{1: "byte", 2: "uint16", 4: "uint32", 8: "uint64"}[a]
	return goType{expr: fmt.Sprintf("[%d]%s", size/a, elem), size: size, align: a}
}

// goTypeOf maps a C type to Go for the use u; it returns an error naming
// what cannot be mapped.
func (g *generator) goTypeOf(t *ctype.Type, u use) (goType, error) {
	switch t.Kind {
	case ctype.Void:
		if u == useResult {
			return goType{}, nil
		}
		return goType{}, fmt.Errorf("void value")
	case ctype.Bool:
		return goType{"bool", 1, 1}, nil
	case ctype.Int, ctype.Enum:
		for _, e := range t.Enumerators {
			g.enumConsts[e.Name] = true
		}
		if u == usePointee && t.Size == 1 {
			return goType{"byte", 1, 1}, nil
		}
		if t.Size < 1 || t.Size > 8 {
			return goType{}, fmt.Errorf("%d-byte integer %s", t.Size, t)
		}
		return goType{intType(t.Size, t.Signed), t.Size, t.Size}, nil
	case ctype.Float:
		return goType{"float32", 4, 4}, nil
	case ctype.Double:
		return goType{"float64", 8, 8}, nil
	case ctype.Pointer:
		ptr := goType{"uintptr", 8, 8}
		e := t.Elem
		switch {
		case u == useField:
			return ptr, nil
		case e.Kind == ctype.Func:
			return ptr, nil
		case e.Kind == ctype.Void:
			ptr.expr = "unsafe.Pointer"
			return ptr, nil
		case e.Kind == ctype.Int && e.IntName == "char" && e.Const && (u == useParam || u == useResult):
			// const char *: a C string, copied in and out.
			ptr.expr = "string"
			return ptr, nil
		case e.Kind == ctype.Struct || e.Kind == ctype.Union:
			m, err := g.mirrorOf(e)
			if err != nil {
				ptr.expr = "unsafe.Pointer"
				return ptr, nil
			}
			ptr.expr = "*" + m.goName
			return ptr, nil
		case e.Kind == ctype.Pointer || e.IsInteger() || e.Kind == ctype.Float || e.Kind == ctype.Double:
			inner, err := g.goTypeOf(e, usePointee)
			if err != nil {
				return goType{}, err
			}
			ptr.expr = "*" + inner.expr
			return ptr, nil
		}
		ptr.expr = "unsafe.Pointer"
		return ptr, nil
	case ctype.Array:
		if u != useField {
			return goType{}, fmt.Errorf("array %s", t)
		}
		if t.Len < 0 {
			return goType{}, fmt.Errorf("flexible array member")
		}
		e, err := g.goTypeOf(t.Elem, useField)
		if err != nil {
			return goType{}, err
		}
		return goType{fmt.Sprintf("[%d]%s", t.Len, e.expr), t.Len * e.size, e.align}, nil
	case ctype.Struct, ctype.Union:
		if !t.Complete {
			return goType{}, fmt.Errorf("incomplete type %s", t)
		}
		if t.Tag == "" && t.Name == "" {
			// An anonymous struct or union member type.
			m, err := g.layoutMirror(t, "")
			if err != nil {
				return goType{}, err
			}
			if !m.exact {
				if u != useField {
					return goType{}, fmt.Errorf("%s (%s) by value", t, m.why)
				}
				return blob(m.size, m.align), nil
			}
			var b strings.Builder
			b.WriteString("struct {\n")
			for _, f := range m.fields {
				fmt.Fprintf(&b, "%s %s\n", f.goName, f.typ.expr)
			}
			b.WriteString("}")
			return goType{b.String(), m.size, m.align}, nil
		}
		m, err := g.mirrorOf(t)
		if err != nil {
			return goType{}, err
		}
		if !m.exact && u != useField {
			return goType{}, fmt.Errorf("%s (%s) by value", t, m.why)
		}
		return goType{m.goName, m.size, m.align}, nil
	case ctype.LongDouble, ctype.Vector, ctype.Opaque:
		if u == useField && t.Align <= 8 {
			return blob(t.Size, t.Align), nil
		}
		if t.Kind == ctype.Opaque {
			return goType{}, fmt.Errorf("%s", t.Note)
		}
		return goType{}, fmt.Errorf("%s is not supported by value", t)
	}
	return goType{}, fmt.Errorf("unsupported type %s", t)
}

// mirrorOf returns (making it on first use) the Go type of a named C
// struct or union.
func (g *generator) mirrorOf(t *ctype.Type) (*mirror, error) {
	key, goName, cName := g.structName(t)
	if m, ok := g.mirrors[key]; ok {
		if m == nil {
			return nil, fmt.Errorf("%s nests itself by value", t)
		}
		return m, nil
	}
	if !t.Complete {
		m := &mirror{goName: goName, c: t, cName: cName, why: "incomplete"}
		g.mirrors[key] = m
		return m, nil
	}
	g.mirrors[key] = nil // in progress
	m, err := g.layoutMirror(t, goName)
	if err != nil {
		delete(g.mirrors, key)
		return nil, err
	}
	m.cName = cName
	g.mirrors[key] = m
	return m, nil
}

// layoutMirror lays out the Go mirror of a complete struct or union: exact
// if every member maps to a Go field at the C offset, else a blob.
func (g *generator) layoutMirror(t *ctype.Type, goName string) (*mirror, error) {
	m := &mirror{goName: goName, c: t, size: t.Size, align: t.Align}
	if t.Align > 8 {
		return nil, fmt.Errorf("%s is aligned to %d bytes, more than a Go type can be", t, t.Align)
	}
	m.exact, m.why = true, ""
	fail := func(why string) {
		if m.exact {
			m.exact, m.why, m.fields = false, why, nil
		}
	}
	if t.Kind == ctype.Union {
		fail("a union")
	}
	off, align := 0, 1
	used := map[string]bool{}
	for _, f := range t.Fields {
		if !m.exact {
			break
		}
		switch {
		case f.BitField:
			fail("bitfields")
			continue
		case f.Name == "":
			fail("an anonymous member")
			continue
		}
		gt, err := g.goTypeOf(f.Type, useField)
		if err != nil {
			fail(fmt.Sprintf("member %s: %v", f.Name, err))
			continue
		}
		off = (off + gt.align - 1) / gt.align * gt.align
		if off != f.Offset {
			fail(fmt.Sprintf("member %s is at offset %d, where Go would put it at %d", f.Name, f.Offset, off))
			continue
		}
		off += gt.size
		align = max(align, gt.align)
		name := exportName(f.Name)
		for used[name] {
			name += "_"
		}
		used[name] = true
		m.fields = append(m.fields, mirrorField{goName: name, cName: f.Name, typ: gt})
	}
	if m.exact && ((off+align-1)/align*align != t.Size || align != t.Align) {
		fail(fmt.Sprintf("Go would give it size %d and alignment %d, C %d and %d", (off+align-1)/align*align, align, t.Size, t.Align))
	}
	return m, nil
}

// structName returns the key, Go name and C spelling of a named struct or
// union: the typedef name it was reached through if the typedef stands for
// the struct itself, else its tag.
func (g *generator) structName(t *ctype.Type) (key, goName, cName string) {
	kw := "struct "
	if t.Kind == ctype.Union {
		kw = "union "
	}
	if t.Tag != "" {
		if td := g.tagTypedef[t.Tag]; td != "" {
			return kw + t.Tag, g.typeName(td), td
		}
		goName := exportName(t.Tag)
		if g.ordinary[goName] {
			// C keeps tags apart from other names (struct stat and the
			// function stat): the struct's Go name says which it is.
			goName = exportName(kw[:len(kw)-1]) + "_" + t.Tag
		}
		return kw + t.Tag, goName, kw + t.Tag
	}
	return "typedef " + t.Name, g.typeName(t.Name), t.Name
}

// typeName is the Go name of the C typedef name c: exported, with a "_"
// added when a function or the generated package itself has that name
// (typedef struct foo_s Foo beside int foo(Foo *); typedef ... scope).
func (g *generator) typeName(c string) string {
	n := exportName(c)
	if g.ordinary[n] {
		n += "_"
	}
	return n
}
