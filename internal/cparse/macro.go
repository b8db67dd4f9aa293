package cparse

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// macroDirective is a #define or #undef line of the source, or a
// #pragma pack (pack set, body the text between its parentheses).
type macroDirective struct {
	pack   bool
	undef  bool
	marker bool // a line marker (# 12 "zlib.h"): line 12 of file
	file   string
	line   int
	name   string
	fnLike bool   // #define NAME(args) ...
	body   string // the replacement text
	at     pos    // the '#'
	bodyAt pos    // the first byte of body
}

// maxExpansions bounds the macro expansions of one Value call, so that
// macros that refer to each other many times over cannot take
// exponential time.
const maxExpansions = 100000

// macro is an object-like or function-like macro of a scope. Object-like
// macros are evaluated as constant expressions when asked for (Value),
// with the enum constants and macros known then.
type macro struct {
	name   string
	fnLike bool
	body   string
	at     pos
	bodyAt pos
	toks   []token // the lexed body, once Value needed it
	lexErr error
}

// tokens lexes the body of m once, with positions in the source.
func (m *macro) tokens() ([]token, error) {
	if m.toks != nil || m.lexErr != nil {
		return m.toks, m.lexErr
	}
	toks, _, _, err := lex(m.body)
	if err != nil {
		m.lexErr = err
		return nil, err
	}
	for i := range toks {
		if toks[i].pos.line == 1 {
			toks[i].pos.col += m.bodyAt.col - 1
		}
		toks[i].pos.line += m.bodyAt.line - 1
	}
	m.toks = toks
	return toks, nil
}

// directive reads one preprocessor line (from '#' to the end of the line,
// continuations included). #define, #undef and line markers ("# 12
// "file.h"", #line, for Error.locate) are returned; pragmas other than
// #pragma pack are skipped (nil); #pragma pack is returned for lex to
// follow; anything else means the text was not preprocessed.
func directive(line string, at pos) (*macroDirective, error) {
	i := skipBlanks(line, 1)
	name, i := word(line, i)
	switch {
	case name == "" && i == len(line):
		return nil, nil // null directive
	case name == "line", name != "" && name[0] >= '0' && name[0] <= '9':
		return lineMarker(line, name, i, at), nil
	case name == "pragma":
		w, j := word(line, skipBlanks(line, i))
		if w != "pack" {
			return nil, nil
		}
		i = skipBlanks(line, j)
		open, end := i, strings.LastIndexByte(line, ')')
		if i == len(line) || line[i] != '(' || end < i || strings.TrimSpace(line[end+1:]) != "" {
			return nil, &Error{Line: at.line, Col: at.col + i, Msg: "expected (...) after #pragma pack"}
		}
		return &macroDirective{pack: true, body: line[open+1 : end], at: at, bodyAt: pos{at.line, at.col + open + 1}}, nil
	case name == "define" || name == "undef":
		i = skipBlanks(line, i)
		nameCol := at.col + i
		m, j := word(line, i)
		i = j
		if m == "" || !isIdentStart(m[0]) {
			return nil, &Error{Line: at.line, Col: nameCol, Msg: fmt.Sprintf("expected a macro name after #%s", name)}
		}
		d := &macroDirective{undef: name == "undef", name: m, at: at}
		if d.undef {
			return d, nil
		}
		d.fnLike = i < len(line) && line[i] == '('
		i = skipBlanks(line, i)
		d.body = line[i:]
		d.bodyAt = pos{at.line + countByte(line[:i], '\n'), at.col + i - (strings.LastIndexByte(line[:i], '\n') + 1)}
		return d, nil
	}
	return nil, &Error{Line: at.line, Col: at.col, Msg: fmt.Sprintf("preprocessor directive #%s is not supported: run the C preprocessor first (cc -E -P, or cc -E -dD to keep #define constants)", name)}
}

// lineMarker reads the line marker line ("# 12 "zlib.h" 3", "#line 12
// "zlib.h""), whose first word (the number, or "line") ends at i: the
// marker, or nil if it names no file (the position stays unknown then).
func lineMarker(line, name string, i int, at pos) *macroDirective {
	if name == "line" {
		name, i = word(line, skipBlanks(line, i))
	}
	n, err := strconv.Atoi(name)
	i = skipBlanks(line, i)
	if err != nil || i >= len(line) || line[i] != '"' {
		return nil
	}
	end := strings.IndexByte(line[i+1:], '"')
	if end < 0 {
		return nil
	}
	return &macroDirective{marker: true, file: line[i+1 : i+1+end], line: n, at: at}
}

// skipBlanks returns the index of the first byte of line from i on that
// is not a blank, a newline or a line continuation.
//
//go:noinline
func skipBlanks(line string, i int) int {
	for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\\' && i+1 < len(line) && line[i+1] == '\n' || line[i] == '\n') {
		i++
	}
	return i
}

// word returns the identifier characters of line from i on, and the index
// after them.
//
//go:noinline
func word(line string, i int) (string, int) {
	j := i
	for j < len(line) && isIdentChar(line[j]) {
		j++
	}
	return line[i:j], j
}

// defineMacros applies the #define and #undef lines of the source to the
// scope, in order.
func (p *parser) defineMacros() {
	for _, d := range p.dirs {
		if d.marker {
			continue
		}
		if d.undef {
			p.s.setMacro(d.name, nil)
			continue
		}
		p.s.setMacro(d.name, &macro{name: d.name, fnLike: d.fnLike, body: d.body, at: d.at, bodyAt: d.bodyAt})
	}
}

// Value returns the value of a constant: an enum constant (int64), or an
// object-like #define whose replacement is a constant expression —
// integer (int64, or uint64 when the value does not fit), floating
// (float64), a string literal or concatenation of string literals
// (string), or a character constant (int64). Macros may refer to enum
// constants and other macros known at the time of the call.
func (s *Scope) Value(name string) (any, error) {
	if m, ok := s.macros[name]; ok {
		s.budget = maxExpansions
		return s.macroValue(m, map[string]bool{})
	}
	if v, ok := s.Const(name); ok {
		return v, nil
	}
	if r, ok := s.recorded[name]; ok {
		return nil, r.err(name)
	}
	if _, ok := s.idents[name]; ok {
		return nil, errfmt.Errorf("%s is not a constant (it is a %s)", name, identKindNames[s.idents[name].kind])
	}
	return nil, errfmt.Errorf("no constant named %q: not an enum constant or #define in this scope", name)
}

// Constants returns the names of the enum constants and object-like
// macros of the scope, sorted; Value tells which macros are constants.
func (s *Scope) Constants() []string {
	var names []string
	for n, id := range s.idents {
		if id.kind == idConst {
			if _, shadowed := s.macros[n]; !shadowed {
				names = append(names, n)
			}
		}
	}
	for n, m := range s.macros {
		if !m.fnLike {
			names = append(names, n)
		}
	}
	sortStrings(names)
	return names
}

// ErrEmptyMacro is wrapped by the error of Value for a macro defined
// empty (#define EXPORT), which stands for nothing rather than for a
// constant that could not be evaluated.
var ErrEmptyMacro = errors.New("empty, not a constant")

// macroValue evaluates an object-like macro; expanding holds the macros
// being evaluated, which are not expanded again (as in C).
func (s *Scope) macroValue(m *macro, expanding map[string]bool) (v any, err error) {
	where := fmt.Sprintf("#define %s at %d:%d", m.name, m.at.line, m.at.col)
	if m.fnLike {
		return nil, errfmt.Errorf("%s is a function-like macro, not a constant (%s)", m.name, where)
	}
	if s.budget--; s.budget < 0 {
		return nil, errfmt.Errorf("%s expands to too many macros (more than %d)", m.name, maxExpansions)
	}
	if len(expanding) > maxDepth {
		return nil, errfmt.Errorf("%s: macros nest too deeply (%s)", m.name, where)
	}
	toks, lerr := m.tokens()
	if lerr != nil {
		return nil, errfmt.Errorf("%s is not a constant: %v (%s)", m.name, lerr, where)
	}
	if len(toks) == 1 {
		return nil, errfmt.Errorf("%s is defined %w (%s)", m.name, ErrEmptyMacro, where)
	}
	ex := map[string]bool{m.name: true}
	for k := range expanding {
		ex[k] = true
	}
	if toks, err = s.expand(toks, ex); err != nil {
		return nil, errfmt.Errorf("%s is not a constant: %v (%s)", m.name, err, where)
	}
	if len(toks) == 1 { // #define STDCALL APICALL, with APICALL empty
		return nil, errfmt.Errorf("%s expands to nothing: it is %w (%s)", m.name, ErrEmptyMacro, where)
	}
	if str, ok := stringConcat(toks); ok {
		return str, nil
	}
	p := &parser{s: s, m: s.model, toks: toks, expanding: ex}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			v, err = nil, errfmt.Errorf("%s is not a constant expression: %v (%s)", m.name, b.err, where)
		}
	}()
	iv, ierr := p.try(p.intValue)
	if ierr == nil {
		return iv, nil
	}
	// Not an integer constant expression: a floating one if it has a
	// floating constant, cast or macro; else the integer error stands.
	p.i, p.depth = 0, 0 // the integer attempt may have failed levels deep
	fv, ferr := p.try(func() any {
		f := p.floatExpr()
		p.expectEOF("after the constant expression")
		return f
	})
	if ferr == nil && p.sawFloat {
		return fv, nil
	}
	panic(bail{ierr})
}

// try runs f, turning a parse failure into an error.
func (p *parser) try(f func() any) (v any, err *Error) {
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bail)
			if !ok {
				panic(r)
			}
			v, err = nil, b.err
		}
	}()
	return f(), nil
}

// intValue evaluates the whole token list as an integer constant
// expression.
func (p *parser) intValue() any {
	c := p.condExpr()
	p.expectEOF("after the constant expression")
	if c.unsigned && c.wide && c.v < 0 {
		return uint64(c.v)
	}
	return c.v
}

// macroInt is the integer value of the macro name inside another macro's
// body; ok is false if name is not a macro or is being expanded.
func (p *parser) macroInt(t token) (cval, bool) {
	m, ok := p.s.macros[t.text]
	if !ok || p.expanding[t.text] {
		return cval{}, false
	}
	v, err := p.s.macroValue(m, p.expanding)
	if err != nil {
		p.fail(t.pos, "%v", err)
	}
	switch v := v.(type) {
	case int64:
		return cval{v: v, wide: v != int64(int32(v))}, true
	case uint64:
		return cval{v: int64(v), unsigned: true, wide: true}, true
	}
	p.fail(t.pos, "%s is not an integer constant", t.text)
	return cval{}, false
}

// stringConcat reports whether toks (before EOF) are string literals,
// possibly in parentheses, and returns their concatenated value.
func stringConcat(toks []token) (string, bool) {
	body := toks[:len(toks)-1]
	for len(body) >= 2 && body[0].text == "(" && body[len(body)-1].text == ")" {
		body = body[1 : len(body)-1]
	}
	if len(body) == 0 {
		return "", false
	}
	var b strings.Builder
	for _, t := range body {
		if t.kind != tString {
			return "", false
		}
		s, ok := unquoteC(t.text[1 : len(t.text)-1])
		if !ok {
			return "", false
		}
		b.WriteString(s)
	}
	return b.String(), true
}

// simpleEscapes pairs the letter of each one-letter escape with its byte.
const simpleEscapes = "n\nt\tr\ra\ab\bf\fv\ve\x1b\\\\''\"\"??"

// unquoteC decodes the escapes of a C string or character literal body:
// \n and friends, octal \ooo (1 to 3 digits) and hex \xhh.
func unquoteC(s string) (string, bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b = append(b, c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		c = s[i]
		if k := strings.IndexByte(simpleEscapes, c); k >= 0 && k%2 == 0 {
			b = append(b, simpleEscapes[k+1])
			continue
		}
		// \xh... (any number of hex digits) or \o, \oo, \ooo: at
		// most 255.
		j, base, most := i, 8, i+3
		if c == 'x' {
			j, base, most = i+1, 16, len(s)
		}
		n, start := 0, j
		for ; j < len(s) && j < most; j++ {
			d := strings.IndexByte("0123456789abcdefABCDEF", s[j])
			if d >= 16 {
				d -= 6
			}
			if d < 0 || d >= base {
				break
			}
			if n = n*base + d; n > 255 {
				return "", false
			}
		}
		if j == start {
			return "", false
		}
		b = append(b, byte(n))
		i = j - 1
	}
	return string(b), true
}

// floatExpr evaluates a floating constant expression of a macro body:
// floating and integer literals, macros and enum constants, unary and
// binary + - * /, parentheses and casts to arithmetic types.
func (p *parser) floatExpr() float64 {
	p.enter(p.peek().pos)
	v := p.floatTerm()
	for p.is("+") || p.is("-") {
		op := p.next()
		w := p.floatTerm()
		if op.text == "+" {
			v += w
		} else {
			v -= w
		}
	}
	p.leave()
	return v
}

func (p *parser) floatTerm() float64 {
	v := p.floatUnary()
	for p.is("*") || p.is("/") {
		op := p.next()
		w := p.floatUnary()
		if op.text == "*" {
			v *= w
		} else {
			v /= w
		}
	}
	return v
}

// floatUnary parses a unary floating expression, one level deeper (see
// unaryExpr).
func (p *parser) floatUnary() float64 {
	p.enter(p.peek().pos)
	v := p.floatUnary1()
	p.leave()
	return v
}

func (p *parser) floatUnary1() float64 {
	t := p.peek()
	switch {
	case p.accept("-"):
		return -p.floatUnary()
	case p.accept("+"):
		return p.floatUnary()
	case p.accept("("):
		if p.startsType() {
			ct := p.typeName()
			p.expect(")", "after type name in cast")
			v := p.floatUnary()
			switch ct.Kind {
			case ctype.Float, ctype.Double, ctype.LongDouble:
			default:
				p.fail(t.pos, "cast to %s in a floating constant expression", ct)
			}
			if ct.Size == 4 {
				v = float64(float32(v))
			}
			p.sawFloat = true
			return v
		}
		v := p.floatExpr()
		p.expect(")", "to close parenthesized expression")
		return v
	}
	p.next()
	switch t.kind {
	case tNumber:
		s := asciiLower(t.text)
		if strings.IndexByte(s, '.') < 0 && strings.IndexByte(s, 'p') < 0 && (strings.HasPrefix(s, "0x") || strings.IndexByte(s, 'e') < 0) {
			return float64(p.number(t).v)
		}
		for len(s) > 0 && (s[len(s)-1] == 'f' || s[len(s)-1] == 'l') {
			s = s[:len(s)-1]
		}
		p.sawFloat = true
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !(errorsIsRange(err) && (math.IsInf(f, 0) || f == 0)) {
			p.fail(t.pos, "invalid floating constant %s", t.text)
		}
		return f
	case tChar:
		return float64(p.charConst(t).v)
	case tIdent:
		if m, ok := p.s.macros[t.text]; ok && !p.expanding[t.text] {
			v, err := p.s.macroValue(m, p.expanding)
			if err != nil {
				p.fail(t.pos, "%v", err)
			}
			switch v := v.(type) {
			case int64:
				return float64(v)
			case uint64:
				return float64(v)
			case float64:
				p.sawFloat = true
				return v
			}
			p.fail(t.pos, "%s is not a number", t.text)
		}
		if v, ok := p.s.Const(t.text); ok {
			return float64(v)
		}
		p.fail(t.pos, "undeclared identifier %q in constant expression", t.text)
	}
	p.fail(t.pos, "expected a constant expression, found %s", t.describe())
	return 0
}

func errorsIsRange(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// Macro describes the macro name, if there is one: the identifier an
// object-like macro stands for alone (gmp.h's "#define mpz_init
// __gmpz_init"; "" if its body is anything else), whether it is
// function-like, and where it was defined ("line:col").
func (s *Scope) Macro(name string) (alias string, fnLike bool, where string, ok bool) {
	m, ok := s.macros[name]
	if !ok || m == nil {
		return "", false, "", false
	}
	where = fmt.Sprintf("%d:%d", m.at.line, m.at.col)
	if m.fnLike {
		return "", true, where, true
	}
	if toks, err := m.tokens(); err == nil && len(toks) == 2 && toks[0].kind == tIdent {
		alias = toks[0].text
	}
	return alias, false, where, true
}
