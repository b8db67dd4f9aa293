package cparse

import (
	"fmt"
	"strconv"
	"strings"
)

// packState follows #pragma pack through a source as GCC (and MSVC) do:
//
//	#pragma pack(N)            N of 1, 2, 4, 8 or 16 caps member alignment
//	#pragma pack()             back to no cap
//	#pragma pack(push[, id][, N])  save the current value (named id), then set N
//	#pragma pack(pop[, id])    restore the last saved value (the one saved as id)
//	#pragma pack(show)         no effect
//
// A pop with nothing saved, or with an id never pushed, is an error, as is
// any other form.
type packState struct {
	cur   int
	saved []packSaved
}

type packSaved struct {
	id  string
	val int
}

// packPoint says that from token index tok on, the pack value is val.
type packPoint struct {
	tok, val int
}

// apply follows one #pragma pack whose text between the parentheses is
// args, starting at at.
func (st *packState) apply(args string, at pos) error {
	fail := func(format string, a ...any) error { return packError(args, at, format, a) }
	var parts []string
	if strings.TrimSpace(args) != "" {
		rest := args
		for k := strings.IndexByte(rest, ','); k >= 0; k = strings.IndexByte(rest, ',') {
			parts = append(parts, rest[:k])
			rest = rest[k+1:]
		}
		parts = append(parts, rest)
	}
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	value := func(s string) (int, error) {
		n, err := strconv.Atoi(s)
		if err != nil || n != 1 && n != 2 && n != 4 && n != 8 && n != 16 {
			return 0, fail("the value must be 1, 2, 4, 8 or 16, not %q", s)
		}
		return n, nil
	}
	switch {
	case len(parts) == 0:
		st.cur = 0
	case parts[0] == "show" && len(parts) == 1:
	case parts[0] == "push" && len(parts) <= 3:
		id, n := "", st.cur
		rest := parts[1:]
		if len(rest) > 0 && isIdentifier(rest[0]) {
			id, rest = rest[0], rest[1:]
		}
		if len(rest) > 1 {
			return fail("too many arguments")
		}
		if len(rest) == 1 {
			v, err := value(rest[0])
			if err != nil {
				return err
			}
			n = v
		}
		st.saved = append(st.saved, packSaved{id, st.cur})
		st.cur = n
	case parts[0] == "pop" && len(parts) <= 2:
		k := len(st.saved) - 1
		if len(parts) == 2 {
			if !isIdentifier(parts[1]) {
				return fail("expected an identifier after pop, not %q", parts[1])
			}
			for k >= 0 && st.saved[k].id != parts[1] {
				k--
			}
			if k < 0 {
				return fail("no push named %s", parts[1])
			}
		}
		if k < 0 {
			return fail("pop with nothing pushed")
		}
		st.cur = st.saved[k].val
		st.saved = st.saved[:k]
	case len(parts) == 1:
		v, err := value(parts[0])
		if err != nil {
			return err
		}
		st.cur = v
	default:
		return fail("expected N, push, pop or show")
	}
	return nil
}

// isIdentifier reports whether s is a C identifier.
func isIdentifier(s string) bool {
	if s == "" || !isIdentStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return true
}

// packError is the error of a #pragma pack whose text between the
// parentheses is args.
//
//go:noinline
func packError(args string, at pos, format string, a []any) error {
	return &Error{Line: at.line, Col: at.col, Msg: "#pragma pack(" + strings.TrimSpace(args) + "): " + fmt.Sprintf(format, a...)}
}

// packAt is the #pragma pack value in force at token index tok.
func (p *parser) packAt(tok int) int {
	v := 0
	for _, pp := range p.packs {
		if pp.tok > tok {
			break
		}
		v = pp.val
	}
	return v
}
