package sysv

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// cdecls makes struct and union types through a Model and remembers the C
// definition of each, so that tests can hand the very same types to a C
// compiler.
type cdecls struct {
	m     *ctype.Model
	mu    sync.Mutex
	order []*ctype.Type
	text  map[*ctype.Type]string
}

func newCdecls(m *ctype.Model) *cdecls {
	return &cdecls{m: m, text: map[*ctype.Type]string{}}
}

// declare makes a struct (or union) with a fresh tag from members.
func (d *cdecls) declare(union bool, members []ctype.Member, packed bool, aligned int) (*ctype.Type, error) {
	d.mu.Lock()
	tag := fmt.Sprintf("t%d", len(d.order)+1)
	d.mu.Unlock()
	kw := "struct"
	var t *ctype.Type
	var err error
	if union {
		kw = "union"
		t, err = d.m.Union(tag, members, packed, aligned)
	} else {
		t, err = d.m.Struct(tag, members, packed, aligned)
	}
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString(kw)
	var attrs []string
	if packed {
		attrs = append(attrs, "packed")
	}
	if aligned != 0 {
		attrs = append(attrs, fmt.Sprintf("aligned(%d)", aligned))
	}
	if len(attrs) > 0 {
		b.WriteString(" __attribute__((" + strings.Join(attrs, ", ") + "))")
	}
	b.WriteString(" " + tag + " {\n")
	for _, mb := range members {
		b.WriteString("\t" + spellDecl(mb.Type, mb.Name))
		if mb.BitField {
			fmt.Fprintf(&b, " : %d", mb.BitSize)
		}
		if mb.Packed {
			b.WriteString(" __attribute__((packed))")
		}
		if mb.Aligned != 0 {
			fmt.Fprintf(&b, " __attribute__((aligned(%d)))", mb.Aligned)
		}
		b.WriteString(";\n")
	}
	b.WriteString("};\n")
	d.mu.Lock()
	d.order = append(d.order, t)
	d.text[t] = b.String()
	d.mu.Unlock()
	return t, nil
}

// source returns the C definitions of every declared aggregate that the
// given types use, in dependency order.
func (d *cdecls) source(ts []*ctype.Type) string {
	need := map[*ctype.Type]bool{}
	var walk func(t *ctype.Type)
	walk = func(t *ctype.Type) {
		if t == nil || need[t] {
			return
		}
		switch t.Kind {
		case ctype.Struct, ctype.Union:
			need[t] = true
			for _, f := range t.Fields {
				walk(f.Type)
			}
		case ctype.Array:
			walk(t.Elem)
		case ctype.Func:
			walk(t.Result)
			for _, p := range t.Params {
				walk(p.Type)
			}
		}
	}
	for _, t := range ts {
		walk(t)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var b strings.Builder
	for _, t := range d.order {
		if need[t] {
			b.WriteString(d.text[t])
		}
	}
	return b.String()
}

// spellDecl spells a declaration of name (may be "") with type t in C, as
// far as the ABI is concerned: pointers of any kind become void *.
func spellDecl(t *ctype.Type, name string) string {
	var base string
	switch t.Kind {
	case ctype.Array:
		if t.Len < 0 {
			return spellDecl(t.Elem, name+"[]")
		}
		return spellDecl(t.Elem, fmt.Sprintf("%s[%d]", name, t.Len))
	case ctype.Pointer, ctype.Func:
		return "void *" + name
	case ctype.Int:
		base = t.IntName
	case ctype.Enum:
		base = t.Elem.IntName
	case ctype.Bool:
		base = "_Bool"
	case ctype.Float:
		base = "float"
	case ctype.Double:
		base = "double"
	case ctype.LongDouble:
		base = "long double"
	case ctype.Void:
		base = "void"
	case ctype.Struct:
		base = "struct " + t.Tag
	case ctype.Union:
		base = "union " + t.Tag
	default:
		base = "?"
	}
	if name == "" {
		return base
	}
	return base + " " + name
}

// Test shorthands on the linux/amd64 model.
var (
	m      = ctype.LinuxAMD64
	decls  = newCdecls(m)
	tInt   = m.Int("int")
	tUint  = m.Int("unsigned int")
	tChar  = m.Int("char")
	tShort = m.Int("short")
	tLong  = m.Int("long")
	tFlt   = m.Float()
	tDbl   = m.Double()
	tLD    = m.LongDouble()
	tVoid  = m.Void()
	tBool  = m.Bool()
	tPtr   = m.Pointer(m.Void())
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fields turns types into members named a, b, c, ...
func fields(ts ...*ctype.Type) []ctype.Member {
	ms := make([]ctype.Member, len(ts))
	for i, t := range ts {
		ms[i] = ctype.Member{Name: string(rune('a' + i)), Type: t}
	}
	return ms
}

func structOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.declare(false, fields(ts...), false, 0))
}

func packedOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.declare(false, fields(ts...), true, 0))
}

func unionOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.declare(true, fields(ts...), false, 0))
}

func structM(members []ctype.Member, packed bool, aligned int) *ctype.Type {
	return must(decls.declare(false, members, packed, aligned))
}

func arrayOf(t *ctype.Type, n int) *ctype.Type {
	return must(m.Array(t, n))
}

func params(ts []*ctype.Type) []ctype.Param {
	ps := make([]ctype.Param, len(ts))
	for i, t := range ts {
		ps[i] = ctype.Param{Type: t}
	}
	return ps
}

func funcOf(res *ctype.Type, ps ...*ctype.Type) *ctype.Type {
	return must(m.Func(res, params(ps), false))
}

func variadicOf(res *ctype.Type, ps ...*ctype.Type) *ctype.Type {
	return must(m.Func(res, params(ps), true))
}

func repeat(t *ctype.Type, n int) []*ctype.Type {
	return slices.Repeat([]*ctype.Type{t}, n)
}
