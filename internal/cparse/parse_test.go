package cparse

import (
	"strings"
	"sync"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// TestDeclarations parses declarations and checks the declared types as
// printed back in C.
func TestDeclarations(t *testing.T) {
	for _, c := range []struct {
		src, name, want string // name: function, variable or typedef (spelled out)
	}{
		{"void (*signal(int sig, void (*func)(int)))(int);", "signal", "void (*(int, void (*)(int)))(int)"},
		{"int (*fp)(const void *, const void *);", "fp", "int (*)(const void *, const void *)"},
		{"typedef int (*cmp)(const void *, const void *);", "cmp", "int (*)(const void *, const void *)"},
		{"char *(*(*x)[3])(int, ...);", "x", "char *(*(*)[3])(int, ...)"},
		{"extern int (*(*tbl[4])(void))[2];", "tbl", "int (*(*[4])(void))[2]"},
		{"int m[2][3][4];", "m", "int[2][3][4]"},
		{"int (*pm)[3][4];", "pm", "int (*)[3][4]"},
		{"int f(int a[10], void g(int), char s[static 4]);", "f", "int (int *, void (*)(int), char *)"},
		{"int f();", "f", "int (void)"},
		{"static inline int f(void);", "f", "int (void)"},
		{"unsigned u; signed s; unsigned long long int ull; long int li; short int si;", "ull", "unsigned long long"},
		{"long double ld;", "ld", "long double"},
		{"const volatile unsigned char *const restrict p;", "p", "const volatile unsigned char *const restrict"},
		{"char const * const * cpp;", "cpp", "const char *const *"},
		{"typedef const char *str; str const arr[2];", "arr", "const str[2]"},
		{"_Bool b; bool c;", "c", "_Bool"},
		{"typedef struct { int x, y; } point; point pts[4];", "pts", "point[4]"},
		{"typedef struct { int x, y; } point;", "point", "struct { int x; int y; }"},
		{"enum color { RED, GREEN = 5, BLUE }; enum color c;", "c", "enum color"},
		{"char buf[2*16];", "buf", "char[32]"},
		{"char buf[sizeof(int) * 4 + _Alignof(double)];", "buf", "char[24]"},
		{"char buf[(1 ? 3 : 4) + (0 ? 5 : 6) + (3 > 2) + (-1 < 0u) + !0 + ~0 + 10 % 3];", "buf", "char[11]"},
		{"char buf[0x10 + 010 + 0b11 + 'A' - 'A' + '\\n' + 1ull];", "buf", "char[38]"},
		{"char buf[(unsigned char)0x1ff + (signed char)0x80 + 129];", "buf", "char[256]"},
		{"int __attribute__((deprecated)) old(int) __attribute__((nonnull(1))) __asm__(\"old2\");", "old", "int (int)"},
		{"__extension__ typedef unsigned long long u64;", "u64", "unsigned long long"},
		{"typedef int I; typedef I *IP; IP f(IP, I);", "f", "IP (IP, I)"},
		{"int printf(const char *restrict fmt, ...);", "printf", "int (const char *restrict, ...)"},
		{"void *__cdecl malloc(size_t);", "malloc", "void *(size_t)"},
		{"// comment\nint /* inline */ x; /* multi\nline */", "x", "int"},
		{"struct s { struct s *next; union { int i; float f; } u; }; struct s head;", "head", "struct s"},
		{"typedef void V; int f(V);", "f", "int (void)"},
		{"size_t n; ssize_t m; ptrdiff_t d; intptr_t ip; uintptr_t up; int8_t a; uint64_t b; wchar_t w;", "b", "uint64_t"},
		{"int (f)(int);", "f", "int (int)"},
		{"typedef int T; int g(int T);", "g", "int (int)"},
	} {
		s := NewScope(ctype.LinuxAMD64)
		if err := s.Parse(c.src); err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		var got *ctype.Type
		if ty, ok := s.Func(c.name); ok {
			got = ty
		} else if ty, ok := s.Var(c.name); ok {
			got = ty
		} else if ty, ok := s.Lookup(c.name); ok {
			got = ty.Unnamed()
		} else {
			t.Errorf("%q: %s not declared", c.src, c.name)
			continue
		}
		if got.String() != c.want {
			t.Errorf("%q: %s is %s, want %s", c.src, c.name, got, c.want)
		}
	}
}

func TestParseType(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse("typedef struct sqlite3 sqlite3; struct point { int x, y; }; typedef int (*cb)(void *, int);"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		src, want   string
		size, align int
	}{
		{"int", "int", 4, 4},
		{"const char *", "const char *", 8, 8},
		{"int (*)(const void *, const void *)", "int (*)(const void *, const void *)", 8, 8},
		{"int (const void *, const void *)", "int (const void *, const void *)", 0, 1},
		{"struct point[4]", "struct point[4]", 32, 4},
		{"struct point", "struct point", 8, 4},
		{"sqlite3 **", "sqlite3 **", 8, 8},
		{"sqlite3", "sqlite3", 0, 1},
		{"cb", "cb", 8, 8},
		{"cb;", "cb", 8, 8},
		{"unsigned", "unsigned int", 4, 4},
		{"struct { char c; double d; }", "struct { char c; double d; }", 16, 8},
		{"union __attribute__((packed)) { char c; int i; }", "union __attribute__((packed)) { char c; int i; }", 4, 1},
		{"enum { Q1 = -1, Q2 = 0x7fffffff }", "enum { Q1 = -1, Q2 = 2147483647 }", 4, 4},
		{"void (*[2])(void)", "void (*[2])(void)", 16, 8},
	} {
		ty, err := s.ParseType(c.src)
		if err != nil {
			t.Errorf("%q: %v", c.src, err)
			continue
		}
		if ty.String() != c.want || ty.Size != c.size || ty.Align != c.align {
			t.Errorf("%q: %s size %d align %d, want %s %d %d", c.src, ty, ty.Size, ty.Align, c.want, c.size, c.align)
		}
	}
	for _, bad := range []string{"", "int x", "struct point p", "int (*)(int", "nosuch", "int; int"} {
		if ty, err := s.ParseType(bad); err == nil {
			t.Errorf("ParseType(%q) = %s, want an error", bad, ty)
		}
	}
}

func TestParseDecl(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse("typedef struct sqlite3 sqlite3;"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ src, name, want string }{
		{"int sqlite3_open(const char *filename, sqlite3 **ppDb)", "sqlite3_open", "int (const char *, sqlite3 **)"},
		{"int sqlite3_open(const char *filename, sqlite3 **ppDb);", "sqlite3_open", "int (const char *, sqlite3 **)"},
		{"int (*)(int)", "", "int (*)(int)"},
		{"void (int, double)", "", "void (int, double)"},
		{"extern void (*handler)(int)", "handler", "void (*)(int)"},
	} {
		name, ty, err := s.ParseDecl(c.src)
		if err != nil || name != c.name || ty.String() != c.want {
			t.Errorf("%q: %q %v %v, want %q %s", c.src, name, ty, err, c.name, c.want)
		}
	}
	if _, ok := s.Func("sqlite3_open"); ok {
		t.Error("ParseDecl added the function to the scope")
	}
}

// TestForwardDeclarations checks that pointers and typedefs made from an
// incomplete struct see its body once it is defined, that redefinitions
// are compared, and that a failed Parse takes back all its changes.
func TestForwardDeclarations(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse("typedef struct node node; struct node *head; typedef const node cnode;"); err != nil {
		t.Fatal(err)
	}
	td, _ := s.Lookup("node")
	cn, _ := s.Lookup("cnode")
	head, _ := s.Var("head")
	if td.Complete || head.Elem.Complete {
		t.Fatal("struct node complete before its definition")
	}
	if err := s.Parse("struct node { int v; node *next; };"); err != nil {
		t.Fatal(err)
	}
	for _, ty := range []*ctype.Type{td, cn, head.Elem} {
		if !ty.Complete || ty.Size != 16 || len(ty.Fields) != 2 {
			t.Errorf("%s not completed in place: %+v", ty, ty)
		}
	}
	if !cn.Const || cn.Name != "cnode" {
		t.Errorf("cnode lost its name or qualifier: %+v", cn)
	}
	next, _ := td.FieldByName("next")
	if next.Type.Elem.Size != 16 {
		t.Error("self-reference does not see the body")
	}
	// Identical redefinition and a repeated forward declaration.
	if err := s.Parse("struct node; struct node { int v; node *next; }; typedef struct node node;"); err != nil {
		t.Errorf("identical redefinition: %v", err)
	}
	// A failing Parse leaves nothing behind, not even the completion of
	// a forward declaration.
	if err := s.Parse("struct later; typedef int newtype; struct later { int a; }; enum { NEWC = 1 }; int bad[-1];"); err == nil {
		t.Fatal("no error")
	}
	if _, ok := s.Lookup("newtype"); ok {
		t.Error("newtype survived a failed Parse")
	}
	if _, ok := s.Tag(ctype.Struct, "later"); ok {
		t.Error("struct later survived a failed Parse")
	}
	if _, ok := s.Const("NEWC"); ok {
		t.Error("NEWC survived a failed Parse")
	}
	if err := s.Parse("struct fwd; typedef struct fwd fwd;"); err != nil {
		t.Fatal(err)
	}
	fwd, _ := s.Lookup("fwd")
	if err := s.Parse("struct fwd { int a; }; int bad[-1];"); err == nil {
		t.Fatal("no error")
	}
	if fwd.Complete {
		t.Error("a failed Parse left struct fwd completed")
	}
	if err := s.Parse("struct fwd { long a; };"); err != nil || fwd.Size != 8 {
		t.Errorf("defining fwd after a failed attempt: %v, size %d", err, fwd.Size)
	}
}

func TestEnums(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(`enum { A = 1 << 4, B = A | 3, C, D = -2, E };
		enum big { X = 0xffffffff };
		enum huge { Y = 0x100000000 };
		enum neg { Z = -2147483649 };
		enum fwd;
		enum fwd { F1 = 'a' };`); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int64{"A": 16, "B": 19, "C": 20, "D": -2, "E": -1, "X": 0xffffffff, "Y": 1 << 32, "Z": -0x80000001, "F1": 97} {
		if v, ok := s.Const(name); !ok || v != want {
			t.Errorf("%s = %d, want %d", name, v, want)
		}
	}
	for tag, want := range map[string]string{"big": "unsigned int", "huge": "unsigned long", "neg": "long", "fwd": "int"} {
		e, _ := s.Tag(ctype.Enum, tag)
		if e.Elem.IntName != want || e.Size != e.Elem.Size || e.Signed != e.Elem.Signed || !e.Complete {
			t.Errorf("enum %s: underlying %s size %d, want %s", tag, e.Elem.IntName, e.Size, want)
		}
	}
}

func TestStandardTypedefs(t *testing.T) {
	for _, m := range ctype.Models {
		s := NewScope(m)
		for name := range StandardTypedefs(m) {
			ty, ok := s.Lookup(name)
			if !ok || ty.Kind != ctype.Int {
				t.Errorf("%s: %s missing", m, name)
			}
		}
		// A header restating a standard typedef is accepted.
		if err := s.Parse("typedef __SIZE_TYPE__ x;"); err == nil {
			t.Errorf("%s: unknown type accepted", m)
		}
		sz, _ := s.Lookup("size_t")
		if err := s.Parse("typedef " + sz.IntName + " size_t;"); err != nil {
			t.Errorf("%s: %v", m, err)
		}
		if ip, _ := s.Lookup("intptr_t"); ip.Size != m.PtrSize || !ip.Signed {
			t.Errorf("%s: intptr_t %+v", m, ip)
		}
	}
	if w, _ := NewScope(ctype.WindowsAMD64).Lookup("wchar_t"); w.Size != 2 || w.Signed {
		t.Errorf("windows wchar_t: %+v", w)
	}
}

// TestLimits checks that pathological input ends in an error, not a crash.
func TestLimits(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	for _, src := range []string{
		"int " + strings.Repeat("(", 10000) + "x" + strings.Repeat(")", 10000) + ";",
		"int " + strings.Repeat("*", 10000) + "p;",
		"int a" + strings.Repeat("[1]", 10000) + ";",
		"enum { A = " + strings.Repeat("- ", 100000) + "1 };",
		"enum { A = " + strings.Repeat("(", 100000) + "1 };",
		strings.Repeat("struct { ", 1000) + "int x;" + strings.Repeat(" } a;", 1000),
		"int f(" + strings.Repeat("int (*)(", 1000) + "int" + strings.Repeat(")", 1000) + ");",
	} {
		err := s.Parse(src)
		if err == nil || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("%.40q...: %v", src, err)
		}
	}
	if err := s.Parse(strings.Repeat(" ", MaxSource+1)); err == nil {
		t.Error("oversized source accepted")
	}
}

// TestConcurrentScopes parses in separate scopes at once (a Scope itself
// is not shared): the type model's shared state must be race-free.
func TestConcurrentScopes(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := NewScope(ctype.Host())
			if err := s.Parse(sqliteDecls); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// TestFloatNTypedefs: glibc declares "typedef float _Float32;" (and the
// others) for compilers that lack the _FloatN types, such as clang's
// preprocessor output; the typedefs parse and the names mean what they
// did.
func TestFloatNTypedefs(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse("typedef float _Float32;\ntypedef double _Float64;\ntypedef double _Float32x;\n_Float32 f(_Float32 x, _Float64 y, _Float32x z);"); err != nil {
		t.Fatal(err)
	}
	f, ok := s.Func("f")
	if !ok || f.String() != "float (float, double, double)" {
		t.Errorf("f: %v, want float (float, double, double)", f)
	}
}
