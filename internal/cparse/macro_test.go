package cparse

import (
	"math"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// TestMacroValues evaluates #define constants of every supported form.
func TestMacroValues(t *testing.T) {
	src := `
typedef unsigned long my_size;
enum color { RED, GREEN = 5, BLUE };
#define ANSWER 42
#define NEG (-7)
#define HEX 0xFFu
#define BIG 0xFFFFFFFFFFFFFFFFULL
#define LONGMAX 0x7fffffffffffffffLL
#define SHIFTED (1 << 4 | 3)
#define REF (ANSWER * 2 + GREEN)
#define CHAIN REF
#define CAST ((my_size) -1)
#define SCHAR ((signed char) 0x1ff)
#define CH 'A'
#define CH_OCT '\0'
#define CH_ESC '\n'
#define PI 3.14159
#define HALF (1.0f / 2)
#define SCI -1.5e3
#define NEGREF (-PI)
#define STR "hello"
#define STRS ("a" "b\x41" "\101\n")
#define TERNARY (ANSWER > 40 ? 1 : 2)
#define SIZE sizeof(struct pt)
#define BLUE BLUE
#define EXT __extension__ 5LL
#define COMMENTED 7 /* the answer */
#define CONT 1 + \
  2
struct pt { int x, y; };
#define FN(x) ((x) + 1)
#define EMPTY
#define NOTCONST stdin
#define SELF SELF
#define LOOP_A LOOP_B
#define LOOP_B LOOP_A
#define BADSTR "a" 1
#define PTRCAST ((void *) 0)
#define GONE 1
#undef GONE
extern int stdin;
#define UPHEX 0X1FU
#define UPSCI 2.5E2F
#define UPHEXF 0X1P4L
`
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want any
	}{
		{"ANSWER", int64(42)}, {"NEG", int64(-7)}, {"HEX", int64(255)},
		{"UPHEX", int64(31)}, {"UPSCI", 250.0}, {"UPHEXF", 16.0},
		{"BIG", uint64(math.MaxUint64)}, {"LONGMAX", int64(math.MaxInt64)},
		{"SHIFTED", int64(19)}, {"REF", int64(89)}, {"CHAIN", int64(89)},
		{"CAST", uint64(math.MaxUint64)}, {"SCHAR", int64(-1)},
		{"CH", int64('A')}, {"CH_OCT", int64(0)}, {"CH_ESC", int64('\n')},
		{"PI", 3.14159}, {"HALF", 0.5}, {"SCI", -1500.0}, {"NEGREF", -3.14159},
		{"STR", "hello"}, {"STRS", "abA" + "A\n"}, {"TERNARY", int64(1)},
		{"SIZE", int64(8)}, {"BLUE", int64(6)}, {"RED", int64(0)}, {"EXT", int64(5)},
		{"COMMENTED", int64(7)}, {"CONT", int64(3)},
	} {
		got, err := s.Value(c.name)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s = %#v (%T), want %#v (%T)", c.name, got, got, c.want, c.want)
		}
	}
	for _, c := range []struct{ name, want string }{
		{"FN", "FN is a function-like macro, not a constant (#define FN at 31:1)"},
		{"EMPTY", "EMPTY is defined empty, not a constant (#define EMPTY at 32:1)"},
		{"NOTCONST", "NOTCONST is not a constant expression: cdef:33:18: \"stdin\" is not an integer constant (#define NOTCONST at 33:1)"},
		{"SELF", "SELF is not a constant expression: cdef:34:14: undeclared identifier \"SELF\" in constant expression (#define SELF at 34:1)"},
		{"LOOP_A", "undeclared identifier \"LOOP_A\""},
		{"BADSTR", "BADSTR is not a constant expression"},
		{"PTRCAST", "cast to void * in integer constant expression"},
		{"GONE", `no constant named "GONE": not an enum constant or #define in this scope`},
		{"stdin", "stdin is not a constant (it is a variable)"},
		{"nothing", `no constant named "nothing"`},
	} {
		_, err := s.Value(c.name)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got error %v, want one containing %q", c.name, err, c.want)
		}
	}
	names := s.Constants()
	if len(names) == 0 || names[0] != "ANSWER" || strings.Contains(strings.Join(names, " "), "FN") {
		t.Errorf("Constants() = %v", names)
	}
}

// TestMacrosRollBack checks that a failed Parse takes back its #defines.
func TestMacrosRollBack(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse("#define A 1\n"); err != nil {
		t.Fatal(err)
	}
	if err := s.Parse("#define B 2\n#undef A\nint x y;"); err == nil {
		t.Fatal("bad source parsed")
	}
	if v, err := s.Value("A"); err != nil || v != int64(1) {
		t.Errorf("A = %v, %v after a failed Parse; want 1", v, err)
	}
	if _, err := s.Value("B"); err == nil {
		t.Error("B defined by a failed Parse")
	}
}
