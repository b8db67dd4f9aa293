package abitest

import (
	"fmt"
	"strings"
	"sync"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// Decls makes struct and union types through a Model and remembers the C
// definition of each, so that tests can hand the very same types to a C
// compiler.
type Decls struct {
	M     *ctype.Model // the data model the types are made for
	mu    sync.Mutex
	order []*ctype.Type
	text  map[*ctype.Type]string
}

// NewDecls returns an empty Decls for model m.
func NewDecls(m *ctype.Model) *Decls {
	return &Decls{M: m, text: map[*ctype.Type]string{}}
}

// Declare makes a struct (or union) with a fresh tag from members.
func (d *Decls) Declare(union bool, members []ctype.Member, packed bool, aligned int) (*ctype.Type, error) {
	d.mu.Lock()
	tag := fmt.Sprintf("t%d", len(d.order)+1)
	d.mu.Unlock()
	kw := "struct"
	var t *ctype.Type
	var err error
	if union {
		kw = "union"
		t, err = d.M.Union(tag, members, packed, aligned)
	} else {
		t, err = d.M.Struct(tag, members, packed, aligned)
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
		b.WriteString("\t" + SpellDecl(mb.Type, mb.Name))
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

// Source returns the C definitions of every declared aggregate that the
// given types use, in dependency order.
func (d *Decls) Source(ts []*ctype.Type) string {
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

// SpellDecl spells a declaration of name (may be "") with type t in C, as
// far as the ABI is concerned: pointers of any kind become void *.
func SpellDecl(t *ctype.Type, name string) string {
	var base string
	switch t.Kind {
	case ctype.Array:
		if t.Len < 0 {
			return SpellDecl(t.Elem, name+"[]")
		}
		return SpellDecl(t.Elem, fmt.Sprintf("%s[%d]", name, t.Len))
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
