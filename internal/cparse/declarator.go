package cparse

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// declarator modes.
type declMode uint8

const (
	dNamed    declMode = iota // a name is required
	dAbstract                 // no name allowed
	dEither                   // parameters: named or abstract
)

// declResult is a parsed declarator: the declared name and what apply
// needs to build the declared type from the specifiers' type.
type declResult struct {
	name  string
	pos   pos
	p     *parser
	ptrs  []ptrQuals
	sufs  []declSuffix // in source order
	inner *declResult  // a nested declarator, "(*fp)"
}

// declSuffix is an array or function suffix of a declarator.
type declSuffix struct {
	pos      pos // the '[' or '('
	fn       bool
	n        int64 // array: the number of elements, -1 if not given
	params   []ctype.Param
	variadic bool
}

type ptrQuals struct {
	c, v, r bool
	pos     pos
}

// declarator parses pointer* direct-declarator suffix*.
func (p *parser) declarator(mode declMode) declResult {
	p.enter(p.peek().pos)
	p.declaratorAttrs()
	var ptrs []ptrQuals
	for p.is("*") {
		q := ptrQuals{pos: p.next().pos}
		for {
			w := p.peek().text
			if p.peek().kind != tIdent {
				break
			}
			if f := lookupWord(w).flags; f&fQual != 0 {
				q.c = q.c || f&fConst != 0
				q.v = q.v || f&fVolatile != 0
				q.r = q.r || f&fRestrict != 0
				p.next()
			} else if f&fIgnored != 0 {
				p.next()
			} else if w == "__attribute__" || w == "__attribute" {
				p.declaratorAttrs()
			} else {
				break
			}
		}
		ptrs = append(ptrs, q)
	}
	for wordIs(p.peek().text, fIgnored) && p.peek().kind == tIdent {
		p.next()
	}
	res := declResult{pos: p.peek().pos, p: p, ptrs: ptrs}
	t := p.peek()
	switch {
	case t.kind == tPunct && t.text == "(" && p.nestedDeclarator(mode):
		p.next()
		r := p.declarator(mode)
		p.expect(")", "to close declarator")
		res.inner = &r
		res.name, res.pos = r.name, r.pos
	case t.kind == tIdent && !isKeyword(t.text) && mode != dAbstract:
		// After the specifiers, even a typedef name is the declared name.
		res.name = t.text
		p.next()
	}
	if mode == dNamed && res.name == "" {
		t := p.peek()
		p.fail(t.pos, "expected identifier or '(' in declarator, found %s", t.describe())
	}
	for {
		t := p.peek()
		if p.accept("[") {
			// Parameter arrays may say [static N] or [const N]: the
			// parameter decays to a pointer either way.
			for w := p.peek(); w.kind == tIdent && (w.text == "static" || wordIs(w.text, fQual)); w = p.peek() {
				p.next()
			}
			n := int64(-1)
			if !p.is("]") {
				npos := p.peek().pos
				n = p.constInt("array size")
				if n < 0 {
					p.fail(npos, "size of array %s is negative (%d)", nameOr(res.name), n)
				}
				if n > 1<<40 {
					p.fail(npos, "size of array %s is too large (%d)", nameOr(res.name), n)
				}
			}
			p.expect("]", "to close array size")
			res.sufs = append(res.sufs, declSuffix{pos: t.pos, n: n})
			continue
		}
		if p.is("(") {
			params, variadic := p.params()
			res.sufs = append(res.sufs, declSuffix{pos: t.pos, fn: true, params: params, variadic: variadic})
			continue
		}
		break
	}
	p.leave()
	return res
}

// apply builds the declared type from the specifiers' type base.
func (d *declResult) apply(base *ctype.Type) *ctype.Type {
	p, t := d.p, base
	for _, q := range d.ptrs {
		if q.r && t.Kind == ctype.Func {
			p.fail(q.pos, "restrict on a pointer to a function")
		}
		t = p.m.Pointer(t).Qualified(q.c, q.v, q.r)
	}
	for i := len(d.sufs) - 1; i >= 0; i-- {
		s := &d.sufs[i]
		if s.fn {
			f, err := p.m.Func(t, s.params, s.variadic)
			if err != nil {
				p.fail(s.pos, "function %s: %v", nameOr(d.name), err)
			}
			t = f
			continue
		}
		if t.Kind == ctype.Array && t.Len < 0 {
			p.fail(s.pos, "array %s has elements of unknown size (%s)", nameOr(d.name), t)
		}
		a, err := p.m.Array(t, int(s.n))
		p.check(s.pos, err)
		t = a
	}
	if d.inner != nil {
		t = d.inner.apply(t)
	}
	p.checkDepth(d.pos, t)
	return t
}

func nameOr(name string) string {
	if name == "" {
		return "(abstract)"
	}
	return fmt.Sprintf("%q", name)
}

// nestedDeclarator decides, at a '(' in a declarator, whether it opens a
// nested declarator ("(*fp)") rather than a parameter list.
func (p *parser) nestedDeclarator(mode declMode) bool {
	n := 1
	t := p.peekN(n)
	for t.kind == tIdent && (t.text == "__attribute__" || t.text == "__attribute") && p.peekN(n+1).text == "(" {
		// Skip the attribute's balanced parentheses.
		level := 0
		for n++; ; n++ {
			u := p.peekN(n)
			if u.kind == tEOF {
				return false
			}
			if u.kind == tPunct && u.text == "(" {
				level++
			} else if u.kind == tPunct && u.text == ")" {
				level--
				if level == 0 {
					break
				}
			}
		}
		n++
		t = p.peekN(n)
	}
	switch {
	case t.kind == tPunct:
		return t.text == "*" || t.text == "(" || t.text == "["
	case t.kind == tIdent:
		if wordIs(t.text, fIgnored) {
			return true
		}
		if isKeyword(t.text) {
			return false
		}
		if _, isType := p.s.Lookup(t.text); isType {
			return mode == dNamed
		}
		return mode != dAbstract
	}
	return false
}

// params parses a parameter list "( ... )".
func (p *parser) params() ([]ctype.Param, bool) {
	open := p.expect("(", "")
	p.enter(open.pos)
	var params []ctype.Param
	if p.accept(")") {
		p.leave()
		return nil, false
	}
	names := map[string]bool{}
	variadic := false
	for {
		if t := p.peek(); p.accept("...") {
			if len(params) == 0 {
				p.fail(t.pos, "a named parameter is required before '...'")
			}
			variadic = true
			p.expect(")", "after '...'")
			break
		}
		start := p.peek()
		if !p.startsType() {
			if r, ok := p.s.recorded[start.text]; ok && start.kind == tIdent {
				p.fail(start.pos, "%v", r.err(start.text))
			}
			if start.kind == tIdent && !isKeyword(start.text) {
				p.fail(start.pos, "unknown type name %q in parameter %d", start.text, len(params)+1)
			}
			p.fail(start.pos, "expected parameter declaration, found %s", start.describe())
		}
		spec := p.declSpecs(ctxParam)
		d := p.declarator(dEither)
		var a attrs
		p.attributes(&a)
		t := p.typeAttrs(d.apply(spec.typ), &a)
		if t.Kind == ctype.Void {
			switch {
			case d.name != "":
				p.fail(d.pos, "parameter %q has type void", d.name)
			case len(params) > 0 || !p.is(")") || t.Const || t.Volatile:
				p.fail(start.pos, "'void' must be the only parameter")
			}
			p.next()
			p.leave()
			return nil, false
		}
		if d.name != "" {
			if names[d.name] {
				p.fail(d.pos, "redefinition of parameter %q", d.name)
			}
			names[d.name] = true
		}
		params = append(params, ctype.Param{Name: d.name, Type: t})
		if p.accept(",") {
			continue
		}
		if !p.accept(")") {
			p.expect(")", fmt.Sprintf("after parameter %d", len(params)))
		}
		break
	}
	p.leave()
	return params, variadic
}

// declaratorAttrs skips attributes inside a declarator (after '*' or
// '('), which GCC applies to the pointer or the declared entity; those
// that change a layout are refused there.
func (p *parser) declaratorAttrs() {
	var a attrs
	at := p.peek().pos
	p.attributes(&a)
	if a.packed || a.aligned > 0 || a.mode != "" || a.vector > 0 {
		p.fail(at, "packed, aligned, mode and vector_size attributes inside a declarator are not supported")
	}
}
