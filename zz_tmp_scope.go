package ffi

// TEMPORARY STUB so the root package compiles until the parser engineer's
// scope.go/cdef.go land. Whoever adds the real Scope, defaultScope,
// (*Scope).funcDecl and Cdef: DELETE THIS FILE in the same commit.

import (
	"errors"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// Scope is a temporary stub.
type Scope struct{}

var defaultScope = &Scope{}

func (s *Scope) funcDecl(decl string) (string, *ctype.Type, error) {
	return "", nil, errors.New("parser not landed yet")
}

// Cdef is a temporary stub.
func Cdef(string) error { return errors.New("parser not landed yet") }
