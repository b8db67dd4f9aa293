package ffi

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/seed5ca82032/ffi/internal/cparse"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/upcall"
)

// Scope is a set of C declarations (typedefs, struct, union and enum
// tags, functions) for the host's data model, filled by Cdef. The
// package-level functions use a default scope; a Scope value keeps its
// declarations apart from it. A Scope is safe for concurrent use. The
// zero Scope is empty and ready to use, like one from NewScope.
type Scope struct {
	mu sync.Mutex
	cs *cparse.Scope

	// decls caches parsed function declarations by their text, and the
	// callback protos made from them: a declaration is parsed and
	// classified once per scope. The cache belongs to the scope, so it is
	// collected with it.
	decls  sync.Map // string -> *declEntry
	ndecls atomic.Int64
}

// maxCached bounds a scope's cache of declarations: past it, declarations
// are parsed but not kept, so a program that makes unbounded numbers of
// distinct declarations does not grow memory without bound.
const maxCached = 4096

// declEntry is a parsed function declaration and, once a callback has
// needed it, its proto.
type declEntry struct {
	name  string
	ft    *ctype.Type
	proto atomic.Pointer[upcall.Proto]
}

// parser returns the scope's parser state, creating it for a zero Scope.
// The caller holds s.mu.
func (s *Scope) parser() *cparse.Scope {
	if s.cs == nil {
		s.cs = cparse.NewScope(ctype.Host())
	}
	return s.cs
}

// NewScope returns an empty scope for the host's data model, with the
// standard typedefs (size_t, int32_t, ...) predeclared.
func NewScope() *Scope {
	return newScopeModel(ctype.Host())
}

func newScopeModel(m *ctype.Model) *Scope {
	return &Scope{cs: cparse.NewScope(m)}
}

// defaultScope is the scope of the package-level Cdef, Sizeof, Alignof
// and Offsetof.
var defaultScope = NewScope()

// parseType parses a C type name ("const char *", "struct point",
// "int (*)(int)") in the scope.
func (s *Scope) parseType(decl string) (*ctype.Type, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.parser().ParseType(decl)
}

// funcDecl parses the C function signature decl: a full declaration such
// as "int sqlite3_open(const char *filename, sqlite3 **ppDb)" (with or
// without ';'), an abstract function or function pointer type such as
// "int (*)(const void *, const void *)", a typedef name of a function or
// function pointer type, or the name of a function declared with Cdef.
// It returns the declared name ("" for abstract types and typedef names)
// and the function type (Kind Func).
func (s *Scope) funcDecl(decl string) (name string, fn *ctype.Type, err error) {
	e, err := s.decl(decl)
	if err != nil {
		return "", nil, err
	}
	return e.name, e.ft, nil
}

// decl returns the cached entry of decl, parsing it on first use. Only
// successes are cached: a later Cdef may make a failing declaration valid,
// but cannot change the meaning of a valid one (conflicting redefinitions
// are errors, and completing a struct completes the type the entry already
// refers to). Past maxCached entries, results are computed but not kept.
func (s *Scope) decl(decl string) (*declEntry, error) {
	if e, ok := s.decls.Load(decl); ok {
		return e.(*declEntry), nil
	}
	name, ft, err := s.parseFuncDecl(decl)
	if err != nil {
		return nil, err
	}
	e := &declEntry{name: name, ft: ft}
	if s.ndecls.Load() >= maxCached {
		return e, nil
	}
	actual, loaded := s.decls.LoadOrStore(decl, e)
	if !loaded {
		s.ndecls.Add(1)
	}
	return actual.(*declEntry), nil
}

// parseFuncDecl parses decl as funcDecl describes, without the cache.
func (s *Scope) parseFuncDecl(decl string) (name string, fn *ctype.Type, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs := s.parser()
	if id := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(decl), ";")); isIdent(id) {
		if t, ok := cs.Func(id); ok {
			return id, t, nil
		}
		if err := cs.Recorded(id); err != nil { // skipped from a header, and why
			return "", nil, err
		}
		// A macro that names a function (gmp.h: #define mpz_init
		// __gmpz_init) binds that function, under its own symbol.
		alias := id
		for range 16 { // a chain of macros, which may loop
			to, fnLike, where, ok := cs.Macro(alias)
			if !ok || len(to) == 0 && !fnLike {
				break
			}
			if fnLike {
				return "", nil, errfmt.Errorf("%q is a function-like macro (#define at %s), not a function: bind the function it expands to, by its own name or declaration", alias, where)
			}
			if t, ok := cs.Func(to); ok {
				return to, t, nil
			}
			alias = to
		}
		if _, err := cs.ParseType(id); err != nil { // neither a function nor a typedef
			return "", nil, errfmt.Errorf("no function %q is declared in this scope: give the whole C declaration (such as \"int abs(int)\"), or declare the function first with Cdef", id)
		}
	}
	name, t, err := cs.ParseDecl(decl)
	if err != nil {
		return "", nil, err
	}
	if t.Kind == ctype.Pointer && t.Elem.Kind == ctype.Func {
		t = t.Elem
	}
	if t.Kind != ctype.Func {
		return "", nil, declErr(decl, "%q is %s, not a function or function pointer type", strings.TrimSpace(decl), t)
	}
	return name, t, nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if !(c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || i > 0 && '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// declErr is an error about a whole type or declaration string, placed at
// its first non-blank character.
func declErr(decl, format string, args ...any) error {
	line, col := 1, 1
	for _, c := range decl {
		if c == '\n' {
			line, col = line+1, 1
			continue
		}
		if c != ' ' && c != '\t' && c != '\r' {
			break
		}
		col++
	}
	return &cparse.Error{Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}
