package cparse

import (
	"fmt"
	"strings"
)

// Error is a parse or type error at a position of the source.
type Error struct {
	Line, Col int // 1-based; Col counts bytes
	Msg       string
	// File and FileLine are where the line came from, when the source is
	// the preprocessor's output with line markers (# 12 "zlib.h").
	File     string
	FileLine int
}

// Error returns "cdef:LINE:COL: message", followed by " (FILE:LINE)" when
// the line's origin is known.
func (e *Error) Error() string {
	if e.File != "" {
		return fmt.Sprintf("cdef:%d:%d: %s (%s:%d)", e.Line, e.Col, e.Msg, e.File, e.FileLine)
	}
	return fmt.Sprintf("cdef:%d:%d: %s", e.Line, e.Col, e.Msg)
}

// locate sets e.File and e.FileLine from the last line marker of dirs
// (the directives lex read: # N "file" or #line N "file", as cc -E writes
// them) above e.Line.
func (e *Error) locate(dirs []macroDirective) {
	for _, d := range dirs {
		if d.at.line >= e.Line {
			break
		}
		if d.marker {
			e.File, e.FileLine = d.file, d.line+e.Line-d.at.line-1
		}
	}
}

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

// puncts3 and puncts2 are the punctuators of three and two bytes, one
// after the other.
const (
	puncts3 = "...<<=>>="
	puncts2 = "<<>><=>===!=&&||->++--##"
)

const puncts1 = "()[]{};,*=:+-/%&|^~!<>?.#"

// lex splits src into tokens, the #define and #undef directives and line
// markers it holds (see directive) and the points where #pragma pack
// changes the packing (see packState). Comments are skipped. On an error
// it still returns the directives read before it, for Error.locate.
func lex(src string) ([]token, []macroDirective, []packPoint, error) {
	if len(src) > MaxSource {
		return nil, nil, nil, &Error{Line: 1, Col: 1, Msg: fmt.Sprintf("source is too large (%d bytes, at most %d)", len(src), MaxSource)}
	}
	var toks []token
	var dirs []macroDirective
	var packs []packPoint
	var pack packState
	l := lexer{src: src, line: 1, col: 1, lineStart: true}
	for l.i < len(src) {
		i := l.i
		c := src[i]
		p := pos{l.line, l.col}
		switch {
		case c == '\n':
			l.adv(1)
			continue
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			l.adv(1)
			continue
		case c == '\\' && i+1 < len(src) && src[i+1] == '\n':
			l.adv(2) // a line continuation (in a #define body)
			continue
		case strings.HasPrefix(src[i:], "//"):
			for l.i < len(src) && src[l.i] != '\n' {
				l.adv(1)
			}
			continue
		case strings.HasPrefix(src[i:], "/*"):
			end := 0 // the "*/" is at i+2+end
			for ; i+3+end < len(src) && (src[i+2+end] != '*' || src[i+3+end] != '/'); end++ {
			}
			if i+3+end >= len(src) {
				return nil, dirs, nil, &Error{Line: p.line, Col: p.col, Msg: "unterminated comment"}
			}
			l.adv(end + 4)
			continue
		case c == '#' && l.lineStart:
			end := i
			for end < len(src) && (src[end] != '\n' || src[end-1] == '\\') {
				end++
			}
			d, err := directive(src[i:end], p)
			if err != nil {
				return nil, dirs, nil, err
			}
			switch {
			case d != nil && d.pack:
				if err := pack.apply(d.body, d.bodyAt); err != nil {
					return nil, dirs, nil, err
				}
				packs = append(packs, packPoint{len(toks), pack.cur})
			case d != nil:
				dirs = append(dirs, *d)
			}
			l.adv(end - i)
			continue
		}
		l.lineStart = false
		k, j := tPunct, i // the kind and end of the token
		switch {
		case isIdentStart(c):
			k = tIdent
			for j < len(src) && isIdentChar(src[j]) {
				j++
			}
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			k = tNumber
			for j < len(src) && (isIdentChar(src[j]) || src[j] == '.' ||
				(src[j] == '+' || src[j] == '-') && (src[j-1] == 'e' || src[j-1] == 'E' || src[j-1] == 'p' || src[j-1] == 'P')) {
				j++
			}
		case c == '\'' || c == '"':
			what := "character constant"
			k = tChar
			if c == '"' {
				k, what = tString, "string literal"
			}
			j++
			for j < len(src) && src[j] != c && src[j] != '\n' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) || src[j] != c {
				return nil, dirs, nil, &Error{Line: p.line, Col: p.col, Msg: "unterminated " + what}
			}
			j++
		default:
			j += punctLen(src[i:])
			if j == i {
				return nil, dirs, nil, &Error{Line: p.line, Col: p.col, Msg: fmt.Sprintf("unexpected character %q", rune(src[i]))}
			}
		}
		toks = append(toks, token{k, src[i:j], p})
		l.adv(j - i)
	}
	toks = append(toks, token{tEOF, "", pos{l.line, l.col}})
	return toks, dirs, packs, nil
}

// lexer is the position of lex in its source.
type lexer struct {
	src       string
	i         int
	line, col int
	lineStart bool // only blanks seen on this line so far
}

// adv moves n bytes on.
//
//go:noinline
func (l *lexer) adv(n int) {
	for k := 0; k < n; k++ {
		if l.src[l.i] == '\n' {
			l.line++
			l.col = 1
			l.lineStart = true
		} else {
			l.col++
		}
		l.i++
	}
}

// punctLen is the length of the punctuator s starts with, or 0.
func punctLen(s string) int {
	for n, list := 3, puncts3; n > 1; n, list = n-1, puncts2 {
		for k := 0; k < len(list); k += n {
			if strings.HasPrefix(s, list[k:k+n]) {
				return n
			}
		}
	}
	if strings.IndexByte(puncts1, s[0]) >= 0 {
		return 1
	}
	return 0
}

// countByte counts the bytes c in s.
func countByte(s string, c byte) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			n++
		}
	}
	return n
}

// trimByte is strings.Trim(s, string(c)).
func trimByte(s string, c byte) string {
	for len(s) > 0 && s[0] == c {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == c {
		s = s[:len(s)-1]
	}
	return s
}

func isIdentStart(c byte) bool {
	return c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }
