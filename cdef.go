package ffi

// Cdef adds C declarations to the default scope: typedefs, struct, union
// and enum definitions and forward declarations, function and variable
// declarations, and #define constants, as written by hand or as the C
// preprocessor prints a real header (cc -E -P, cc -E -dD, or plain cc -E
// with its line markers):
//
//	typedef struct sqlite3 sqlite3;
//	int sqlite3_open(const char *filename, sqlite3 **ppDb);
//	#define SQLITE_OK 0
//
// What a header holds besides declarations is handled so that the rest
// works (see the package documentation, "C headers", for the full list):
// function bodies and static data are skipped and recorded, so that using
// one is an error naming it and where it was declared; types the model
// cannot pass (__int128, _Complex, __builtin_va_list, ...) keep their size
// and alignment and are refused by value; pragmas, line markers,
// _Static_assert and attributes that do not change layout are skipped;
// packed, aligned, mode and vector_size are laid out as gcc does.
// Directives other than #define, #undef, #pragma and line markers
// (#include, #if, ...) mean the text was not preprocessed and are errors.
//
// Comments are allowed. Repeating an identical declaration is accepted, a
// conflicting one is an error. Errors name the line and column
// ("cdef:3:17: expected ';' after struct member "x", found "}""), and, in
// the preprocessor's output with line markers (cc -E, cc -E -dD), the
// header's file and line too ("... (avx512fp16intrin.h:39)"). If Cdef
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
