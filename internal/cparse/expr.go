package cparse

import (
	"strconv"
	"strings"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// cval is the value of an integer constant expression: 32 or 64 bits,
// signed or unsigned, as C's usual arithmetic conversions make it.
type cval struct {
	v        int64 // the bits, sign- or zero-extended from the width
	unsigned bool
	wide     bool // 64-bit
}

func (c cval) norm() cval {
	if !c.wide {
		if c.unsigned {
			c.v = int64(uint32(c.v))
		} else {
			c.v = int64(int32(c.v))
		}
	}
	return c
}

func (c cval) isZero() bool { return c.v == 0 }

func boolVal(b bool) cval {
	if b {
		return cval{v: 1}
	}
	return cval{}
}

// constInt parses a constant expression and returns it as an int64.
func (p *parser) constInt(what string) int64 {
	at := p.peek().pos
	c := p.condExpr()
	if c.unsigned && c.wide && c.v < 0 {
		p.fail(at, "%s %d is out of range", what, uint64(c.v))
	}
	return c.v
}

func (p *parser) condExpr() cval {
	p.enter(p.peek().pos)
	c := p.binExpr(0)
	if p.accept("?") {
		a := p.condExpr()
		p.expect(":", "in conditional expression")
		b := p.condExpr()
		r := a
		if c.isZero() {
			r = b
		}
		c = cval{r.v, conv(a, b).unsigned, a.wide || b.wide}.norm()
	}
	p.leave()
	return c
}

// binOps are the binary operators with their precedence.
var binOps = [...]struct {
	op   string
	prec int8
}{
	{"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4}, {"&", 5}, {"==", 6}, {"!=", 6},
	{"<", 7}, {">", 7}, {"<=", 7}, {">=", 7}, {"<<", 8}, {">>", 8},
	{"+", 9}, {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10},
}

// binPrec is the precedence of the binary operator op, or 0.
func binPrec(op string) int {
	for _, b := range binOps {
		if b.op == op {
			return int(b.prec)
		}
	}
	return 0
}

// conv is the common type of a and b (values unchanged).
func conv(a, b cval) cval {
	switch {
	case a.wide == b.wide:
		return cval{unsigned: a.unsigned || b.unsigned, wide: a.wide}
	case a.wide:
		return cval{unsigned: a.unsigned, wide: true}
	}
	return cval{unsigned: b.unsigned, wide: true}
}

func (p *parser) binExpr(minPrec int) cval {
	left := p.unaryExpr()
	for {
		t := p.peek()
		prec := binPrec(t.text)
		if t.kind != tPunct || prec == 0 || prec <= minPrec {
			return left
		}
		p.next()
		right := p.binExpr(prec)
		left = p.binOp(t, left, right)
	}
}

func (p *parser) binOp(op token, a, b cval) cval {
	switch op.text {
	case "||":
		return boolVal(!a.isZero() || !b.isZero())
	case "&&":
		return boolVal(!a.isZero() && !b.isZero())
	case "<<", ">>":
		width := int64(32)
		if a.wide {
			width = 64
		}
		if b.v < 0 || b.v >= width || (b.unsigned && b.wide && b.v < 0) {
			p.fail(op.pos, "shift count %d is out of range for a %d-bit value", b.v, width)
		}
		r := a
		if op.text == "<<" {
			r.v = a.v << uint(b.v)
		} else if a.unsigned {
			r.v = int64(uint64(a.v) >> uint(b.v))
		} else {
			r.v = a.v >> uint(b.v)
		}
		return r.norm()
	}
	r := conv(a, b)
	x, y := cval{a.v, r.unsigned, r.wide}.norm().v, cval{b.v, r.unsigned, r.wide}.norm().v
	ux, uy := uint64(x), uint64(y)
	if !r.wide && r.unsigned {
		ux, uy = uint64(uint32(x)), uint64(uint32(y))
	}
	switch op.text {
	case "|":
		r.v = x | y
	case "^":
		r.v = x ^ y
	case "&":
		r.v = x & y
	case "+":
		r.v = x + y
	case "-":
		r.v = x - y
	case "*":
		r.v = x * y
	case "/", "%":
		if y == 0 {
			p.fail(op.pos, "division by zero in constant expression")
		}
		switch {
		case r.unsigned && op.text == "/":
			r.v = int64(ux / uy)
		case r.unsigned:
			r.v = int64(ux % uy)
		case x == -1<<63 && y == -1:
			p.fail(op.pos, "overflow in constant expression")
		case op.text == "/":
			r.v = x / y
		default:
			r.v = x % y
		}
	default: // comparisons
		var res bool
		if r.unsigned {
			switch op.text {
			case "==":
				res = ux == uy
			case "!=":
				res = ux != uy
			case "<":
				res = ux < uy
			case ">":
				res = ux > uy
			case "<=":
				res = ux <= uy
			case ">=":
				res = ux >= uy
			}
		} else {
			switch op.text {
			case "==":
				res = x == y
			case "!=":
				res = x != y
			case "<":
				res = x < y
			case ">":
				res = x > y
			case "<=":
				res = x <= y
			case ">=":
				res = x >= y
			}
		}
		return boolVal(res)
	}
	return r.norm()
}

// unaryExpr parses a unary expression, one level deeper. The levels are
// counted without defer (which costs code in each function that has one):
// a failure ends the parse, or the macro evaluation, that counted them
// (see macroValue).
func (p *parser) unaryExpr() cval {
	p.enter(p.peek().pos)
	c := p.unary()
	p.leave()
	return c
}

func (p *parser) unary() cval {
	t := p.peek()
	if t.kind == tPunct {
		switch t.text {
		case "-", "+", "~", "!":
			p.next()
			a := p.unaryExpr()
			switch t.text {
			case "-":
				a.v = -a.v
			case "~":
				a.v = ^a.v
			case "!":
				return boolVal(a.isZero())
			}
			return a.norm()
		case "(":
			p.next()
			if p.startsType() {
				ct := p.typeName()
				p.expect(")", "after type name in cast")
				a := p.unaryExpr()
				if !ct.IsInteger() {
					p.fail(t.pos, "cast to %s in integer constant expression", ct)
				}
				r := cval{v: a.v, unsigned: !ct.Signed, wide: ct.Size > 4}
				if ct.Size < 4 || ct.Kind == ctype.Bool {
					switch {
					case ct.Kind == ctype.Bool:
						r.v = boolVal(!a.isZero()).v
					case ct.Size == 1 && ct.Signed:
						r.v = int64(int8(a.v))
					case ct.Size == 1:
						r.v = int64(uint8(a.v))
					case ct.Signed:
						r.v = int64(int16(a.v))
					default:
						r.v = int64(uint16(a.v))
					}
					return cval{v: r.v}
				}
				return r.norm()
			}
			a := p.condExpr()
			p.expect(")", "to close parenthesized expression")
			return a
		}
	}
	if t.kind == tIdent {
		switch t.text {
		case "__extension__":
			p.next()
			return p.unaryExpr()
		case "sizeof", "_Alignof", "__alignof__", "__alignof", "alignof":
			p.next()
			open := p.expect("(", "after "+t.text+" (only type names are supported)")
			ct := p.typeName()
			p.expect(")", "after type name")
			switch {
			case ct.Kind == ctype.Func:
				p.fail(open.pos, "%s applied to a function type", t.text)
			case ct.Kind == ctype.Void:
				p.fail(open.pos, "%s applied to void", t.text)
			case !ct.Complete:
				p.fail(open.pos, "%s applied to incomplete type %s", t.text, ct)
			}
			n := ct.Size
			if t.text != "sizeof" {
				n = ct.Align
			}
			return cval{v: int64(n), unsigned: true, wide: true}
		case "true":
			p.next()
			return cval{v: 1}
		case "false":
			p.next()
			return cval{}
		}
	}
	return p.primary()
}

func (p *parser) primary() cval {
	t := p.next()
	switch t.kind {
	case tNumber:
		return p.number(t)
	case tChar:
		return p.charConst(t)
	case tIdent:
		if p.expanding != nil {
			if c, ok := p.macroInt(t); ok {
				return c
			}
		}
		if v, ok := p.s.Const(t.text); ok {
			return cval{v: v, wide: v != int64(int32(v))}
		}
		if _, ok := p.s.idents[t.text]; ok {
			p.fail(t.pos, "%q is not an integer constant", t.text)
		}
		p.fail(t.pos, "undeclared identifier %q in constant expression", t.text)
	}
	p.fail(t.pos, "expected a constant expression, found %s", t.describe())
	return cval{}
}

// asciiLower returns s with its ASCII capitals lowered: a number token
// is ASCII (lex), and strings.ToLower would bring in Unicode's case tables.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// number parses an integer literal with C's typing rules.
func (p *parser) number(t token) cval {
	s := asciiLower(t.text)
	end := len(s)
	for end > 0 && (s[end-1] == 'u' || s[end-1] == 'l') {
		end--
	}
	digits, suffix := s[:end], s[end:]
	uns := strings.IndexByte(suffix, 'u') >= 0
	longs := countByte(suffix, 'l')
	// Two 'l's are "ll" when the first is followed by the second.
	ll := longs == 2 && suffix[strings.IndexByte(suffix, 'l')+1] == 'l'
	if countByte(suffix, 'u') > 1 || longs > 2 || (longs == 2 && !ll) {
		p.fail(t.pos, "invalid suffix %q on integer constant", t.text[end:])
	}
	base := 10
	switch {
	case strings.HasPrefix(digits, "0x"):
		base, digits = 16, digits[2:]
	case strings.HasPrefix(digits, "0b"):
		base, digits = 2, digits[2:]
	case len(digits) > 1 && digits[0] == '0':
		base, digits = 8, digits[1:]
	}
	hasE, hasP := strings.IndexByte(digits, 'e') >= 0, strings.IndexByte(digits, 'p') >= 0
	if strings.IndexByte(s, '.') >= 0 || (base == 10 && (hasE || hasP)) || (base == 16 && hasP) {
		p.fail(t.pos, "floating constant %s in integer constant expression", t.text)
	}
	u, err := strconv.ParseUint(digits, base, 64)
	if err != nil || digits == "" {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			p.fail(t.pos, "integer constant %s is too large", t.text)
		}
		p.fail(t.pos, "invalid integer constant %s", t.text)
	}
	wide := longs == 2 || (longs == 1 && p.m.LongSize == 8)
	switch {
	case !wide && !uns && u <= 1<<31-1:
		return cval{v: int64(u)}
	case !wide && (uns || base != 10) && u <= 1<<32-1:
		return cval{v: int64(u), unsigned: true}
	case !uns && u <= 1<<63-1:
		return cval{v: int64(u), wide: true}
	case uns || base != 10:
		return cval{v: int64(u), unsigned: true, wide: true}
	}
	p.fail(t.pos, "integer constant %s is too large", t.text)
	return cval{}
}

// charConst parses a character constant such as 'a' or '\n'.
func (p *parser) charConst(t token) cval {
	b, ok := unquoteC(t.text[1 : len(t.text)-1])
	if !ok || len(b) != 1 {
		p.fail(t.pos, "invalid character constant %s", t.text)
	}
	v := b[0]
	if p.m.CharSigned {
		return cval{v: int64(int8(v))}
	}
	return cval{v: int64(v)}
}
