package cparse

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// maxDepth bounds the nesting of declarators, struct bodies and
// expressions, so that no input can exhaust the stack.
const maxDepth = 128

type parser struct {
	s    *Scope
	m    *ctype.Model
	toks []token
	dirs []macroDirective // #define and #undef lines of the source
	// packs are the #pragma pack changes of the source, in order.
	packs []packPoint
	i     int
	// expanding holds the macros being evaluated (see macro.go); nil
	// outside a macro body, where identifiers are never macros.
	expanding map[string]bool
	// sawFloat records that a macro body has a floating constant, cast or
	// macro in it (see macroValue).
	sawFloat bool
	depth    int
}

// bail carries a parse error out of the recursive descent by panic; run
// turns it back into an error.
type bail struct{ err *Error }

// run parses src with f, committing the scope's changes if f succeeds and
// taking them all back if it fails.
func (s *Scope) run(src string, f func(p *parser)) (err error) {
	toks, dirs, packs, err := lex(src)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.locate(dirs)
		}
		return err
	}
	p := &parser{s: s, m: s.model, toks: toks, dirs: dirs, packs: packs}
	s.undo = nil
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				s.rollback()
				panic(r)
			}
			b.err.locate(dirs)
			err = b.err
		}
		if err != nil {
			s.rollback()
		}
		s.undo = nil
	}()
	f(p)
	return nil
}

// Parse reads C declarations into the scope. If it fails, the scope is
// left as it was.
func (s *Scope) Parse(src string) error {
	return s.run(src, func(p *parser) {
		for p.peek().kind != tEOF {
			p.declaration()
		}
		p.defineMacros()
	})
}

// ParseType reads one C type name: a type with an optional abstract
// declarator ("const char *", "int (*)(const void *, const void *)",
// "struct point[4]") or a typedef name.
func (s *Scope) ParseType(src string) (*ctype.Type, error) {
	var t *ctype.Type
	err := s.run(src, func(p *parser) {
		if p.peek().kind == tEOF {
			p.fail(p.peek().pos, "expected a type name, found end of input")
		}
		t = p.typeName()
		p.accept(";")
		p.expectEOF("after type name")
	})
	return t, err
}

// ParseDecl reads a single declaration with or without a trailing ';',
// such as "int sqlite3_open(const char *filename, sqlite3 **ppDb)", and
// returns the declared name ("" for an abstract declarator such as
// "int (*)(int)") and type. The declaration is not added to the scope
// (struct, union and enum definitions inside it are).
func (s *Scope) ParseDecl(src string) (name string, t *ctype.Type, err error) {
	err = s.run(src, func(p *parser) {
		if p.peek().kind == tEOF {
			p.fail(p.peek().pos, "expected a declaration, found end of input")
		}
		spec := p.declSpecs(ctxDecl)
		d := p.declarator(dEither)
		var a attrs
		p.attributes(&a)
		t = p.typeAttrs(d.apply(spec.typ), &a)
		name = d.name
		p.misspelledType(d)
		p.accept(";")
		p.expectEOF("after declaration")
	})
	return name, t, err
}

// peek returns the next token. It and the other token helpers (next, is,
// accept, fail, token.describe, isKeyword) are kept out of line: they are
// called from some three hundred places, and inlined copies cost the
// smallest program tens of kilobytes for no speed that parsing needs.
//
//go:noinline
func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekN(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

// next consumes and returns the next token (EOF stays).
//
//go:noinline
func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// is reports whether the next token is the punctuator or keyword text.
//
//go:noinline
func (p *parser) is(text string) bool {
	t := p.peek()
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}

// accept consumes the punctuator or keyword text if it is next.
//
//go:noinline
func (p *parser) accept(text string) bool {
	if p.is(text) {
		p.next()
		return true
	}
	return false
}

// expect consumes text or fails with "expected 'text' <context>, found X".
func (p *parser) expect(text, context string) token {
	if !p.is(text) {
		t := p.peek()
		msg := fmt.Sprintf("expected '%s'", text)
		if context != "" {
			msg += " " + context
		}
		p.fail(t.pos, "%s, found %s", msg, t.describe())
	}
	return p.next()
}

func (p *parser) expectEOF(context string) {
	if t := p.peek(); t.kind != tEOF {
		p.fail(t.pos, "unexpected %s %s", t.describe(), context)
	}
}

// misspelledType reports a declarator that is a bare name followed by
// another identifier ("unsigned lnog strlen(...)"): no C declaration has
// two names in a row, so the first is a type name the scope does not know,
// most likely misspelled. The error points at it rather than at the second.
//
// Unless the second starts a type on a later line: then the first ended a
// declaration that lacks its ';' ("typedef struct X_s X" and, on the next
// line, "size_t f(X *);").
func (p *parser) misspelledType(d declResult) {
	if d.name != "" && p.peek().kind == tIdent && p.i > 0 && p.toks[p.i-1].pos == d.pos { // the declarator is just the name
		if next := p.peek(); next.pos.line > d.pos.line && p.startsType() {
			p.fail(next.pos, "expected ';' after the declaration of %q, found %s", d.name, next.describe())
		}
		p.fail(d.pos, "unknown type name %q", d.name)
	}
}

// fail ends the parse with an error at at (see bail).
//
//go:noinline
func (p *parser) fail(at pos, format string, args ...any) {
	panic(bail{&Error{Line: at.line, Col: at.col, Msg: fmt.Sprintf(format, args...)}})
}

// check turns an error from the type model into a parse error at pos.
func (p *parser) check(at pos, err error) {
	if err != nil {
		if e, ok := err.(*Error); ok {
			panic(bail{e})
		}
		p.fail(at, "%s", err.Error())
	}
}

func (p *parser) enter(at pos) {
	p.depth++
	if p.depth > maxDepth {
		p.fail(at, "declaration is nested too deeply (more than %d levels)", maxDepth)
	}
}

func (p *parser) leave() { p.depth-- }

// maxTypeDepth bounds how deeply a type may nest pointers, arrays,
// functions and members, so that printing and comparing types stays
// shallow.
const maxTypeDepth = 100

func (p *parser) checkDepth(at pos, t *ctype.Type) {
	if t.Depth() > maxTypeDepth {
		p.fail(at, "type is nested too deeply (more than %d levels)", maxTypeDepth)
	}
}

// declaration parses one file-level declaration and adds it to the scope.
// Function definitions and initialized data are skipped: a static or
// inline function body declares nothing with a symbol, and neither does
// static data (both are recorded, see recordedDecl); the declarations of
// other definitions are kept.
func (p *parser) declaration() {
	if p.accept(";") {
		return
	}
	if t := p.peek(); t.kind == tIdent && (t.text == "_Static_assert" || t.text == "static_assert") {
		p.next()
		p.skipParens()
		p.expect(";", "after "+t.text)
		return
	}
	start := p.peek()
	spec := p.declSpecs(ctxDecl)
	if p.accept(";") {
		if !spec.tagged {
			p.fail(start.pos, "declaration does not declare anything")
		}
		return
	}
	if t := p.peek(); spec.tagged && t.kind != tIdent && t.text != "*" && t.text != "(" {
		p.fail(t.pos, "expected ';' after %s, found %s", spec.typ, t.describe())
	}
	for {
		d := p.declarator(dNamed)
		var a attrs
		p.attributes(&a)
		t := p.typeAttrs(d.apply(spec.typ), &a)
		noSymbol := spec.storage == "static" || (spec.inline && spec.storage != "extern")
		switch {
		case p.is("{") && t.Kind == ctype.Func:
			p.skipBraces()
			if noSymbol {
				p.record(d, "a static or inline function defined in the header, which has no symbol to call")
			} else {
				p.declare(spec, a, d, t)
			}
			return
		case p.is("{"):
			p.fail(p.peek().pos, "unexpected '{' after the declaration of %q", d.name)
		case p.accept("="):
			p.skipInitializer()
			if spec.storage == "typedef" {
				p.fail(d.pos, "typedef %q is initialized", d.name)
			}
			if noSymbol {
				p.record(d, "static data defined in the header, which has no symbol")
			} else {
				p.declare(spec, a, d, t)
			}
		default:
			p.declare(spec, a, d, t)
		}
		if p.accept(",") {
			continue
		}
		p.misspelledType(d)
		if !p.accept(";") {
			p.expect(";", fmt.Sprintf("after declaration of %q", d.name))
		}
		return
	}
}

// skipBraces skips a balanced {...} (a function body).
func (p *parser) skipBraces() {
	open := p.next()
	level := 1
	for level > 0 {
		t := p.next()
		switch {
		case t.kind == tEOF:
			p.fail(open.pos, "unbalanced '{'")
		case t.kind == tPunct && t.text == "{":
			level++
		case t.kind == tPunct && t.text == "}":
			level--
		}
	}
}

// skipInitializer skips an initializer up to the ',' or ';' that ends it.
func (p *parser) skipInitializer() {
	level := 0
	for {
		t := p.peek()
		switch {
		case t.kind == tEOF:
			p.fail(t.pos, "unexpected end of input in an initializer")
		case t.kind != tPunct:
		case t.text == "(" || t.text == "{" || t.text == "[":
			level++
		case t.text == ")" || t.text == "}" || t.text == "]":
			level--
			if level < 0 {
				p.fail(t.pos, "unbalanced %q in an initializer", t.text)
			}
		case level == 0 && (t.text == "," || t.text == ";"):
			return
		}
		p.next()
	}
}

// recordedDecl is a declaration that was skipped because it declares
// nothing that can be called or read through a symbol.
type recordedDecl struct {
	why string
	at  pos
}

func (r recordedDecl) err(name string) error {
	return errfmt.Errorf("%s is not supported: %s (declared at %d:%d)", name, r.why, r.at.line, r.at.col)
}

// record notes a skipped declaration; a real declaration of the name
// (elsewhere in the header) takes precedence.
func (p *parser) record(d declResult, why string) {
	if _, ok := p.s.idents[d.name]; ok {
		return
	}
	p.s.setRecorded(d.name, recordedDecl{why: why, at: d.pos})
}

// declare adds a typedef, function or variable to the scope.
func (p *parser) declare(spec specs, a attrs, d declResult, t *ctype.Type) {
	id := ident{typ: t}
	switch {
	case spec.storage == "typedef":
		id.kind = idTypedef
		t = t.Typedef(d.name)
		// aligned on a typedef, after the declarator or among the
		// specifiers, sets the alignment (it may lower it).
		if n := max(a.aligned, spec.attrs.aligned); n > 0 {
			t.Align, t.AlignAttr = n, n
		}
		id.typ = t
	case t.Kind == ctype.Func:
		id.kind = idFunc
		if a.asm != "" && a.asm != d.name {
			p.s.setSymbol(d.name, a.asm)
		}
	case t.Kind == ctype.Void:
		p.fail(d.pos, "variable %q declared void", d.name)
	default:
		id.kind = idVar
	}
	p.defineIdent(d.name, d.pos, id)
	if _, ok := p.s.recorded[d.name]; ok {
		p.s.setRecorded(d.name, recordedDecl{})
		delete(p.s.recorded, d.name)
	}
}

var identKindNames = [...]string{idTypedef: "typedef", idFunc: "function", idVar: "variable", idConst: "enum constant"}

// defineIdent adds an ordinary identifier, accepting an identical
// redeclaration.
func (p *parser) defineIdent(name string, at pos, id ident) {
	if old, ok := p.s.idents[name]; ok {
		if old.kind != id.kind {
			p.fail(at, "%q redeclared as a different kind of symbol (%s, was %s)", name, identKindNames[id.kind], identKindNames[old.kind])
		}
		if id.kind == idConst {
			if old.value != id.value {
				p.fail(at, "conflicting values for enum constant %q (%d, was %d)", name, id.value, old.value)
			}
			return
		}
		if !ctype.Identical(old.typ, id.typ) {
			p.fail(at, "conflicting types for %s %q: %s, was %s", identKindNames[id.kind], name, id.typ.Unnamed(), old.typ.Unnamed())
		}
		return
	}
	p.s.setIdent(name, id)
}

// typeName parses a type name: specifiers and an abstract declarator.
func (p *parser) typeName() *ctype.Type {
	spec := p.declSpecs(ctxTypeName)
	d := p.declarator(dAbstract)
	return d.apply(spec.typ)
}
