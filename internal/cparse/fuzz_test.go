package cparse

import (
	"errors"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// FuzzParse feeds arbitrary source to the parser: it must not panic or
// hang, every error must carry a position, and every type it declares,
// printed back as C and parsed again in the same scope, must give an
// Identical type. The seed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	f.Add("typedef struct sqlite3 sqlite3; int sqlite3_open(const char *filename, sqlite3 **ppDb);")
	f.Add("void (*signal(int sig, void (*func)(int)))(int);")
	f.Add("#define A (B + 1.5)\n#define B (C * 2)\n#define C 'x'\nenum { D = 3 };\n#define S \"s\" \"t\"\n")
	f.Add("typedef unsigned t;\n#define U(c) c ## UL\n#define M (U(1) << 3)\n#define T t\n#define C ((T)-1)\n#define A(x, y) ((x) + (y))\n#define N A(1, A(2, 3))\n")
	f.Add("typedef int r __attribute__((__mode__(__word__))); typedef float v __attribute__((vector_size(16))); static inline int f(void) { return 0; }")
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 8<<10 {
			return
		}
		for _, m := range []*ctype.Model{ctype.LinuxAMD64, ctype.WindowsAMD64} {
			s := NewScope(m)
			checkErr(t, src, s.Parse(src))
			roundTripScope(t, s)
			for _, name := range s.Constants() {
				if _, err := s.Value(name); err != nil && !strings.Contains(err.Error(), name) {
					t.Fatalf("error for constant %s does not name it: %v", name, err)
				}
			}
			ty, err := s.ParseType(src)
			checkErr(t, src, err)
			if err == nil {
				roundTrip(t, s, ty, "ParseType")
			}
		}
	})
}

func checkErr(t *testing.T, src string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Line < 1 || e.Col < 1 || e.Msg == "" {
		t.Fatalf("error without a position for %q: %v", src, err)
	}
}

// roundTripScope round-trips every typedef (spelled out, not by its
// name), function, variable and tag of the scope.
func roundTripScope(t *testing.T, s *Scope) {
	t.Helper()
	for name, id := range s.idents {
		switch id.kind {
		case idTypedef:
			if _, std := StandardTypedefs(s.model)[name]; std {
				continue
			}
			ty := id.typ
			if ty.AlignAttr == 0 {
				// Spelled out; an aligned attribute on the typedef
				// itself has no spelling but the name.
				ty = ty.Unnamed()
			}
			roundTrip(t, s, ty, "typedef "+name)
		case idFunc, idVar:
			roundTrip(t, s, id.typ, name)
		}
	}
	for _, ty := range s.tags {
		roundTrip(t, s, ty, "tag")
	}
}

func roundTrip(t *testing.T, s *Scope, ty *ctype.Type, what string) {
	t.Helper()
	str := ty.String()
	back, err := s.ParseType(str)
	if err != nil {
		t.Fatalf("%s: %s does not parse back: %v", what, str, err)
	}
	if !ctype.Identical(ty, back) {
		t.Fatalf("%s: %s parses back as a different type %s", what, str, back)
	}
}
