package ffi

import "github.com/seed5ca82032/ffi/internal/errfmt"

// Const returns the value of a constant declared with Cdef in the default
// scope: an enum constant, or a #define whose replacement is a constant
// expression. Integers (enum constants, integer and character constants,
// and arithmetic on them, including casts to integer types) are int64, or
// uint64 when the value does not fit in an int64; floating constants are
// float64; string literals are string. A #define is evaluated when Const
// is called, with the enum constants and #defines known then.
// Function-like macros, macros that expand to something other than a
// constant expression, and unknown names are errors naming the constant.
func Const(name string) (any, error) { return defaultScope.Const(name) }

// Const returns the value of a constant declared with Cdef in the scope;
// see the package-level Const.
func (s *Scope) Const(name string) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, err := s.parser().Value(name)
	if err != nil {
		return nil, errfmt.Errorf("ffi: const %s: %v", name, err)
	}
	return v, nil
}
