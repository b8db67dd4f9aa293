package cparse

import (
	"fmt"
	"strings"
)

// Error is a parse or type error at a position of the source.
type Error struct {
	Line, Col int // 1-based; Col counts bytes
	Msg       string
}

// Error returns "cdef:LINE:COL: message".
func (e *Error) Error() string { return fmt.Sprintf("cdef:%d:%d: %s", e.Line, e.Col, e.Msg) }

// pos is a source position.
type pos struct{ line, col int }

type tokKind uint8

const (
	tEOF tokKind = iota
	tIdent
	tNumber
	tChar
	tString
	tPunct
)

type token struct {
	kind tokKind
	text string
	pos  pos
}

// describe spells a token for "found ..." in error messages.
//
//go:noinline
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tString:
		return "string literal"
	}
	return fmt.Sprintf("%q", t.text)
}

// MaxSource is the largest source Parse accepts, in bytes.
const MaxSource = 8 << 20

var puncts3 = []string{"...", "<<=", ">>="}
var puncts2 = []string{"<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "->", "++", "--", "##"}

const puncts1 = "()[]{};,*=:+-/%&|^~!<>?.#"

// lex splits src into tokens, the #define and #undef directives it holds
// (see directive) and the points where #pragma pack changes the packing
// (see packState). Comments are skipped.
func lex(src string) ([]token, []macroDirective, []packPoint, error) {
	if len(src) > MaxSource {
		return nil, nil, nil, &Error{1, 1, fmt.Sprintf("source is too large (%d bytes, at most %d)", len(src), MaxSource)}
	}
	var toks []token
	var dirs []macroDirective
	var packs []packPoint
	var pack packState
	line, col := 1, 1
	lineStart := true // only blanks seen on this line so far
	i := 0
	adv := func(n int) {
		for k := 0; k < n; k++ {
			if src[i] == '\n' {
				line++
				col = 1
				lineStart = true
			} else {
				col++
			}
			i++
		}
	}
	for i < len(src) {
		c := src[i]
		p := pos{line, col}
		switch {
		case c == '\n':
			adv(1)
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			adv(1)
			continue
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			adv(2) // a line continuation (in a #define body)
			continue
		case strings.HasPrefix(src[i:], "//"):
			for i < len(src) && src[i] != '\n' {
				adv(1)
			}
			continue
		case strings.HasPrefix(src[i:], "/*"):
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, nil, nil, &Error{p.line, p.col, "unterminated comment"}
			}
			adv(end + 4)
			continue
		case c == '#' && lineStart:
			end := i
			for end < len(src) && (src[end] != '\n' || src[end-1] == '\\') {
				end++
			}
			d, err := directive(src[i:end], p)
			if err != nil {
				return nil, nil, nil, err
			}
			switch {
			case d != nil && d.pack:
				if err := pack.apply(d.body, d.bodyAt); err != nil {
					return nil, nil, nil, err
				}
				packs = append(packs, packPoint{len(toks), pack.cur})
			case d != nil:
				dirs = append(dirs, *d)
			}
			adv(end - i)
			continue
		}
		lineStart = false
		switch {
		case isIdentStart(c):
			j := i
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
			toks = append(toks, token{tIdent, src[i:j], p})
			adv(j - i)
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			j := i
			for j < len(src) && (isIdentChar(src[j]) || src[j] == '.' ||
				(src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E' || src[j-1] == 'p' || src[j-1] == 'P')) {
				j++
			}
			toks = append(toks, token{tNumber, src[i:j], p})
			adv(j - i)
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) || src[j] != c {
				what := "character constant"
				if c == '"' {
					what = "string literal"
				}
				return nil, nil, nil, &Error{p.line, p.col, "unterminated " + what}
			}
			k := tChar
			if c == '"' {
				k = tString
			}
			toks = append(toks, token{k, src[i : j+1], p})
			adv(j + 1 - i)
		default:
			n := 0
			for _, s := range puncts3 {
				if strings.HasPrefix(src[i:], s) {
					n = 3
				}
			}
			if n == 0 {
				for _, s := range puncts2 {
					if strings.HasPrefix(src[i:], s) {
						n = 2
					}
				}
			}
			if n == 0 && strings.IndexByte(puncts1, c) >= 0 {
				n = 1
			}
			if n == 0 {
				return nil, nil, nil, &Error{p.line, p.col, fmt.Sprintf("unexpected character %q", rune(src[i]))}
			}
			toks = append(toks, token{tPunct, src[i : i+n], p})
			adv(n)
		}
	}
	toks = append(toks, token{tEOF, "", pos{line, col}})
	return toks, dirs, packs, nil
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }
