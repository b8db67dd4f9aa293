// Package ctype models C types and their memory layout for a target data
// model: sizes, alignments, field offsets and bitfield placement as the
// target's C compiler computes them (GCC; on Windows MinGW GCC, whose
// Microsoft bit-field rules are MSVC's).
//
// Types are built with the constructors on *Model. A struct, union or enum
// that is only forward-declared is an incomplete *Type; Define fills it in
// place (together with every typedef or qualified copy made of it) when its
// definition arrives (see Define), so pointers created earlier see the body.
package ctype

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Kind is the category of a C type.
type Kind uint8

// The kinds of C types.
const (
	Void       Kind = iota + 1
	Bool            // _Bool / bool
	Int             // every C integer type incl. char types and wchar_t; see Type.Signed, Type.Size, Type.IntName
	Float           // float
	Double          // double
	LongDouble      // long double: representable, rejected by the ABI code
	Enum            // Elem is the underlying integer type; Size/Align/Signed copied from it
	Pointer         // Elem is the pointee (Func kind for function pointers)
	Array           // Elem, Len (-1 = flexible array member / unsized [])
	Struct          // Fields
	Union           // Fields, all at offset 0
	Func            // Params, Result, Variadic
	// Vector is a GCC vector type (__attribute__((vector_size(N)))): Elem
	// is the element type, Len the number of elements. It has the layout
	// GCC gives it; the ABI code refuses it by value.
	Vector
	// Opaque is a type the model only knows the size and alignment of
	// (__int128, _Float128, _Complex, __builtin_va_list, ...): IntName is
	// its C spelling and Note says why it is not supported and where it
	// was used. It may sit inside structs; the ABI code refuses it by value.
	Opaque
)

var kindNames = [...]string{
	Void: "void", Bool: "bool", Int: "int", Float: "float", Double: "double",
	LongDouble: "long double", Enum: "enum", Pointer: "pointer", Array: "array",
	Struct: "struct", Union: "union", Func: "func", Vector: "vector", Opaque: "opaque",
}

// String returns a short lower-case name of the kind.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Type is one C type. Treat a *Type as a value once built: derive new
// types with the Model constructors, Qualified and Typedef instead of
// editing shared ones.
type Type struct {
	Kind    Kind
	Size    int    // bytes (0 for void, func, incomplete types)
	Align   int    // bytes
	Signed  bool   // Int and Enum
	IntName string // Int: base C spelling ("char", "unsigned long", "wchar_t", ...); Opaque: its spelling ("__int128")
	Name    string // typedef name this type was reached through ("" if none)
	Tag     string // struct/union/enum tag ("" if anonymous)

	Const, Volatile, Restrict bool

	Elem   *Type
	Len    int     // Array: elements (-1 = unsized); Vector: elements
	Fields []Field // Struct/Union, declaration order

	Complete bool // false for a forward-declared (opaque) struct/union/enum
	Packed   bool // struct/union declared __attribute__((packed))
	// AlignAttr is the N of __attribute__((aligned(N))) on a struct or
	// union definition, or on a typedef (0 = none).
	AlignAttr int
	// Pack is the #pragma pack(N) in force where a struct or union was
	// defined; 0 for none.
	Pack int

	Params   []Param // Func
	Result   *Type   // Func; Kind Void for void
	Variadic bool    // Func

	Enumerators []Enumerator // Enum

	// Note is, for an Opaque type, why it is not supported and where it
	// was declared ("__int128 is not supported (declared at 12:5)").
	Note string

	// depth is the nesting of the type (pointer, array, function and
	// member levels), for parsers that bound it.
	depth int
	// root is the tagged type this one is a copy of (typedef or
	// qualified), or nil if this is the root itself.
	root *Type
	// copies are the typedef and qualified copies of a tagged root that
	// Define updates together with it.
	copies []*Type
}

// Field is one member of a struct or union.
type Field struct {
	Name string // "" for an anonymous struct/union member or an unnamed bitfield
	Type *Type
	// Offset is the byte offset of the field. For a bitfield it is the
	// byte offset of the storage unit (an object of the declared type,
	// aligned to its size) that contains the first bit; in a packed struct
	// the bits may run past that unit.
	Offset    int
	BitField  bool
	BitOffset int // bitfield: bit offset from Offset (little-endian bit numbering)
	BitSize   int // bitfield width (0 for an unnamed :0)
	Packed    bool
	Aligned   int // __attribute__((aligned(N))) on the member (0 = none)
}

// Param is one parameter of a function type.
type Param struct {
	Name string
	Type *Type
}

// Enumerator is one named constant of an enum.
type Enumerator struct {
	Name  string
	Value int64
}

// IsInteger reports whether t is an integer type: Int, Enum or Bool.
func (t *Type) IsInteger() bool {
	return t.Kind == Int || t.Kind == Enum || t.Kind == Bool
}

// IsScalar reports whether t is an arithmetic or pointer type.
func (t *Type) IsScalar() bool {
	switch t.Kind {
	case Bool, Int, Float, Double, LongDouble, Enum, Pointer:
		return true
	}
	return false
}

// IsAggregate reports whether t is a struct, union or array.
func (t *Type) IsAggregate() bool {
	return t.Kind == Struct || t.Kind == Union || t.Kind == Array
}

// FieldByName finds a named field of a struct or union, looking into
// anonymous struct/union members. The returned offset is relative to the
// start of t.
func (t *Type) FieldByName(name string) (Field, bool) {
	if name == "" || (t.Kind != Struct && t.Kind != Union) {
		return Field{}, false
	}
	for _, f := range t.Fields {
		if f.Name == name {
			return f, true
		}
		if f.Name == "" && !f.BitField {
			if g, ok := f.Type.FieldByName(name); ok {
				g.Offset += f.Offset
				return g, true
			}
		}
	}
	return Field{}, false
}

// Unqualified returns t without const, volatile and restrict (t itself if
// it has none).
func (t *Type) Unqualified() *Type {
	if !t.Const && !t.Volatile && !t.Restrict {
		return t
	}
	c := t.copy()
	c.Const, c.Volatile, c.Restrict = false, false, false
	return c
}

// Qualified returns a copy of t with the given qualifiers added (t itself
// if it has them all already).
func (t *Type) Qualified(isConst, isVolatile, isRestrict bool) *Type {
	if t.Kind == Func {
		return t // qualifiers of function types have no effect
	}
	if (!isConst || t.Const) && (!isVolatile || t.Volatile) && (!isRestrict || t.Restrict) {
		return t
	}
	c := t.copy()
	c.Const = c.Const || isConst
	c.Volatile = c.Volatile || isVolatile
	c.Restrict = c.Restrict || isRestrict
	if c.Kind == Array {
		// Qualifiers of an array type apply to its elements.
		c.Elem = c.Elem.Qualified(isConst, isVolatile, isRestrict)
	}
	return c
}

// Typedef returns a copy of t reached through the typedef name.
//
// Copies of an incomplete struct, union or enum (from Typedef, Qualified
// and Unqualified) register with it so that Define completes them too;
// do not make them concurrently with each other or with Define.
func (t *Type) Typedef(name string) *Type {
	c := t.copy()
	c.Name = name
	return c
}

// copy makes a shallow copy of t; copies of tagged types are registered
// with their root so that Define updates them.
//
//go:noinline
func (t *Type) copy() *Type {
	c := *t
	c.copies = nil
	if t.Kind == Struct || t.Kind == Union || t.Kind == Enum {
		r := t.root
		if r == nil {
			r = t
		}
		c.root = r
		if !r.Complete {
			r.copies = append(r.copies, &c)
		}
	}
	return &c
}

// Root returns the tagged struct, union or enum type t was copied from by
// Typedef or Qualified (t itself if it is not a copy).
func (t *Type) Root() *Type {
	if t.root != nil {
		return t.root
	}
	return t
}

// Define fills the forward-declared struct, union or enum t (and every
// copy made of it) with the layout of def, which must be of the same kind.
// Name and qualifiers of each copy are kept.
func (t *Type) Define(def *Type) error {
	r := t.Root()
	if r.Kind != def.Kind {
		return errfmt.Errorf("%s redeclared as %s", r.Kind, def.Kind)
	}
	if r.Complete {
		return errfmt.Errorf("%s is already complete", r)
	}
	all := append([]*Type{r}, r.copies...)
	for _, c := range all {
		name, k, v, rs, tag := c.Name, c.Const, c.Volatile, c.Restrict, c.Tag
		root := c.root
		copies := c.copies
		*c = *def
		c.Name, c.Const, c.Volatile, c.Restrict, c.Tag = name, k, v, rs, tag
		c.root, c.copies = root, copies
	}
	r.copies = nil
	return nil
}

// Snapshot records the current state of a tagged type and its copies;
// calling the returned function restores it (to take back a Define).
func (t *Type) Snapshot() (restore func()) {
	r := t.Root()
	all := append([]*Type{r}, r.copies...)
	saved := make([]Type, len(all))
	for i, c := range all {
		saved[i] = *c
	}
	return func() {
		for i, c := range all {
			*c = saved[i]
		}
	}
}

// Unnamed returns t as spelled without the typedef name it was reached
// through (t itself if it has none). The result is for printing and
// comparing; it is not registered for Define.
func (t *Type) Unnamed() *Type {
	if t.Name == "" {
		return t
	}
	c := *t
	c.Name = ""
	c.copies = nil
	return &c
}

// Depth returns how deeply t nests pointer, array, function and member
// types (1 for a basic type).
func (t *Type) Depth() int { return t.depth + 1 }
