package ffi

import (
	"fmt"
	"strings"

	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Sizeof returns the size in bytes of a C type name ("struct point",
// "int[4]", "sqlite3_int64", "int (*)(int)") in the default scope, for the
// host's data model, like C's sizeof. Incomplete types, void and function
// types are errors.
func Sizeof(ctype string) (int, error) { return defaultScope.Sizeof(ctype) }

// Alignof returns the alignment in bytes of a C type name in the default
// scope, like C's _Alignof.
func Alignof(ctype string) (int, error) { return defaultScope.Alignof(ctype) }

// Offsetof returns the byte offset of a member of a struct or union type
// in the default scope, like C's offsetof. The member may be a path
// through nested members ("hdr.len") and may be a member of an anonymous
// struct or union member. Bitfields have no byte offset and are an error.
func Offsetof(ctype, field string) (int, error) { return defaultScope.Offsetof(ctype, field) }

// completeType parses a type name that must have a size. A syntax error
// has the position in decl; an error about the whole type names the call
// (fn and its arguments) instead.
func (s *Scope) completeType(call, decl string) (*ctype.Type, error) {
	t, err := s.parseType(decl)
	if err != nil {
		return nil, err
	}
	switch {
	case t.Kind == ctype.Void:
		return nil, errfmt.Errorf("ffi: %s: void has no size", call)
	case t.Kind == ctype.Func:
		return nil, errfmt.Errorf("ffi: %s: %s is a function type, which has no size", call, t)
	case !t.Complete:
		return nil, errfmt.Errorf("ffi: %s: %s is an incomplete type: it is declared but has no definition in this scope", call, t)
	}
	return t, nil
}

// Sizeof returns the size in bytes of a C type name in the scope.
func (s *Scope) Sizeof(ctype string) (int, error) {
	t, err := s.completeType(fmt.Sprintf("Sizeof(%q)", ctype), ctype)
	if err != nil {
		return 0, err
	}
	return t.Size, nil
}

// Alignof returns the alignment in bytes of a C type name in the scope.
func (s *Scope) Alignof(ctype string) (int, error) {
	t, err := s.completeType(fmt.Sprintf("Alignof(%q)", ctype), ctype)
	if err != nil {
		return 0, err
	}
	return t.Align, nil
}

// Offsetof returns the byte offset of a member of a struct or union type
// in the scope; see the package-level Offsetof.
func (s *Scope) Offsetof(ctype, field string) (int, error) {
	call := fmt.Sprintf("Offsetof(%q, %q)", ctype, field)
	t, err := s.completeType(call, ctype)
	if err != nil {
		return 0, err
	}
	off := 0
	for _, name := range strings.Split(field, ".") {
		name = strings.TrimSpace(name)
		if !isIdent(name) {
			return 0, errfmt.Errorf("ffi: %s: invalid member name %q", call, name)
		}
		f, ok := t.FieldByName(name)
		if !ok {
			return 0, errfmt.Errorf("ffi: %s: %s has no member named %q", call, t, name)
		}
		if f.BitField {
			return 0, errfmt.Errorf("ffi: %s: member %q of %s is a bitfield, which has no byte offset", call, name, t)
		}
		off += f.Offset
		t = f.Type
	}
	return off, nil
}
