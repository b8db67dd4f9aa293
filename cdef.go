package ffi

// Cdef adds C declarations to the default scope: typedefs, struct, union
// and enum definitions and forward declarations, and function
// declarations, written as in a preprocessed C header:
//
//	typedef struct sqlite3 sqlite3;
//	int sqlite3_open(const char *filename, sqlite3 **ppDb);
//
// Comments are allowed; preprocessor directives, initializers and function
// bodies are not. Repeating an identical declaration is accepted, a
// conflicting one is an error. Errors name the line and column
// ("cdef:3:17: expected ';' after struct member "x", found "}""). If Cdef
// fails, none of src's declarations are added. Cdef is safe for concurrent
// use.
func Cdef(src string) error {
	return defaultScope.Cdef(src)
}

// Cdef adds C declarations to the scope; see the package-level Cdef.
func (s *Scope) Cdef(src string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.parser().Parse(src)
}

// symbol returns the symbol to look up for a function declared in the
// scope: its asm label if the declaration has one, else its name.
func (s *Scope) symbol(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.parser().Symbol(name)
}
