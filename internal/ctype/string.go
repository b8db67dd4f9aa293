package ctype

import (
	"fmt"
	"strings"
)

// String returns the C spelling of t as a type name ("int (*)(const void *,
// const void *)", "struct point", "char[16]"). Types reached through a
// typedef are spelled by the typedef name; anonymous structs, unions and
// enums are spelled out with their bodies. A parser that knows the same
// typedefs and tags reads the result back as an Identical type.
func (t *Type) String() string {
	var b strings.Builder
	t.format(&b, "", 0)
	return b.String()
}

// maxFormatDepth bounds the nesting String follows (self-referential types
// are cut short by tags, this guards against pathological nesting).
const maxFormatDepth = 200

func quals(t *Type) string {
	q := ""
	if t.Const {
		q = "const"
	}
	if t.Volatile {
		q = joinSep(q, " ", "volatile")
	}
	if t.Restrict {
		q = joinSep(q, " ", "restrict")
	}
	return q
}

// joinSep returns a and b with sep between them, or b if a is empty.
func joinSep(a, sep, b string) string {
	if a == "" {
		return b
	}
	return a + sep + b
}

func join(base, inner string) string {
	switch {
	case inner == "":
		return base
	case strings.HasPrefix(inner, "["):
		return base + inner
	}
	return base + " " + inner
}

// format writes the declaration of inner (an identifier or abstract
// declarator built so far) with type t.
func (t *Type) format(b *strings.Builder, inner string, depth int) {
	if depth > maxFormatDepth {
		writeString(b, "...")
		return
	}
	if t.Name == "" {
		switch t.Kind {
		case Pointer:
			s := "*"
			if q := quals(t); q != "" {
				s += q
				if inner != "" {
					s += " "
				}
			}
			s += inner
			if e := t.Elem; e.Name == "" && (e.Kind == Array || e.Kind == Func) {
				s = "(" + s + ")"
			}
			t.Elem.format(b, s, depth+1)
			return
		case Array:
			n := ""
			if t.Len >= 0 {
				n = fmt.Sprintf("%d", t.Len)
			}
			t.Elem.format(b, inner+"["+n+"]", depth+1)
			return
		case Func:
			var ps strings.Builder
			writeString(&ps, inner+"(")
			for i, p := range t.Params {
				if i > 0 {
					writeString(&ps, ", ")
				}
				p.Type.format(&ps, "", depth+1)
			}
			switch {
			case t.Variadic && len(t.Params) > 0:
				writeString(&ps, ", ...")
			case t.Variadic:
				writeString(&ps, "...")
			case len(t.Params) == 0:
				writeString(&ps, "void")
			}
			writeString(&ps, ")")
			t.Result.format(b, ps.String(), depth+1)
			return
		}
	}
	base := t.baseName(depth)
	if q := quals(t); q != "" && (t.Kind != Array || t.Name != "") {
		base = q + " " + base
	}
	writeString(b, join(base, inner))
}

// baseName spells a type that needs no declarator.
func (t *Type) baseName(depth int) string {
	if t.Name != "" {
		return t.Name
	}
	switch t.Kind {
	case Void:
		return "void"
	case Bool:
		return "_Bool"
	case Int:
		return t.IntName
	case Float:
		return "float"
	case Double:
		return "double"
	case LongDouble:
		return "long double"
	case Opaque:
		return t.IntName
	case Vector:
		return fmt.Sprintf("%s __attribute__((vector_size(%d)))", t.Elem.baseName(depth+1), t.Size)
	case Enum:
		if t.Tag != "" {
			return "enum " + t.Tag
		}
		var b strings.Builder
		writeString(&b, "enum"+attrs(t.Packed, 0, true)+" {")
		for i, e := range t.Enumerators {
			if i > 0 {
				writeString(&b, ",")
			}
			if e.Value == -1<<63 {
				writeString(&b, fmt.Sprintf(" %s = -9223372036854775807 - 1", e.Name))
			} else {
				writeString(&b, fmt.Sprintf(" %s = %d", e.Name, e.Value))
			}
		}
		writeString(&b, " }")
		return b.String()
	case Struct, Union:
		kw := "struct"
		if t.Kind == Union {
			kw = "union"
		}
		if t.Tag != "" {
			return kw + " " + t.Tag
		}
		var b strings.Builder
		writeString(&b, kw)
		writeString(&b, attrs(t.Packed, t.AlignAttr, true))
		writeString(&b, " {")
		for _, f := range t.Fields {
			writeString(&b, " ")
			if f.Name == "" && !f.BitField {
				// Attributes after an anonymous member's body would
				// belong to its type: put them first.
				if a := attrs(f.Packed, f.Aligned, false); a != "" {
					writeString(&b, a+" ")
				}
				f.Type.format(&b, "", depth+1)
				writeString(&b, ";")
				continue
			}
			f.Type.format(&b, f.Name, depth+1)
			if f.BitField {
				writeString(&b, fmt.Sprintf(" : %d", f.BitSize))
			}
			writeString(&b, attrs(f.Packed, f.Aligned, true))
			writeString(&b, ";")
		}
		writeString(&b, " }")
		return b.String()
	}
	return t.Kind.String()
}

// attrs spells __attribute__((packed, aligned(N))).
func attrs(packed bool, aligned int, lead bool) string {
	a := ""
	if packed {
		a = "packed"
	}
	if aligned > 0 {
		a = joinSep(a, ", ", fmt.Sprintf("aligned(%d)", aligned))
	}
	if a == "" {
		return ""
	}
	s := "__attribute__((" + a + "))"
	if lead {
		s = " " + s
	}
	return s
}

// Declaration spells a declaration of name with type t ("int (*name)(int)",
// "char name[16]"), without the trailing ';'. Typedef names are used as in
// String.
func (t *Type) Declaration(name string) string {
	var b strings.Builder
	t.format(&b, name, 0)
	return b.String()
}

// Definition spells the definition of a struct, union or enum with its
// members ("struct point { int x; int y; }"), tagged or not, without the
// trailing ';'. For other kinds it is String.
func (t *Type) Definition() string {
	if t.Kind != Struct && t.Kind != Union && t.Kind != Enum || t.Tag == "" || !t.Complete {
		return t.Unnamed().String()
	}
	c := *t.Unnamed()
	c.Tag = ""
	c.Const, c.Volatile, c.Restrict = false, false, false
	body := c.String()
	kw := body[:strings.IndexByte(body, ' ')]
	return kw + " " + t.Tag + body[len(kw):]
}

// Expanded returns t with every typedef name replaced by the type it
// stands for, down to tagged structs, unions and enums (which keep their
// tags): its String needs no typedef to read back. Typedefs that carry an
// aligned attribute cannot be spelled without their name; ok is false if
// t reaches one.
func (t *Type) Expanded() (e *Type, ok bool) {
	ok = true
	var walk func(t *Type, depth int) *Type
	walk = func(t *Type, depth int) *Type {
		if t == nil || depth > maxFormatDepth {
			return t
		}
		if t.Name != "" && t.AlignAttr != 0 && t.Kind != Struct && t.Kind != Union {
			ok = false
			return t
		}
		if t.Tag != "" {
			return t.Unnamed()
		}
		c := *t.Unnamed()
		c.copies = nil
		switch t.Kind {
		case Pointer, Array, Vector:
			c.Elem = walk(t.Elem, depth+1)
		case Func:
			c.Result = walk(t.Result, depth+1)
			c.Params = make([]Param, len(t.Params))
			for i, p := range t.Params {
				c.Params[i] = Param{Name: p.Name, Type: walk(p.Type, depth+1)}
			}
		case Struct, Union:
			c.Fields = make([]Field, len(t.Fields))
			for i, f := range t.Fields {
				f.Type = walk(f.Type, depth+1)
				c.Fields[i] = f
			}
		}
		return &c
	}
	return walk(t, 0), ok
}

// writeString is b.WriteString, kept out of line: inlined, it copies its
// check against copied Builders to each of the many places that spell a
// type.
//
//go:noinline
func writeString(b *strings.Builder, s string) { b.WriteString(s) }
