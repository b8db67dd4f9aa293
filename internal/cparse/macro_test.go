package cparse

import (
	"fmt"
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
		wantValue(t, s, c.name, c.want)
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
		wantValueError(t, s, c.name, c.want)
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

// TestMacroExpansion: constants that invoke function-like macros (glibc's
// UINT64_MAX, liblzma's UINT32_C(1) << 31) or cast to a type named by a
// macro (libarchive's AE_IFREG) are evaluated as C would.
func TestMacroExpansion(t *testing.T) {
	src := `
typedef unsigned int mode_t;
#define __UINT64_C(c) c ## UL
#define UINT64_MAX (__UINT64_C(18446744073709551615))
#define UINT32_C(c) c ## U
#define UINT64_C(c) c ## UL
#define LZMA_VLI_C(n) UINT64_C(n)
#define LZMA_PRESET_EXTREME (UINT32_C(1) << 31)
#define LZMA_FILTER_X86 LZMA_VLI_C(0x04)
#define LZMA_VLI_UNKNOWN UINT64_MAX
#define MODE mode_t
#define AE_IFREG ((MODE)0100000)
#define UINT unsigned int
#define ALL ((UINT)-1)
#define ADD(a, b) ((a) + (b))
#define NESTED ADD(2, ADD(3, 4))
#define PARENS ADD((1 + 2), 3)
#define NOARGS() 7
#define CALL0 NOARGS()
#define STR(x) #x
#define STRINGIZED STR(a)
#define FEW ADD(1)
#define OPEN ADD(1, 2
#define SELFCALL(x) SELFCALL(x)
#define LOOPS SELFCALL(1)
#define PASTE2(a, b) a ## b
#define BADPASTE PASTE2(1, +)
#define TAILPASTE(a) a ##
#define TAIL TAILPASTE(1)
#define CAT(a, b) a ## b
#define PLUS(a, b) (1 + a ## b)
#define EMPTYLEFT CAT(, 10)
#define EMPTYRIGHT CAT(7, )
#define EMPTYPLUS PLUS(, 2)
`
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want any
	}{
		{"UINT64_MAX", uint64(math.MaxUint64)}, {"LZMA_VLI_UNKNOWN", uint64(math.MaxUint64)},
		{"LZMA_PRESET_EXTREME", int64(1 << 31)}, {"LZMA_FILTER_X86", int64(4)},
		{"AE_IFREG", int64(0100000)}, {"ALL", int64(math.MaxUint32)},
		{"NESTED", int64(9)}, {"PARENS", int64(6)}, {"CALL0", int64(7)},
		// An empty argument next to ## pastes nothing (C's placemarkers).
		{"EMPTYLEFT", int64(10)}, {"EMPTYRIGHT", int64(7)}, {"EMPTYPLUS", int64(3)},
	} {
		wantValue(t, s, c.name, c.want)
	}
	for _, c := range []struct{ name, want string }{
		{"STRINGIZED", "STRINGIZED is not a constant: cdef:21:20: STR: the # operator is not supported (#define STRINGIZED at 21:1)"},
		{"FEW", "FEW is not a constant: cdef:22:13: ADD takes 2 arguments, given 1"},
		{"OPEN", "OPEN is not a constant: cdef:23:14: ADD: unterminated argument list"},
		{"LOOPS", "SELFCALL is a function-like macro, not a constant"},
		{"BADPASTE", `PASTE2: pasting gives "1+", not one token`},
		{"TAIL", "TAILPASTE: ## at the end of the replacement"},
	} {
		wantValueError(t, s, c.name, c.want)
	}
}

// TestStringMacros: a macro that names string macros is a string constant
// (Lua's LUA_VERSION is "Lua " LUA_VERSION_MAJOR "." LUA_VERSION_MINOR).
func TestStringMacros(t *testing.T) {
	src := `
#define MAJ "5"
#define MIN "4"
#define V1 "Lua " MAJ
#define V2 MAJ "." MIN
#define V4 MAJ
#define V5 V2 " (" V4 ")"
#define SELFS "a" SELFS
#define NUM 3
#define MIXED "a" NUM
`
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"V1": "Lua 5", "V2": "5.4", "V4": "5", "V5": "5.4 (5)"} {
		if got, err := s.Value(name); err != nil || got != want {
			t.Errorf("%s = %#v, %v; want %q", name, got, err, want)
		}
	}
	for _, name := range []string{"SELFS", "MIXED"} {
		if v, err := s.Value(name); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = %#v, %v; want an error naming it", name, v, err)
		}
	}
}

// TestMacroBlowUp: macros that double at every level end with an error
// naming the macro, within the expansion budget, not after 2^40 steps.
func TestMacroBlowUp(t *testing.T) {
	var b strings.Builder
	b.WriteString("#define A0 \"x\"\n#define F0(x) x\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "#define A%d A%d A%d\n#define F%d(x) F%d(x) F%d(x)\n#define N%d (N%d + N%d)\n", i, i-1, i-1, i, i-1, i-1, i, i-1, i-1)
	}
	b.WriteString("#define N0 1\n#define FF F40(1)\n")
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(b.String()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"A40", "FF", "N40"} {
		if v, err := s.Value(name); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = %#v, %v; want an error naming it", name, v, err)
		}
	}
}

// TestMacroTokensKeepTheirType: macros expand to tokens, as in the
// preprocessor, so a constant keeps the C type its literals give it
// inside other macros (Linux's _IOR numbers are unsigned: gcc gives
// BLKGETSIZE64 = 2148012658), and operators bind as in the expanded text.
func TestMacroTokensKeepTheirType(t *testing.T) {
	src := `
#define _IOC_READ 2U
#define _IOC(dir,type,nr,size) (((dir) << 30) | ((type) << 8) | ((nr) << 0) | ((size) << 16))
#define _IOR(type,nr,size) _IOC(_IOC_READ,(type),(nr),(sizeof(size)))
#define BLKGETSIZE64 _IOR(0x12,114,unsigned long)
#define IOC_OUT (_IOC_READ << 30)
#define ONE 1L
#define BIG (ONE << 40)
#define A 1+2
#define SQ(x) x*x
#define SQA SQ(A)
#define UINT64_C(c) c ## UL
#define VLI_C(n) UINT64_C(n)
#define FOO 4
#define C1 VLI_C(FOO)
#define U unsigned
#define W U
#define ALLW ((W)-1)
`
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]any{
		"BLKGETSIZE64": int64(2148012658), "IOC_OUT": int64(2147483648), "BIG": int64(1 << 40),
		"SQA": int64(5), "C1": int64(4), "ALLW": int64(math.MaxUint32),
	} {
		if got, err := s.Value(name); err != nil || got != want {
			t.Errorf("%s = %#v, %v; want %#v (as gcc)", name, got, err, want)
		}
	}
}

// TestMacroExpansionBounded: macros that double their tokens at every
// level, and long chains of macros, end with an error naming the constant,
// quickly, instead of taking the process's memory or minutes.
func TestMacroExpansionBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("#define D(x) x+x\n#define V " + strings.Repeat("D(", 30) + "1" + strings.Repeat(")", 30) + "\n")
	b.WriteString("#define F0(x) x\n")
	for i := 1; i <= 20000; i++ {
		fmt.Fprintf(&b, "#define F%d(x) F%d(x)\n", i, i-1)
	}
	b.WriteString("#define CHAIN F20000(1)\n")
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(b.String()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"V", "CHAIN"} {
		if v, err := s.Value(name); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s = %#v, %v; want an error naming it", name, v, err)
		}
	}
}

// wantValue checks that constant name of s has the value want, of want's
// Go type.
func wantValue(t *testing.T, s *Scope, name string, want any) {
	t.Helper()
	got, err := s.Value(name)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if got != want {
		t.Errorf("%s = %#v (%T), want %#v (%T)", name, got, got, want, want)
	}
}

// wantValueError checks that constant name of s is an error containing
// want.
func wantValueError(t *testing.T, s *Scope, name, want string) {
	t.Helper()
	if _, err := s.Value(name); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: got error %v, want one containing %q", name, err, want)
	}
}
