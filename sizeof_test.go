package ffi

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// sizeofDecls are declarations whose layout Sizeof, Alignof and Offsetof
// report; the test compares them with what the C compiler prints.
const sizeofDecls = `
typedef struct sz_hdr { unsigned char kind; unsigned int len; } sz_hdr;
struct sz_msg {
	sz_hdr hdr;
	union { long long i; double d; char s[12]; };
	struct { short a; char b; } tail[3];
	void (*done)(struct sz_msg *);
	unsigned flags : 3, : 0;
	char payload[];
};
struct __attribute__((packed)) sz_packed { char c; long long v; short s __attribute__((aligned(4))); };
enum sz_enum { SZ_A = 1 << 4, SZ_B = SZ_A | 3 };
typedef int sz_arr[2 * 16];
`

func TestSizeofMatchesCC(t *testing.T) {
	s := NewScope()
	if err := s.Cdef(sizeofDecls); err != nil {
		t.Fatal(err)
	}
	queries := []struct {
		fn, typ, field string
	}{
		{"sizeof", "sz_hdr", ""}, {"alignof", "sz_hdr", ""},
		{"sizeof", "struct sz_msg", ""}, {"alignof", "struct sz_msg", ""},
		{"offsetof", "struct sz_msg", "hdr.len"}, {"offsetof", "struct sz_msg", "d"},
		{"offsetof", "struct sz_msg", "s"}, {"offsetof", "struct sz_msg", "tail"},
		{"offsetof", "struct sz_msg", "done"}, {"offsetof", "struct sz_msg", "payload"},
		{"sizeof", "struct sz_packed", ""}, {"alignof", "struct sz_packed", ""},
		{"offsetof", "struct sz_packed", "v"}, {"offsetof", "struct sz_packed", "s"},
		{"sizeof", "enum sz_enum", ""}, {"sizeof", "sz_arr", ""}, {"alignof", "sz_arr", ""},
		{"sizeof", "long double", ""}, {"alignof", "long double", ""}, {"sizeof", "long", ""},
		{"sizeof", "void (*)(int)", ""}, {"sizeof", "size_t", ""}, {"sizeof", "wchar_t", ""},
		{"sizeof", "struct sz_msg *[SZ_B]", ""},
	}
	var b strings.Builder
	b.WriteString("#include <stdio.h>\n#include <stddef.h>\n" + sizeofDecls + "int main(void) {\n")
	var want []string
	for _, q := range queries {
		var n int
		var err error
		switch q.fn {
		case "sizeof":
			n, err = s.Sizeof(q.typ)
			fmt.Fprintf(&b, "\tprintf(\"%%zu\\n\", sizeof(%s));\n", q.typ)
		case "alignof":
			n, err = s.Alignof(q.typ)
			fmt.Fprintf(&b, "\tprintf(\"%%zu\\n\", (size_t)_Alignof(%s));\n", q.typ)
		default:
			n, err = s.Offsetof(q.typ, q.field)
			fmt.Fprintf(&b, "\tprintf(\"%%zu\\n\", offsetof(%s, %s));\n", q.typ, q.field)
		}
		if err != nil {
			t.Fatalf("%s(%s %s): %v", q.fn, q.typ, q.field, err)
		}
		want = append(want, fmt.Sprint(n))
	}
	b.WriteString("\treturn 0;\n}\n")
	out, err := ctest.Output(ctest.Program(t, b.String(), "-std=gnu11", "-w"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(string(out))
	if len(got) != len(want) {
		t.Fatalf("cc printed %d numbers, want %d", len(got), len(want))
	}
	for i, q := range queries {
		if got[i] != want[i] {
			t.Errorf("%s(%s %s) = %s, cc says %s", q.fn, q.typ, q.field, want[i], got[i])
		}
	}
}

func TestSizeofErrors(t *testing.T) {
	s := NewScope()
	if err := s.Cdef("struct sze_opaque; struct sze { int a; unsigned b : 3; struct { int c; } in; };"); err != nil {
		t.Fatal(err)
	}
	// Errors about a whole type or member name the call and carry no
	// position; syntax errors in the type name are placed in it.
	for _, c := range []struct {
		err  error
		want string
	}{
		{sizeofErr(s.Sizeof("struct sze_opaque")), `ffi: Sizeof("struct sze_opaque"): struct sze_opaque is an incomplete type: it is declared but has no definition in this scope`},
		{sizeofErr(s.Sizeof("void")), `ffi: Sizeof("void"): void has no size`},
		{sizeofErr(s.Alignof("int (int)")), `ffi: Alignof("int (int)"): int (int) is a function type, which has no size`},
		{sizeofErr(s.Offsetof("struct sze", "b")), `ffi: Offsetof("struct sze", "b"): member "b" of struct sze is a bitfield, which has no byte offset`},
		{sizeofErr(s.Offsetof("struct sze", "zz")), `ffi: Offsetof("struct sze", "zz"): struct sze has no member named "zz"`},
		{sizeofErr(s.Offsetof("struct sze", "in.zz")), `ffi: Offsetof("struct sze", "in.zz"): struct { int c; } has no member named "zz"`},
		{sizeofErr(s.Offsetof("struct sze", "a.b")), `ffi: Offsetof("struct sze", "a.b"): int has no member named "b"`},
		{sizeofErr(s.Offsetof("int", "a")), `ffi: Offsetof("int", "a"): int has no member named "a"`},
		{sizeofErr(s.Offsetof("struct sze", "in..c")), `ffi: Offsetof("struct sze", "in..c"): invalid member name ""`},
		{sizeofErr(s.Sizeof("nosuch_t")), `cdef:1:1: unknown type name "nosuch_t"`},
		{sizeofErr(s.Sizeof("unsigned int int")), `cdef:1:14: duplicate "int" in declaration specifiers`},
	} {
		if c.err == nil || c.err.Error() != c.want {
			t.Errorf("got %v, want %q", c.err, c.want)
		}
	}
}

func sizeofErr(_ int, err error) error { return err }
