package cparse

import (
	"errors"
	"fmt"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// maxDepth bounds the nesting of declarators, struct bodies and
// expressions, so that no input can exhaust the stack.
const maxDepth = 128

type parser struct {
	s     *Scope
	m     *ctype.Model
	toks  []token
	i     int
	depth int
}

// bail carries a parse error out of the recursive descent by panic; run
// turns it back into an error.
type bail struct{ err *Error }

// run parses src with f, committing the scope's changes if f succeeds and
// taking them all back if it fails.
func (s *Scope) run(src string, f func(p *parser)) (err error) {
	toks, err := lex(src)
	if err != nil {
		return err
	}
	p := &parser{s: s, m: s.model, toks: toks}
	s.undo = nil
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				s.rollback()
				panic(r)
			}
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
		t = d.apply(spec.typ)
		name = d.name
		p.misspelledType(d)
		p.accept(";")
		p.expectEOF("after declaration")
	})
	return name, t, err
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekN(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// is reports whether the next token is the punctuator or keyword text.
func (p *parser) is(text string) bool {
	t := p.peek()
	return (t.kind == tPunct || t.kind == tIdent) && t.text == text
}

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
func (p *parser) misspelledType(d declResult) {
	if d.name != "" && p.peek().kind == tIdent && p.i > 0 && p.toks[p.i-1].pos == d.pos { // the declarator is just the name
		p.fail(d.pos, "unknown type name %q", d.name)
	}
}

func (p *parser) fail(at pos, format string, args ...any) {
	panic(bail{&Error{Line: at.line, Col: at.col, Msg: fmt.Sprintf(format, args...)}})
}

// check turns an error from the type model into a parse error at pos.
func (p *parser) check(at pos, err error) {
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
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
func (p *parser) declaration() {
	if p.accept(";") {
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
		t := d.apply(spec.typ)
		if p.is("=") {
			p.fail(p.peek().pos, "initializers are not supported (in the declaration of %q)", d.name)
		}
		if p.is("{") {
			p.fail(p.peek().pos, "function bodies are not supported (in the definition of %q)", d.name)
		}
		p.declare(spec, a, d, t)
		if p.accept(",") {
			continue
		}
		p.misspelledType(d)
		p.expect(";", fmt.Sprintf("after declaration of %q", d.name))
		return
	}
}

// declare adds a typedef, function or variable to the scope.
func (p *parser) declare(spec specs, a attrs, d declResult, t *ctype.Type) {
	id := ident{typ: t}
	switch {
	case spec.storage == "typedef":
		id.kind = idTypedef
		t = t.Typedef(d.name)
		if a.aligned > 0 {
			t.Align, t.AlignAttr = a.aligned, a.aligned
		}
		id.typ = t
	case t.Kind == ctype.Func:
		id.kind = idFunc
	case t.Kind == ctype.Void:
		p.fail(d.pos, "variable %q declared void", d.name)
	default:
		id.kind = idVar
	}
	p.defineIdent(d.name, d.pos, id)
}

var identKindNames = map[identKind]string{idTypedef: "typedef", idFunc: "function", idVar: "variable", idConst: "enum constant"}

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
