// Package cparse parses C declarations (typedefs, struct, union and enum
// definitions, function and variable declarations, type names) into a
// Scope of ctype types for one data model. It reads preprocessed C as
// cc -E prints real headers: #define and #undef lines are kept as macros
// (evaluated as constants by Value), line markers and pragmas are skipped,
// function bodies and static data are skipped and recorded (Recorded),
// and types it cannot pass keep their layout as ctype.Opaque.
package cparse

import (
	"sort"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// identKind says what an ordinary identifier names.
type identKind uint8

const (
	idTypedef identKind = iota + 1
	idFunc
	idVar
	idConst
)

type ident struct {
	kind  identKind
	typ   *ctype.Type
	value int64 // idConst
}

// Scope holds the typedefs, tags, functions, variables and enum constants
// declared so far, for one data model. A Scope is not safe for concurrent
// use.
type Scope struct {
	model  *ctype.Model
	idents map[string]ident
	tags   map[string]*ctype.Type
	// macros are the #define lines seen, by name.
	macros map[string]*macro
	// recorded are declarations skipped because nothing in them can be
	// called or used (static functions with bodies, static data), by name.
	recorded map[string]recordedDecl
	// symbols are the asm labels of functions whose symbol is not their
	// name.
	symbols map[string]string
	// budget is what is left of maxExpansions in the current Value call.
	budget int
	// undo records how to take back the changes of a Parse that fails.
	undo []func()
}

// NewScope returns a scope for the data model m with the standard
// typedefs predeclared: size_t, ssize_t, ptrdiff_t, intptr_t, uintptr_t,
// intmax_t, uintmax_t, int8_t … uint64_t and wchar_t.
func NewScope(m *ctype.Model) *Scope {
	s := &Scope{model: m, idents: map[string]ident{}, tags: map[string]*ctype.Type{},
		macros: map[string]*macro{}, recorded: map[string]recordedDecl{}, symbols: map[string]string{}}
	for _, td := range standardTypedefs(m) {
		s.idents[td[0]] = ident{kind: idTypedef, typ: m.Int(td[1]).Typedef(td[0])}
	}
	return s
}

// StandardTypedefs returns the predeclared typedef names of a model and
// the canonical integer spelling each stands for.
func StandardTypedefs(m *ctype.Model) map[string]string {
	std := map[string]string{}
	for _, td := range standardTypedefs(m) {
		std[td[0]] = td[1]
	}
	return std
}

// standardTypedefs is StandardTypedefs as a list of name and spelling.
func standardTypedefs(m *ctype.Model) [16][2]string {
	long, ulong := "long", "unsigned long"
	if m.LongSize != m.PtrSize {
		long, ulong = "long long", "unsigned long long"
	}
	i64, u64 := "long", "unsigned long"
	if m != ctype.LinuxAMD64 && m != ctype.LinuxARM64 {
		i64, u64 = "long long", "unsigned long long"
	}
	imax, umax := i64, u64
	if m == ctype.DarwinAMD64 || m == ctype.DarwinARM64 {
		imax, umax = "long", "unsigned long"
	}
	wchar := ""
	switch {
	case m.WCharSize == 2 && m.WCharSigned:
		wchar = "short"
	case m.WCharSize == 2:
		wchar = "unsigned short"
	case m.WCharSigned:
		wchar = "int"
	default:
		wchar = "unsigned int"
	}
	return [...][2]string{
		{"size_t", ulong}, {"ssize_t", long}, {"ptrdiff_t", long},
		{"intptr_t", long}, {"uintptr_t", ulong},
		{"intmax_t", imax}, {"uintmax_t", umax},
		{"int8_t", "signed char"}, {"uint8_t", "unsigned char"},
		{"int16_t", "short"}, {"uint16_t", "unsigned short"},
		{"int32_t", "int"}, {"uint32_t", "unsigned int"},
		{"int64_t", i64}, {"uint64_t", u64},
		{"wchar_t", wchar},
	}
}

// Model returns the scope's data model.
func (s *Scope) Model() *ctype.Model { return s.model }

// Lookup returns the type a typedef name stands for.
func (s *Scope) Lookup(name string) (*ctype.Type, bool) {
	id, ok := s.idents[name]
	if !ok || id.kind != idTypedef {
		return nil, false
	}
	return id.typ, true
}

// Func returns the type (Kind Func) of a declared function.
func (s *Scope) Func(name string) (*ctype.Type, bool) {
	id, ok := s.idents[name]
	if !ok || id.kind != idFunc {
		return nil, false
	}
	return id.typ, true
}

// Var returns the type of a declared (extern) variable.
func (s *Scope) Var(name string) (*ctype.Type, bool) {
	id, ok := s.idents[name]
	if !ok || id.kind != idVar {
		return nil, false
	}
	return id.typ, true
}

// Const returns the value of an enum constant.
func (s *Scope) Const(name string) (int64, bool) {
	id, ok := s.idents[name]
	if !ok || id.kind != idConst {
		return 0, false
	}
	return id.value, true
}

// Tag returns the struct, union or enum (kind ctype.Struct, ctype.Union
// or ctype.Enum) with the given tag; it may be incomplete.
func (s *Scope) Tag(kind ctype.Kind, name string) (*ctype.Type, bool) {
	t, ok := s.tags[name]
	if !ok || t.Kind != kind {
		return nil, false
	}
	return t, true
}

// Funcs returns the names of the declared functions, sorted.
func (s *Scope) Funcs() []string {
	var names []string
	for n, id := range s.idents {
		if id.kind == idFunc {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

func (s *Scope) setIdent(name string, id ident) {
	old, had := s.idents[name]
	s.idents[name] = id
	s.undo = append(s.undo, func() {
		if had {
			s.idents[name] = old
		} else {
			delete(s.idents, name)
		}
	})
}

func (s *Scope) setTag(name string, t *ctype.Type) {
	old, had := s.tags[name]
	s.tags[name] = t
	s.undo = append(s.undo, func() {
		if had {
			s.tags[name] = old
		} else {
			delete(s.tags, name)
		}
	})
}

// setMacro defines (m != nil) or undefines a macro.
func (s *Scope) setMacro(name string, m *macro) {
	old, had := s.macros[name]
	if m == nil {
		delete(s.macros, name)
	} else {
		s.macros[name] = m
	}
	s.undo = append(s.undo, func() {
		if had {
			s.macros[name] = old
		} else {
			delete(s.macros, name)
		}
	})
}

func (s *Scope) setRecorded(name string, r recordedDecl) {
	old, had := s.recorded[name]
	s.recorded[name] = r
	s.undo = append(s.undo, func() {
		if had {
			s.recorded[name] = old
		} else {
			delete(s.recorded, name)
		}
	})
}

func (s *Scope) setSymbol(name, sym string) {
	old, had := s.symbols[name]
	s.symbols[name] = sym
	s.undo = append(s.undo, func() {
		if had {
			s.symbols[name] = old
		} else {
			delete(s.symbols, name)
		}
	})
}

// Symbol returns the symbol to look up for the function name: its asm
// label if its declaration has one (glibc declares fscanf with
// __asm__("__isoc99_fscanf")), else name.
func (s *Scope) Symbol(name string) string {
	if sym, ok := s.symbols[name]; ok {
		return sym
	}
	return name
}

// Recorded returns, if the declaration of name was skipped, an error
// naming what is not supported and where it was declared; else nil.
func (s *Scope) Recorded(name string) error {
	r, ok := s.recorded[name]
	if !ok {
		return nil
	}
	return r.err(name)
}

// RecordedNames returns the names of the declarations that were skipped
// and recorded (see Recorded), sorted.
func (s *Scope) RecordedNames() []string {
	names := make([]string, 0, len(s.recorded))
	for n := range s.recorded {
		names = append(names, n)
	}
	sortStrings(names)
	return names
}

func sortStrings(s []string) { sort.Strings(s) }

// rollback takes back every change since the undo log was last cleared.
func (s *Scope) rollback() {
	for i := len(s.undo) - 1; i >= 0; i-- {
		s.undo[i]()
	}
	s.undo = nil
}

// Typedefs returns the typedef names declared in the scope (not the
// predeclared ones), sorted.
func (s *Scope) Typedefs() []string {
	std := StandardTypedefs(s.model)
	var names []string
	for n, id := range s.idents {
		if _, ok := std[n]; !ok && id.kind == idTypedef {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// Tags returns the struct, union and enum tags of the scope, sorted.
func (s *Scope) Tags() []string {
	var names []string
	for n := range s.tags {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
