package ffigen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// fixture exercises the mappings: exact and blob mirrors, pointers in
// every position, strings, variadics, enums, unions, bitfields, packed and
// over-aligned structs, opaque types, asm labels and constants.
const fixture = `
typedef struct handle handle;
typedef unsigned char byte_t;
typedef struct point { int x, y; } point;
struct node { struct node *next; const char *label; double weight; point at; int ids[3]; };
struct bits { unsigned a : 3; unsigned b : 5; int c; };
union num { int i; double d; };
typedef union { long i; double d; } anon_num;
struct __attribute__((packed)) tight { char c; int i; };
struct wide { char c; } __attribute__((aligned(32)));
struct holds_union { char tag; union num n; };
enum mode { MODE_A = 1, MODE_B = 2 };
typedef int (*cmp_fn)(const void *, const void *);
typedef __builtin_va_list va_list;
handle *fx_open(const char *name, int flags);
void fx_close(handle *h);
int fx_count(struct node *head, cmp_fn cmp);
point fx_mid(point a, point b);
const char *fx_name(enum mode m);
char *fx_dup(const char *s);
int fx_printf(const char *fmt, ...);
int fx_vprintf(const char *fmt, va_list ap);
long double fx_ld(void);
union num fx_num(void);
int fx_bits(struct bits *b, struct tight *t, struct wide *w, struct holds_union *u);
void fx_anon(anon_num *n);
int fx_fill(byte_t *buf, unsigned long n, void **out, char **names);
int fx_labelled(int) __asm__("fx_real_symbol");
static inline int fx_inline(void) { return 1; }
#define FX_VERSION "1.0"
#define FX_MAX (MODE_B * 100)
#define FX_PI 3.25
#define FX_BIG 0xFFFFFFFFFFFFFFFFULL
#define FX_MACRO(x) (x)
#define FX_U(c) c ## U
#define FX_TOP (FX_U(1) << 31)
#define FX_TYPE unsigned
#define FX_EXPORT
enum level { LVL_LOW, LVL_HIGH = 4 };
struct fx_stat { long size; };
int fx_stat(const char *path, struct fx_stat *st);
int load(void);
typedef struct creg { int v; } creg;
void fx_creg(const creg *r);
enum verb { load_v = 1, scope_v, Load, Scope };
int fx_do(enum verb v);
typedef struct scope { int depth; } scope;
int fx_sc(scope *s);
typedef struct fx_foo_s Fx_foo;
int fx_foo(Fx_foo *f);
int Fx_twin(void);
int fx_twin(void);
struct fx_evt { int kind; double at; };
typedef void (*fx_handler)(struct fx_evt e);
void fx_on(fx_handler h);
int fx_level(enum level l);
#define OTHER_NAME 7
#define fx_close 3
`

func generateFixture(t *testing.T) string {
	t.Helper()
	c := Config{Header: "fixture.h", Lib: "libfixture.so", Package: "fixture", Include: "^(fx_|FX_|MODE_|point$|node$|bits$|tight$|wide$|num$|holds_union$|handle$|cmp_fn$|anon_num$|load$|creg$|Fx_twin$|scope$)"}
	out, err := GenerateFrom(c, fixture)
	if err != nil {
		t.Fatal(err)
	}
	src := string(out)
	f, err := parser.ParseFile(token.NewFileSet(), "fixture.go", out, 0)
	if err != nil {
		t.Fatalf("generated code does not parse: %v\n%s", err, src)
	}
	// Each package-level name is declared once (an anonymous union's
	// typedef was once both a mirror and an alias).
	seen := map[string]bool{}
	declare := func(id *ast.Ident) {
		if id.Name != "_" && seen[id.Name] {
			t.Errorf("generated code declares %s twice", id.Name)
		}
		seen[id.Name] = true
	}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				declare(d.Name)
			}
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					declare(sp.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						declare(n)
					}
				}
			}
		}
	}
	return src
}

func TestGenerateMappings(t *testing.T) {
	src := generateFixture(t)
	flat := strings.Join(strings.Fields(src), " ")
	// C unsigned long: 8 bytes, or 4 on Windows.
	ulong := fmt.Sprintf("uint%d", 8*ctype.Host().LongSize)
	// Plain char: signed, or unsigned on arm64 Linux.
	char := "uint8"
	if ctype.Host().CharSigned {
		char = "int8"
	}
	for _, want := range []string{
		// Constants.
		`FX_VERSION = "1.0"`, `FX_MAX = 200`, `FX_TOP = 2147483648`,
		// The enumerators of an enum a function uses, though -include does
		// not name them.
		`LVL_LOW = 0`, `LVL_HIGH = 4`, `FX_PI = 3.25`, `FX_BIG = 18446744073709551615`, `MODE_A = 1`,
		// Structs: exact mirrors with uintptr pointer members...
		"type Point struct {\n\tX int32\n\tY int32\n}",
		"type Node struct {\n\tNext uintptr\n\tLabel uintptr\n\tWeight float64\n\tAt Point\n\tIds [3]int32\n}",
		// ...blobs for what Go cannot mirror member by member...
		"type Bits struct{ _ [2]uint32 }", "(bitfields)",
		"type Num struct{ _ [1]uint64 }", "(a union)",
		"type Anon_num struct{ _ [1]uint64 }", "Fx_anon func(n *Anon_num)",
		// A tag named like a function (struct stat, stat) says it is one.
		"type Struct_fx_stat struct {", "Fx_stat func(path string, st *Struct_fx_stat) int32",
		"load: its Go name Load is the generated package's own",
		// The C declarations Load (and Scope's users) see: typedefs of the
		// mirrors, incomplete ones too, unqualified, and of the other
		// typedefs -include names.
		"typedef struct creg creg;", "typedef struct handle handle;",
		// Names that a function or the package itself has: the enumerators
		// are listed, the types get a "_", a second function is listed.
		"Load: its Go name Load is taken by a function, type or constant",
		"Scope: its Go name Scope is taken by a function, type or constant",
		"type Scope_ struct {", "Fx_sc func(s *Scope_) int32",
		"type Fx_foo_ struct{ _ [0]byte }", "Fx_foo func(f *Fx_foo_) int32",
		"fx_twin: its Go name Fx_twin is taken by the function Fx_twin",
		"typedef int (*cmp_fn)(const void *, const void *);",
		// A struct a function pointer passes by value is defined, for
		// Scope().NewCallback("fx_handler", ...).
		"struct fx_evt { int kind; double at; };", "typedef void (*fx_handler)(struct fx_evt);",
		"type Tight struct{ _ [5]byte }", "member i is at offset 1, where Go would put it at 4",
		"type Holds_union struct {\n\tTag " + char + "\n\tN Num\n}",
		// ...and handles for incomplete types.
		"type Handle struct{ _ [0]byte }",
		// Functions.
		"Fx_open func(name string, flags int32) *Handle",
		"Fx_close func(h *Handle)",
		"Fx_count func(head *Node, cmp uintptr) int32",
		"Fx_mid func(a Point, b Point) Point",
		"Fx_name func(m int32) string",
		"Fx_dup func(s string) *byte",
		"Fx_printf func(fmt string, args ...any) int32",
		"Fx_fill func(buf *byte, n " + ulong + ", out *unsafe.Pointer, names **byte) int32",
		"Fx_bits func(b *Bits, t *Tight, w unsafe.Pointer, u *Holds_union) int32",
		`{&Fx_labelled, "fx_labelled", "fx_real_symbol"}`,
		"Cmp_fn = uintptr",
		// Not bound, with the reason.
		"fx_vprintf: parameter 2: __builtin_va_list is not supported\n",
		"fx_ld: result: long double is not supported by value",
		"fx_num: result: union num (a union) by value",
		"fx_inline: fx_inline is not supported: a static or inline function defined in the header, which has no symbol to call\n",
		`FX_TYPE: FX_TYPE is not a constant expression: undeclared identifier "unsigned" in constant expression` + "\n",
		"wide: struct wide is aligned to 32 bytes, more than a Go type can be",
		// Layout checks.
		`check("point", unsafe.Sizeof(Point{}), unsafe.Alignof(Point{}), map[string]uintptr{"x": unsafe.Offsetof(Point{}.X), "y": unsafe.Offsetof(Point{}.Y)})`,
		`check("struct tight", unsafe.Sizeof(Tight{})`,
		"fx_close: its Go name Fx_close is taken by a function, type or constant",
	} {
		if !strings.Contains(flat, strings.Join(strings.Fields(want), " ")) {
			t.Errorf("generated code lacks %q", want)
		}
	}
	// Positions in the preprocessed header differ between targets: the
	// output holds none.
	if m := positionFree.FindString(src); m != "" {
		t.Errorf("generated code holds the position %q", m)
	}
	for _, unwanted := range []string{"Fx_inline", "FX_MACRO", "OTHER_NAME", "Fx_vprintf func", "FX_EXPORT", "typedef const"} {
		if strings.Contains(src, unwanted) {
			t.Errorf("generated code has %q", unwanted)
		}
	}
	if t.Failed() {
		t.Log(src)
	}
}

// TestGenerateStable checks that generating twice gives the same bytes
// (map iteration must not leak into the output).
func TestGenerateStable(t *testing.T) {
	a := generateFixture(t)
	for i := 0; i < 5; i++ {
		if b := generateFixture(t); b != a {
			t.Fatal("two runs generated different code")
		}
	}
}

func TestParseArgs(t *testing.T) {
	c, err := ParseArgs([]string{"-header", "zlib.h", "-lib", "libz.so.1", "-package", "zlib", "-include", "^(deflate|Z_)", "-o", "zlib.go", "-cflags", "-I/x -DY=1", "-pkg-config", "zlib"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Header != "zlib.h" || c.Lib != "libz.so.1" || c.Package != "zlib" || c.Out != "zlib.go" || len(c.CFlags) != 2 || c.PkgConfig[0] != "zlib" {
		t.Errorf("parsed %+v", c)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{"-header", "zlib.h"}, "missing -lib, -package, -include"},
		{[]string{"-header", "a.h", "-lib", "a.so", "-package", "a", "-include", "("}, "-include: error parsing regexp"},
		{[]string{"-header", "a.h", "-lib", "a.so", "-package", "a-b", "-include", "x"}, `-package "a-b" is not a Go identifier`},
		{[]string{"-header", "a.h", "-lib", "a.so", "-package", "a", "-include", "x", "extra"}, "unexpected arguments"},
	} {
		if _, err := ParseArgs(bad.args, io.Discard); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: %v, want %q", bad.args, err, bad.want)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	c := Config{Header: "/nonexistent/missing.h", Lib: "x.so", Package: "x", Include: "."}
	if _, err := Generate(c); err == nil || !strings.Contains(err.Error(), "preprocessing /nonexistent/missing.h") {
		t.Errorf("missing header: %v", err)
	}
	if _, err := GenerateFrom(c, "int f(;"); err == nil || !strings.Contains(err.Error(), "cdef:1:7") {
		t.Errorf("bad header: %v", err)
	}
}

func TestGenerateArgs(t *testing.T) {
	// Not t.TempDir: under wine 8, its cleanup (os.RemoveAll) fails with
	// "Invalid function"; the file and directory are removed one by one.
	dir, err := os.MkdirTemp("", "ffigen")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "gen.go")
	defer func() {
		if err := errors.Join(os.Remove(p), os.Remove(dir)); err != nil {
			t.Error(err)
		}
	}()
	os.WriteFile(p, []byte("package x\n\n//go:generate go run github.com/seed5ca82032/ffi/cmd/ffigen -header zlib.h -include \"^(a|b) c\" -o \"z\\\".go\"\n"), 0o644)
	args, err := GenerateArgs(p)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(args, "|") != `-header|zlib.h|-include|^(a|b) c|-o|z".go` {
		t.Errorf("args %q", args)
	}
	os.WriteFile(p, []byte("package x\n"), 0o644)
	if _, err := GenerateArgs(p); err == nil {
		t.Error("no error for a file without a go:generate line")
	}
}

// TestTargetModel: the model of a header comes from the target of the C
// compiler that preprocesses it, so a cross compiler's header (wchar_t is
// unsigned int on arm64 Linux) parses with the target's types.
func TestTargetModel(t *testing.T) {
	for triple, want := range map[string]*ctype.Model{
		"x86_64-linux-gnu":           ctype.LinuxAMD64,
		"x86_64-pc-linux-gnu":        ctype.LinuxAMD64,
		"aarch64-linux-gnu":          ctype.LinuxARM64,
		"aarch64-unknown-linux-musl": ctype.LinuxARM64,
		"x86_64-w64-mingw32":         ctype.WindowsAMD64,
		"x86_64-pc-windows-msvc":     ctype.WindowsAMD64,
		"arm64-apple-darwin23.0.0":   ctype.DarwinARM64,
		"x86_64-apple-darwin21":      ctype.DarwinAMD64,
		"riscv64-linux-gnu":          nil,
		"i686-linux-gnu":             nil,
		"":                           nil,
	} {
		if got := modelOfTriple(triple); got != want {
			t.Errorf("modelOfTriple(%q) = %v, want %v", triple, got, want)
		}
	}
	// The compiler the tests use targets this machine (its cross compiler
	// under qemu); under wine no compiler can run, and there is none.
	got := TargetModel(ctest.CC())
	if runtime.GOOS == "windows" {
		if got != nil {
			t.Errorf("TargetModel(%s) = %v under wine, where no compiler runs", ctest.CC(), got)
		}
		return
	}
	if got != ctype.Host() {
		t.Errorf("TargetModel(%s) = %v, want %v", ctest.CC(), got, ctype.Host())
	}
	if TargetModel("no-such-compiler-ffigen") != nil {
		t.Error("TargetModel of a compiler that does not run is not nil")
	}
}
