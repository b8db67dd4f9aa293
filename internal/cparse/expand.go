package cparse

import (
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Macro expansion inside a constant's replacement list, before it is
// evaluated, as the preprocessor would expand it: every object-like macro
// is replaced by its body, and every function-like macro invoked with
// arguments by its body with the arguments substituted (each expanded
// first, unless it is an operand of ##) and ## pasted; the result is
// scanned again, without expanding a macro inside its own expansion.
// So a constant keeps the C type its tokens give it (glibc's
// "#define _IOC_READ 2U" stays unsigned inside _IOR(...)), string macros
// concatenate (Lua's "#define LUA_VERSION "Lua " LUA_VERSION_MAJOR"),
// a macro naming a type makes a cast (libarchive's "((__LA_MODE_T)0100000)")
// and glibc's "(__UINT64_C(18446744073709551615))" pastes its suffix.
//
// Every macro replaced and every token it produces count against the
// Value call's budget (s.budget), and expansions nest at most maxDepth
// deep, so that macros that double at every level, or long chains of
// them, end with an error instead of taking the process's memory or time.
// The # operator (stringizing) is not supported.

// expand returns toks (ending in EOF) with the macros expanded; ex holds
// the macros being expanded, which are not expanded again.
func (s *Scope) expand(toks []token, ex map[string]bool) ([]token, error) {
	if !s.anyExpandable(toks, ex) {
		return toks, nil
	}
	if len(ex) > maxDepth {
		return nil, errfmt.Errorf("macros nest more than %d deep", maxDepth)
	}
	out := make([]token, 0, len(toks))
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		m, ok := s.macros[t.text]
		if t.kind != tIdent || !ok || m == nil || ex[t.text] || m.fnLike && (i+1 >= len(toks) || toks[i+1].text != "(") {
			out = append(out, t)
			continue
		}
		var body []token
		end := i
		if m.fnLike {
			args, e, err := macroArgs(toks, i+1)
			if err != nil {
				return nil, errfmt.Errorf("cdef:%d:%d: %s: %v", t.pos.line, t.pos.col, m.name, err)
			}
			if body, err = s.substitute(m, args, t, ex); err != nil {
				return nil, err
			}
			body = append(body, token{kind: tEOF, pos: t.pos})
			end = e
		} else {
			b, err := m.tokens()
			if err != nil {
				return nil, errfmt.Errorf("cdef:%d:%d: %s: %v", t.pos.line, t.pos.col, m.name, err)
			}
			body = b
		}
		if s.budget -= 1 + len(body); s.budget < 0 {
			return nil, errfmt.Errorf("too many macro expansions (more than %d tokens)", maxExpansions)
		}
		inner := make(map[string]bool, len(ex)+1)
		for k := range ex {
			inner[k] = true
		}
		inner[m.name] = true
		sub, err := s.expand(body, inner)
		if err != nil {
			return nil, err
		}
		out = append(out, sub[:len(sub)-1]...)
		i = end
	}
	return out, nil
}

// anyExpandable reports whether toks name a macro expand would replace.
func (s *Scope) anyExpandable(toks []token, ex map[string]bool) bool {
	for i, t := range toks {
		m, ok := s.macros[t.text]
		if t.kind != tIdent || !ok || m == nil || ex[t.text] {
			continue
		}
		if !m.fnLike || i+1 < len(toks) && toks[i+1].text == "(" {
			return true
		}
	}
	return false
}

// macroArgs reads the arguments of a function-like macro invocation whose
// "(" is toks[open]: the token lists between top-level commas, and the
// index of the closing ")".
func macroArgs(toks []token, open int) ([][]token, int, error) {
	var args [][]token
	var cur []token
	depth := 0
	for i := open + 1; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.kind == tEOF:
			return nil, 0, errfmt.Errorf("unterminated argument list")
		case t.text == "(":
			depth++
		case t.text == ")" && depth == 0:
			return append(args, cur), i, nil
		case t.text == ")":
			depth--
		case t.text == "," && depth == 0:
			args = append(args, cur)
			cur = nil
			continue
		}
		cur = append(cur, t)
	}
	return nil, 0, errfmt.Errorf("unterminated argument list")
}

// substitute returns the replacement list of the function-like macro m
// invoked (at call) with args: each parameter replaced by its argument,
// macro-expanded first (with ex, as outside the invocation) unless it is
// an operand of ##, and the two tokens around each ## pasted into one.
func (s *Scope) substitute(m *macro, args [][]token, call token, ex map[string]bool) ([]token, error) {
	toks, err := m.tokens()
	if err != nil {
		return nil, err
	}
	// The parameter list: ( name, name, ... ).
	var params []string
	i := 1
	for ; i < len(toks) && toks[i].text != ")"; i++ {
		switch {
		case toks[i].kind == tIdent:
			params = append(params, toks[i].text)
		case toks[i].text == ",":
		default:
			return nil, errfmt.Errorf("cdef:%d:%d: %s: parameter list %q is not supported", call.pos.line, call.pos.col, m.name, toks[i].text)
		}
	}
	if i == len(toks) {
		return nil, errfmt.Errorf("cdef:%d:%d: %s: unterminated parameter list", call.pos.line, call.pos.col, m.name)
	}
	if len(args) == 1 && len(args[0]) == 0 && len(params) == 0 {
		args = nil
	}
	if len(args) != len(params) {
		return nil, errfmt.Errorf("cdef:%d:%d: %s takes %d arguments, given %d", call.pos.line, call.pos.col, m.name, len(params), len(args))
	}
	expanded := make([][]token, len(args))
	for k, a := range args {
		e, err := s.expand(append(append([]token(nil), a...), token{kind: tEOF, pos: call.pos}), ex)
		if err != nil {
			return nil, err
		}
		expanded[k] = e[:len(e)-1]
	}
	repl := toks[i+1 : len(toks)-1]
	var out []token
	// operand: the token is the right operand of ##; join: it pastes onto
	// the last token of out, unless the left operand was an empty argument
	// (then a ## b is b, as the preprocessor's placemarkers make it).
	operand, join, leftEmpty := false, false, false
	for j, t := range repl {
		switch {
		case t.text == "#":
			return nil, errfmt.Errorf("cdef:%d:%d: %s: the # operator is not supported", call.pos.line, call.pos.col, m.name)
		case t.text == "##" && (j == 0 || operand):
			return nil, errfmt.Errorf("cdef:%d:%d: %s: ## without a token before it", call.pos.line, call.pos.col, m.name)
		case t.text == "##":
			operand, join = true, !leftEmpty && len(out) > 0
			continue
		}
		sub := []token{t}
		isParam := false
		for k, p := range params {
			if t.kind == tIdent && t.text == p {
				isParam = true
				sub = expanded[k]
				if operand || j+1 < len(repl) && repl[j+1].text == "##" {
					sub = args[k]
				}
			}
		}
		if join && len(sub) > 0 {
			joined := out[len(out)-1].text + sub[0].text
			lexed, _, _, err := lex(joined)
			if err != nil || len(lexed) != 2 {
				return nil, errfmt.Errorf("cdef:%d:%d: %s: pasting gives %q, not one token", call.pos.line, call.pos.col, m.name, joined)
			}
			lexed[0].pos = call.pos
			out[len(out)-1] = lexed[0]
			sub = sub[1:]
		}
		leftEmpty = isParam && len(sub) == 0 && !join
		operand, join = false, false
		for _, st := range sub {
			st.pos = call.pos
			out = append(out, st)
		}
	}
	if operand {
		return nil, errfmt.Errorf("cdef:%d:%d: %s: ## at the end of the replacement", call.pos.line, call.pos.col, m.name)
	}
	return out, nil
}
