package cparse

import (
	"fmt"
	"strings"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// context of a list of declaration specifiers.
type specCtx uint8

const (
	ctxDecl     specCtx = iota // file-level declaration
	ctxMember                  // struct/union member
	ctxParam                   // function parameter
	ctxTypeName                // type name (casts, sizeof, ParseType)
)

// specs is the result of parsing declaration specifiers.
type specs struct {
	typ     *ctype.Type
	storage string // "typedef", "extern", "static" or ""
	tagged  bool   // a struct/union/enum specifier (declares a tag)
	body    bool   // ... with a body {...}
	inline  bool   // inline was written
	attrs   attrs
}

// attrs are the GCC attributes the layout depends on.
type attrs struct {
	packed  bool
	aligned int
	// mode is the argument of mode(...) without underscores ("DI",
	// "word"), vector the N of vector_size(N); both change the type they
	// apply to (see typeAttrs).
	mode     string
	modeAt   pos
	vector   int
	vectorAt pos
	asm      string // the symbol name of an asm label
}

// startsType reports whether the next token can begin declaration
// specifiers.
func (p *parser) startsType() bool {
	t := p.peek()
	if t.kind != tIdent {
		return false
	}
	if _, ok := p.s.Lookup(t.text); ok {
		return true
	}
	// A built-in type name that is no keyword (_Float32, which a header
	// may also typedef itself) starts a type too.
	f := lookupWord(t.text).flags
	return f&fOpaque != 0 || f&(fKeyword|fSizeof) == fKeyword
}

// baseSpecs are the basic type specifiers of declaration specifiers.
type baseSpecs struct {
	n     [nBaseWords]int // how many times each was written
	order []string        // the words as written
	first token           // the first of them
}

func (b *baseSpecs) add(t token, w baseWord) {
	if b.first.kind == tEOF {
		b.first = t
	}
	b.n[w]++
	b.order = append(b.order, t.text)
}

// declSpecs parses declaration specifiers and qualifiers into a type.
func (p *parser) declSpecs(ctx specCtx) specs {
	var sp specs
	start := p.peek()
	var base baseSpecs
	var named *ctype.Type
	var quals wordFlags // fConst, fVolatile, fRestrict
	var cplx token      // _Complex, if written
	seen := false       // any specifier or qualifier at all
loop:
	for {
		t := p.peek()
		if t.kind != tIdent {
			break
		}
		w := t.text
		info := lookupWord(w)
		switch f := info.flags; {
		case f&fStorage != 0:
			if ctx == ctxMember || ctx == ctxTypeName || (ctx == ctxParam && w != "register") {
				p.fail(t.pos, "storage class %q is not allowed here", w)
			}
			if trimByte(w, '_') == "inline" {
				sp.inline = true
			}
			if w == "typedef" || w == "extern" || w == "static" {
				if sp.storage != "" && sp.storage != w {
					p.fail(t.pos, "multiple storage classes in declaration (%s and %s)", sp.storage, w)
				}
				sp.storage = w
			}
			p.next()
		case f&fQual != 0:
			quals |= f & fQual
			p.next()
		case f&fIgnored != 0:
			p.next()
		case w == "__attribute__" || w == "__attribute" || w == "__declspec":
			p.attributes(&sp.attrs)
		case w == "_Alignas":
			p.next()
			p.expect("(", "after _Alignas")
			var n int
			if p.startsType() {
				n = p.typeName().Align
			} else {
				n = p.alignment()
			}
			p.expect(")", "after _Alignas argument")
			sp.attrs.aligned = max(sp.attrs.aligned, n)
		case w == "_Complex" || w == "__complex__":
			if cplx.kind != tEOF {
				p.fail(t.pos, "duplicate %q in declaration specifiers", w)
			}
			cplx = t
			p.next()
		case f&fOpaque != 0 && f&fKeyword == 0 && (named != nil || len(base.order) > 0):
			// A declarator named like a built-in type that is no keyword:
			// glibc's "typedef float _Float32;" for compilers without it.
			break loop
		case f&fOpaque != 0:
			if named != nil || len(base.order) > 0 {
				p.fail(t.pos, "two or more data types in declaration specifiers (%q)", w)
			}
			named = p.builtinType(w, t.pos)
			p.next()
		case f&fUnsupported != 0 && w != "__int128":
			p.fail(t.pos, "%s is not supported", w)
		case f&fBase != 0 || w == "__int128":
			if named != nil {
				p.fail(t.pos, "two or more data types in declaration specifiers (%q after %s)", w, named)
			}
			base.add(t, info.base)
			if n := base.n[info.base]; n > 1 && info.base != bInt128 && !(info.base == bLong && n == 2) {
				p.fail(t.pos, "duplicate %q in declaration specifiers", w)
			}
			p.next()
		case w == "struct" || w == "union" || w == "enum":
			if named != nil || len(base.order) > 0 {
				p.fail(t.pos, "two or more data types in declaration specifiers (%q)", w)
			}
			if w == "enum" {
				named, sp.body = p.enumSpec()
			} else {
				named, sp.body = p.structSpec()
			}
			sp.tagged = true
		default:
			td, ok := p.s.Lookup(w)
			if !ok || named != nil || len(base.order) > 0 {
				break loop
			}
			named = td
			p.next()
		}
		seen = true
	}
	if !seen || (named == nil && len(base.order) == 0 && cplx.kind == tEOF) {
		t := p.peek()
		if r, ok := p.s.recorded[t.text]; ok && t.kind == tIdent {
			p.fail(t.pos, "%v", r.err(t.text))
		}
		if t.kind == tIdent && !isKeyword(t.text) {
			p.fail(t.pos, "unknown type name %q", t.text)
		}
		p.fail(start.pos, "expected a type, found %s", p.peek().describe())
	}
	typ := named
	if typ == nil && len(base.order) > 0 {
		typ = p.baseType(&base)
	}
	if cplx.kind != tEOF {
		typ = p.complexType(typ, cplx)
	}
	typ = p.typeAttrs(typ, &sp.attrs)
	if quals&fRestrict != 0 && typ.Kind != ctype.Pointer {
		p.fail(start.pos, "restrict requires a pointer type, not %s", typ)
	}
	sp.typ = typ.Qualified(quals&fConst != 0, quals&fVolatile != 0, quals&fRestrict != 0)
	return sp
}

// baseType resolves a combination of basic type keywords.
func (p *parser) baseType(b *baseSpecs) *ctype.Type {
	if t := p.baseTypeOf(b); t != nil {
		return t
	}
	words := b.order[0]
	for _, w := range b.order[1:] {
		words += " " + w
	}
	p.fail(b.first.pos, "invalid combination of type specifiers %q", words)
	return nil
}

// baseTypeOf is baseType, or nil for an invalid combination.
func (p *parser) baseTypeOf(b *baseSpecs) *ctype.Type {
	c := &b.n
	var set uint // bit w for each baseWord w written
	for w, n := range c {
		if n > 0 {
			set |= 1 << w
		}
	}
	// only reports whether no words but the allowed ones were written.
	only := func(allowed uint) bool { return set&^allowed == 0 }
	const (
		intWords  = 1<<bInt | 1<<bSigned | 1<<bUnsigned
		sizeWords = intWords | 1<<bShort | 1<<bLong
	)
	sign, uns := c[bSigned] > 0, c[bUnsigned] > 0
	m := p.m
	var name string
	switch {
	case sign && uns:
		return nil
	case c[bInt128] > 0:
		if c[bInt128] > 1 || len(b.order) != c[bInt128]+c[bSigned]+c[bUnsigned] {
			return nil
		}
		name = "__int128"
		if uns {
			name = "unsigned __int128"
		}
		return p.opaque(name, 16, 16, b.first.pos)
	case c[bVoid] > 0:
		if only(1 << bVoid) {
			return m.Void()
		}
	case c[bBool] > 0:
		if only(1 << bBool) {
			return m.Bool()
		}
	case c[bFloat] > 0:
		if only(1 << bFloat) {
			return m.Float()
		}
	case c[bDouble] > 0:
		if only(1<<bDouble|1<<bLong) && c[bLong] == 0 {
			return m.Double()
		}
		if only(1<<bDouble|1<<bLong) && c[bLong] == 1 {
			return m.LongDouble()
		}
	case c[bChar] > 0:
		if !only(1<<bChar | 1<<bSigned | 1<<bUnsigned) {
			return nil
		}
		switch {
		case sign:
			return m.Int("signed char")
		case uns:
			return m.Int("unsigned char")
		}
		return m.Int("char")
	case c[bShort] > 0 && only(sizeWords&^(1<<bLong)):
		name = "short"
	case c[bLong] == 1 && only(sizeWords&^(1<<bShort)):
		name = "long"
	case c[bLong] == 2 && only(sizeWords&^(1<<bShort)):
		name = "long long"
	case c[bShort] == 0 && c[bLong] == 0 && only(intWords):
		name = "int"
	}
	if name == "" {
		return nil
	}
	if uns {
		name = "unsigned " + name
	}
	return m.Int(name)
}

// attributes parses any number of __attribute__((...)), __declspec(...)
// and __asm__("...") and records packed and aligned.
func (p *parser) attributes(a *attrs) {
	for {
		t := p.peek()
		switch t.text {
		case "__attribute__", "__attribute":
			p.next()
			p.expect("(", "after __attribute__")
			p.expect("(", "after __attribute__(")
			for !p.is(")") {
				nt := p.next()
				if nt.kind != tIdent {
					p.fail(nt.pos, "expected attribute name, found %s", nt.describe())
				}
				switch name := trimByte(nt.text, '_'); name {
				case "packed":
					a.packed = true
				case "mode":
					p.expect("(", "after mode")
					m := p.next()
					if m.kind != tIdent {
						p.fail(m.pos, "expected a machine mode name in mode(...), found %s", m.describe())
					}
					p.expect(")", "after mode argument")
					a.mode, a.modeAt = trimByte(m.text, '_'), nt.pos
				case "vector_size":
					p.expect("(", "after vector_size")
					at := p.peek().pos
					n := p.constInt("vector size")
					if n <= 0 || n > 1<<20 {
						p.fail(at, "vector size %d is out of range", n)
					}
					p.expect(")", "after vector_size argument")
					a.vector, a.vectorAt = int(n), nt.pos
				case "scalar_storage_order", "ms_struct", "gcc_struct":
					p.fail(nt.pos, "attribute %s changes the layout and is not supported", name)
				case "aligned":
					n := 16 // the largest alignment of a fundamental type on every model
					if p.accept("(") {
						n = p.alignment()
						p.expect(")", "after aligned argument")
					}
					a.aligned = max(a.aligned, n)
				default:
					if p.is("(") {
						p.skipParens()
					}
				}
				if !p.accept(",") {
					break
				}
			}
			p.expect(")", "to close __attribute__")
			p.expect(")", "to close __attribute__")
		case "__asm__", "__asm", "asm":
			// An asm label names the symbol of the declaration
			// (glibc: fscanf is "__isoc99_fscanf").
			p.next()
			if p.is("(") && p.peekN(1).kind == tString {
				p.next()
				var label strings.Builder
				for p.peek().kind == tString {
					s, ok := unquoteC(trimByte(p.next().text, '"'))
					if !ok {
						p.fail(t.pos, "invalid string in %s label", t.text)
					}
					label.WriteString(s)
				}
				p.expect(")", "to close "+t.text+" label")
				a.asm = label.String()
				continue
			}
			if !p.is("(") {
				p.fail(p.peek().pos, "expected '(' after %s, found %s", t.text, p.peek().describe())
			}
			p.skipParens()
		case "__declspec":
			p.next()
			if !p.is("(") {
				p.fail(p.peek().pos, "expected '(' after %s, found %s", t.text, p.peek().describe())
			}
			p.skipParens()
		default:
			return
		}
	}
}

// alignment parses the constant N of aligned(N) or _Alignas(N).
func (p *parser) alignment() int {
	at := p.peek().pos
	n := p.constInt("alignment")
	if n <= 0 || n&(n-1) != 0 || n > 1<<28 {
		p.fail(at, "requested alignment %d is not a positive power of 2", n)
	}
	return int(n)
}

// skipParens skips a balanced parenthesized token sequence.
func (p *parser) skipParens() {
	open := p.expect("(", "")
	level := 1
	for level > 0 {
		t := p.next()
		switch {
		case t.kind == tEOF:
			p.fail(open.pos, "unbalanced '('")
		case t.kind == tPunct && t.text == "(":
			level++
		case t.kind == tPunct && t.text == ")":
			level--
		}
	}
}

// tagName parses the optional tag after struct/union/enum.
func (p *parser) tagName() (string, pos) {
	t := p.peek()
	if t.kind == tIdent && !isKeyword(t.text) {
		p.next()
		return t.text, t.pos
	}
	return "", t.pos
}

// lookupTag finds or forward-declares a tag referenced without a body.
func (p *parser) lookupTag(kind ctype.Kind, kw, tag string, at pos) *ctype.Type {
	if tag == "" {
		p.fail(at, "expected a tag or '{' after '%s', found %s", kw, p.peek().describe())
	}
	if t, ok := p.s.tags[tag]; ok {
		if t.Kind != kind {
			p.fail(at, "'%s' defined as wrong kind of tag (%s, was %s)", tag, kind, t.Kind)
		}
		return t
	}
	t := p.m.Incomplete(kind, tag)
	p.s.setTag(tag, t)
	return t
}

// defineTag installs the definition def of a tagged type: completes a
// forward declaration in place, or checks a repeated definition.
func (p *parser) defineTag(target, def *ctype.Type, at pos) *ctype.Type {
	if target.Complete {
		if !ctype.Identical(target, def) {
			p.fail(at, "conflicting definition of %s", target)
		}
		return target
	}
	restore := target.Snapshot()
	p.check(at, target.Define(def))
	p.s.undo = append(p.s.undo, restore)
	return target
}

// tagTarget returns the type a tagged definition fills: the existing
// incomplete or complete one, or a new forward declaration.
func (p *parser) tagTarget(kind ctype.Kind, tag string, at pos) *ctype.Type {
	if tag == "" {
		return nil
	}
	return p.lookupTag(kind, "", tag, at)
}

// structSpec parses struct-or-union [attrs] [tag] [{ members }] [attrs].
func (p *parser) structSpec() (*ctype.Type, bool) {
	kwTok := p.next()
	kind := ctype.Struct
	if kwTok.text == "union" {
		kind = ctype.Union
	}
	var a attrs
	p.attributes(&a)
	tag, tagPos := p.tagName()
	p.attributes(&a)
	if !p.is("{") {
		if a != (attrs{}) {
			p.fail(tagPos, "attributes on a %s reference without a body are not supported", kwTok.text)
		}
		return p.lookupTag(kind, kwTok.text, tag, tagPos), false
	}
	target := p.tagTarget(kind, tag, tagPos)
	open := p.next()
	p.enter(open.pos)
	members := p.members(kwTok.text)
	p.leave()
	closeAt := p.i // the '}': GCC lays the record out with the #pragma pack in force here
	if !p.accept("}") {
		p.expect("}", fmt.Sprintf("to close %s body", kwTok.text))
	}
	p.attributes(&a)
	def, err := p.m.Record(kind, tag, members, ctype.RecordAttrs{Packed: a.packed, Aligned: a.aligned, Pack: p.packAt(closeAt)})
	where := tagPos
	if tag == "" {
		where = kwTok.pos
	}
	if err != nil {
		p.fail(where, "%s %s: %v", kwTok.text, tagOrAnon(tag), err)
	}
	p.checkDepth(where, def)
	if target == nil {
		return def, true
	}
	return p.defineTag(target, def, where), true
}

func tagOrAnon(tag string) string {
	if tag == "" {
		return "(anonymous)"
	}
	return tag
}

// members parses member declarations up to the closing brace.
func (p *parser) members(kw string) []ctype.Member {
	var ms []ctype.Member
	names := map[string]bool{}
	for !p.is("}") {
		if p.peek().kind == tEOF {
			p.fail(p.peek().pos, "expected '}' to close %s body, found end of input", kw)
		}
		if p.accept(";") {
			continue
		}
		start := p.peek()
		spec := p.declSpecs(ctxMember)
		if p.is(";") {
			t := spec.typ
			if !spec.body || (t.Kind != ctype.Struct && t.Kind != ctype.Union) || t.Tag != "" {
				p.fail(start.pos, "declaration does not declare anything")
			}
			ms = append(ms, ctype.Member{Type: t, Packed: spec.attrs.packed, Aligned: spec.attrs.aligned})
			p.next()
			continue
		}
		for {
			var d declResult
			var mt *ctype.Type
			if p.is(":") {
				d = declResult{pos: p.peek().pos}
				mt = spec.typ
			} else {
				d = p.declarator(dNamed)
				mt = d.apply(spec.typ)
			}
			a := spec.attrs
			mem := ctype.Member{Name: d.name, Type: mt}
			if p.accept(":") {
				wpos := p.peek().pos
				w := p.constInt("bitfield width")
				what := "unnamed bitfield"
				if d.name != "" {
					what = fmt.Sprintf("bitfield %q", d.name)
				}
				switch {
				case !mt.IsInteger():
					p.fail(d.pos, "%s has non-integer type %s", what, mt)
				case w < 0:
					p.fail(wpos, "%s has negative width %d", what, w)
				case mt.Kind == ctype.Bool && w > 1, w > int64(mt.Size)*8:
					p.fail(wpos, "width %d of %s exceeds its type %s", w, what, mt)
				case w == 0 && d.name != "":
					p.fail(wpos, "zero width for %s", what)
				}
				mem.BitField, mem.BitSize = true, int(w)
			}
			p.attributes(&a)
			mt = p.typeAttrs(mt, &a)
			mem.Type = mt
			mem.Packed, mem.Aligned = a.packed, a.aligned
			if d.name != "" {
				if names[d.name] {
					p.fail(d.pos, "duplicate member %q", d.name)
				}
				names[d.name] = true
			}
			switch {
			case mt.Kind == ctype.Func:
				p.fail(d.pos, "member %q declared as a function", d.name)
			case mt.Kind == ctype.Void:
				p.fail(d.pos, "member %q declared void", d.name)
			case !mt.Complete && !(mt.Kind == ctype.Array && mt.Len < 0):
				p.fail(d.pos, "member %q has incomplete type %s", d.name, mt)
			}
			ms = append(ms, mem)
			if p.accept(",") {
				continue
			}
			if !p.accept(";") {
				desc := "unnamed bitfield"
				if d.name != "" {
					desc = fmt.Sprintf("%s member %q", kw, d.name)
				}
				p.expect(";", "after "+desc)
			}
			break
		}
	}
	return ms
}

// enumSpec parses enum [tag] [{ enumerators }].
func (p *parser) enumSpec() (*ctype.Type, bool) {
	kwTok := p.next()
	var a attrs
	p.attributes(&a)
	tag, tagPos := p.tagName()
	p.attributes(&a)
	if !p.is("{") {
		return p.lookupTag(ctype.Enum, "enum", tag, tagPos), false
	}
	target := p.tagTarget(ctype.Enum, tag, tagPos)
	p.next()
	var es []ctype.Enumerator
	val := int64(0)
	for !p.is("}") {
		t := p.next()
		if t.kind != tIdent || isKeyword(t.text) {
			p.fail(t.pos, "expected enumerator name, found %s", t.describe())
		}
		var ea attrs
		p.attributes(&ea)
		if p.accept("=") {
			val = p.constInt("enumerator value")
		}
		p.defineIdent(t.text, t.pos, ident{kind: idConst, value: val})
		es = append(es, ctype.Enumerator{Name: t.text, Value: val})
		if val == 1<<63-1 && p.is(",") {
			p.fail(t.pos, "enumerator value overflows after %q", t.text)
		}
		val++
		if !p.accept(",") {
			break
		}
	}
	p.expect("}", "to close enumerator list")
	p.attributes(&a)
	if a.aligned > 0 {
		p.fail(kwTok.pos, "attribute aligned on an enum is not supported")
	}
	def := p.m.Enum(tag, es)
	if a.packed {
		def = p.m.PackedEnum(tag, es)
	}
	if target == nil {
		return def, true
	}
	return p.defineTag(target, def, tagPos), true
}

// modeSizes are the integer and floating machine modes of mode(...), by
// size in bytes; 0 is the model's pointer (and word) size.
var modeSizes = [...]struct {
	mode string
	size int8
}{{"QI", 1}, {"byte", 1}, {"HI", 2}, {"SI", 4}, {"DI", 8}, {"word", 0}, {"pointer", 0}, {"SF", 4}, {"DF", 8}}

// modeSize is the size of a mode of modeSizes; ok is false for others.
func modeSize(mode string) (size int, ok bool) {
	for _, m := range modeSizes {
		if m.mode == mode {
			return int(m.size), true
		}
	}
	return 0, false
}

// typeAttrs applies the type-changing attributes mode(...) and
// vector_size(N) of a to t and clears them from a, so that each applies
// once: in declaration specifiers to the base type, after a declarator to
// the declared type.
func (p *parser) typeAttrs(t *ctype.Type, a *attrs) *ctype.Type {
	if a.mode != "" {
		mode, at := a.mode, a.modeAt
		a.mode = ""
		size, ok := modeSize(mode)
		if size == 0 {
			size = p.m.PtrSize
		}
		isFloat := mode == "SF" || mode == "DF"
		switch {
		case mode == "TI" && t.IsInteger():
			name := "__int128"
			if !t.Signed {
				name = "unsigned __int128"
			}
			t = p.opaque(name, 16, 16, at)
		case !ok:
			p.fail(at, "mode(%s) is not supported (only QI, HI, SI, DI, TI, SF, DF, byte, word and pointer)", mode)
		case isFloat && (t.Kind == ctype.Float || t.Kind == ctype.Double):
			q := p.m.Float()
			if size == 8 {
				q = p.m.Double()
			}
			t = q.Qualified(t.Const, t.Volatile, false)
		case !isFloat && t.Kind == ctype.Int:
			t = p.m.IntOfSize(size, t.Signed).Qualified(t.Const, t.Volatile, false)
		default:
			p.fail(at, "mode(%s) cannot apply to %s", mode, t)
		}
	}
	if a.vector > 0 {
		n, at := a.vector, a.vectorAt
		a.vector = 0
		v, err := p.m.Vector(t.Unqualified(), n)
		if err != nil {
			p.fail(at, "%v", err)
		}
		t = v.Qualified(t.Const, t.Volatile, false)
	}
	return t
}
