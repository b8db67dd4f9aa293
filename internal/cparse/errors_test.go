package cparse

import (
	"errors"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// TestErrors checks that each kind of mistake is reported with its line,
// column and what was expected, and that a failed Parse leaves the scope
// unchanged.
func TestErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"struct s {\n  int x\n};", "cdef:3:1: expected ';' after struct member \"x\", found \"}\""},
		{"foo x;", "cdef:1:1: unknown type name \"foo\""},
		{"unsigned lnog strlen(const char *);", "cdef:1:10: unknown type name \"lnog\""},
		{"int f(void);\nsize_tt g(int);", "cdef:2:1: unknown type name \"size_tt\""},
		{"const chr *name(void);", "cdef:1:7: unknown type name \"chr\""},
		{"int f(int) x;", "cdef:1:12: expected ';' after declaration of \"f\", found \"x\""},
		{"int f(foo);", "cdef:1:7: unknown type name \"foo\" in parameter 1"},
		{"int f(int, foo *p);", "cdef:1:12: unknown type name \"foo\" in parameter 2"},
		{"typedef int T; typedef long T;", "cdef:1:29: conflicting types for typedef \"T\": long, was int"},
		{"struct s { int a; }; struct s { long a; };", "cdef:1:29: conflicting definition of struct s"},
		{"int a[-1];", "cdef:1:7: size of array \"a\" is negative (-1)"},
		{"int a[2-3];", "cdef:1:7: size of array \"a\" is negative (-1)"},
		{"struct s { char c: 9; };", "cdef:1:20: width 9 of bitfield \"c\" exceeds its type char"},
		{"struct s { _Bool b: 2; };", "cdef:1:21: width 2 of bitfield \"b\" exceeds its type _Bool"},
		{"struct s { int x: -1; };", "cdef:1:19: bitfield \"x\" has negative width -1"},
		{"struct s { int x: 0; };", "cdef:1:19: zero width for bitfield \"x\""},
		{"struct s { float f: 3; };", "cdef:1:18: bitfield \"f\" has non-integer type float"},
		{"int f(void, int);", "cdef:1:7: 'void' must be the only parameter"},
		{"int f(int, void);", "cdef:1:12: 'void' must be the only parameter"},
		{"int f(void x);", "cdef:1:12: parameter \"x\" has type void"},
		{"void v;", "cdef:1:6: variable \"v\" declared void"},
		{"int f(int a, int a);", "cdef:1:18: redefinition of parameter \"a\""},
		{"struct s { int a; int a; };", "cdef:1:23: duplicate member \"a\""},
		{"struct s { int a; struct { int a; }; };", "cdef:1:8: struct s: duplicate member \"a\""},
		{"struct s { struct t x; };", "cdef:1:21: member \"x\" has incomplete type struct t"},
		{"struct s { int a[]; };", "cdef:1:8: struct s: flexible array member \"a\" in a struct with no named members"},
		{"struct s { int a[]; int b; };", "cdef:1:8: struct s: flexible array member \"a\" is not at the end of the struct"},
		{"union u { int a; int b[]; };", "cdef:1:7: union u: flexible array member \"b\" in a union"},
		{"enum e { A, B = A + , C };", "cdef:1:21: expected a constant expression, found \",\""},
		{"enum e { A = 1/0 };", "cdef:1:15: division by zero in constant expression"},
		{"enum { X = 1 }; enum { X = 2 };", "cdef:1:24: conflicting values for enum constant \"X\" (2, was 1)"},
		{"int X; enum { X };", "cdef:1:15: \"X\" redeclared as a different kind of symbol (enum constant, was variable)"},
		{"#include <stdio.h>\nint x;", "cdef:1:1: preprocessor directive #include is not supported: run the C preprocessor first (cc -E -P, or cc -E -dD to keep #define constants)"},
		{"int a;\n  #pragma pack(3)\n", "cdef:2:16: #pragma pack(3): the value must be 1, 2, 4, 8 or 16, not \"3\""},
		{"#pragma pack(pop)\n", "cdef:1:14: #pragma pack(pop): pop with nothing pushed"},
		{"#pragma pack(push, a, 2)\n#pragma pack(pop, b)\n", "cdef:2:14: #pragma pack(pop, b): no push named b"},
		{"#pragma pack(push, 1, 2)\n", "cdef:1:14: #pragma pack(push, 1, 2): too many arguments"},
		{"#pragma pack(1, 2)\n", "cdef:1:14: #pragma pack(1, 2): expected N, push, pop or show"},
		{"#pragma pack 1\n", "cdef:1:14: expected (...) after #pragma pack"},
		{"#define F(x) x\n#define\n", "cdef:2:8: expected a macro name after #define"},
		{"typedef int T = 5;", "cdef:1:13: typedef \"T\" is initialized"},
		{"int x = (5;", "cdef:1:12: unexpected end of input in an initializer"},
		{"int x { }", "cdef:1:7: unexpected '{' after the declaration of \"x\""},
		{"static int f(void) { return 0; ", "cdef:1:20: unbalanced '{'"},
		{"static int f(void) { return 0; } int g(f);", "cdef:1:40: f is not supported: a static or inline function defined in the header, which has no symbol to call (declared at 1:12)"},
		{"struct s; union s *p;", "cdef:1:17: 's' defined as wrong kind of tag (union, was struct)"},
		{"long long long x;", "cdef:1:11: duplicate \"long\" in declaration specifiers"},
		{"unsigned float x;", "cdef:1:1: invalid combination of type specifiers \"unsigned float\""},
		{"signed unsigned x;", "cdef:1:1: invalid combination of type specifiers \"signed unsigned\""},
		{"short long x;", "cdef:1:1: invalid combination of type specifiers \"short long\""},
		{"int char x;", "cdef:1:1: invalid combination of type specifiers \"int char\""},
		{"int f(...);", "cdef:1:7: a named parameter is required before '...'"},
		{"int (*fp)(int;", "cdef:1:14: expected ')' after parameter 1, found \";\""},
		{"int a[3;", "cdef:1:8: expected ']' to close array size, found \";\""},
		{"struct { int a; } __attribute__((aligned(3))) x;", "cdef:1:42: requested alignment 3 is not a positive power of 2"},
		{"_Atomic int z;", "cdef:1:1: _Atomic is not supported"},
		{"typedef int T __attribute__((mode(XF)));", "cdef:1:30: mode(XF) is not supported (only QI, HI, SI, DI, TI, SF, DF, byte, word and pointer)"},
		{"typedef int *T __attribute__((__mode__(__DI__)));", "cdef:1:31: mode(DI) cannot apply to int *"},
		{"typedef int V __attribute__((vector_size(6)));", "cdef:1:30: vector size 6 is not a multiple of the size of int (4)"},
		{"typedef int V __attribute__((vector_size(12)));", "cdef:1:30: vector of 3 elements of int: the number of elements must be a power of 2"},
		{"typedef void *V __attribute__((vector_size(16)));", "cdef:1:32: vector_size needs an integer or floating element type, not void *"},
		{"int * __attribute__((aligned(8))) p;", "cdef:1:7: packed, aligned, mode and vector_size attributes inside a declarator are not supported"},
		{"struct s { int a; } __attribute__((scalar_storage_order(\"big-endian\")));", "cdef:1:36: attribute scalar_storage_order changes the layout and is not supported"},
		{"int f() () ;", "cdef:1:6: function \"f\": function returning a function"},
		{"int f()[3];", "cdef:1:6: function \"f\": function returning an array"},
		{"int a[3](int);", "cdef:1:6: array of functions"},
		{"struct s { int f(int); };", "cdef:1:16: member \"f\" declared as a function"},
		{"int x; int x; long x;", "cdef:1:20: conflicting types for variable \"x\": long, was int"},
		{"typedef unsigned long size_t;\ntypedef struct X_s X\nsize_t f(X *);", "cdef:3:1: expected ';' after the declaration of \"X\", found \"size_t\""},
		{"int x\nint y;", "cdef:2:1: expected ';' after the declaration of \"x\", found \"int\""},
		{"unsgined int x;", "cdef:1:1: unknown type name \"unsgined\""},
		{"# 1 \"<stdin>\"\nint a;\n# 40 \"bar.h\" 3 4\nint d;\n\nint e int f;\n", "cdef:6:5: unknown type name \"e\" (bar.h:42)"},
		{"#line 7 \"x.h\"\nfoo y;", "cdef:2:1: unknown type name \"foo\" (x.h:7)"},
		{"int f(int); int f(long);", "cdef:1:17: conflicting types for function \"f\": int (long), was int (int)"},
		{"int f(const char *); int f(char *);", "cdef:1:26: conflicting types for function \"f\": int (char *), was int (const char *)"},
		{"typedef int T; int T;", "cdef:1:20: \"T\" redeclared as a different kind of symbol (variable, was typedef)"},
		{"/* unterminated", "cdef:1:1: unterminated comment"},
		{"char c = 'a", "cdef:1:10: unterminated character constant"},
		{"int @;", "cdef:1:5: unexpected character '@'"},
		{"int a[1 << 64];", "cdef:1:9: shift count 64 is out of range for a 32-bit value"},
		{"int a[0x7fffffffffffffff];", "cdef:1:7: size of array \"a\" is too large (9223372036854775807)"},
		{"struct s { int a; }", "cdef:1:20: expected ';' after struct s, found end of input"},
		{"restrict int *p;", "cdef:1:1: restrict requires a pointer type, not int"},
		{"int a[sizeof(struct nope)];", "cdef:1:13: sizeof applied to incomplete type struct nope"},
		{"int a[sizeof(void)];", "cdef:1:13: sizeof applied to void"},
		{"enum { A = 1.5 };", "cdef:1:12: floating constant 1.5 in integer constant expression"},
		{"enum { A = B };", "cdef:1:12: undeclared identifier \"B\" in constant expression"},
		{"typedef int A[]; A x; struct s { A y; int z; };", "cdef:1:30: struct s: flexible array member \"y\" is not at the end of the struct"},
	} {
		s := NewScope(ctype.LinuxAMD64)
		err := s.Parse(c.src)
		if err == nil || err.Error() != c.want {
			t.Errorf("%q:\n\tgot  %v\n\twant %s", c.src, err, c.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Line < 1 || e.Col < 1 {
			t.Errorf("%q: %v is not an *Error with a position", c.src, err)
		}
	}
}
