package cparse

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// summary spells a type's layout as "size N, align N, off PATH N, bit
// PATH POS WIDTH, ...".
func summary(t *ctype.Type) string {
	var parts []string
	for _, l := range layoutLines("T", t) {
		parts = append(parts, strings.TrimPrefix(l, "T "))
	}
	return strings.Join(parts, ", ")
}

// TestScalarsPublished checks the basic types of each data model against
// the published ABIs: System V x86-64 psABI, AAPCS64 (Linux), Apple's
// arm64 and x86-64 ABI notes, and Microsoft's x64 conventions.
func TestScalarsPublished(t *testing.T) {
	type row struct {
		typ          string
		size, align  int
		signed, sgnK bool // sgnK: check Signed
	}
	table := map[*ctype.Model][]row{
		ctype.LinuxAMD64: {{"char", 1, 1, true, true}, {"long", 8, 8, true, true}, {"long double", 16, 16, false, false},
			{"wchar_t", 4, 4, true, true}, {"size_t", 8, 8, false, true}, {"void *", 8, 8, false, false}, {"_Bool", 1, 1, false, false},
			{"long long", 8, 8, true, true}, {"double", 8, 8, false, false}, {"int64_t", 8, 8, true, true}},
		ctype.LinuxARM64: {{"char", 1, 1, false, true}, {"long", 8, 8, true, true}, {"long double", 16, 16, false, false},
			{"wchar_t", 4, 4, false, true}, {"size_t", 8, 8, false, true}, {"void *", 8, 8, false, false}, {"_Bool", 1, 1, false, false}},
		ctype.DarwinARM64: {{"char", 1, 1, true, true}, {"long", 8, 8, true, true}, {"long double", 8, 8, false, false},
			{"wchar_t", 4, 4, true, true}, {"size_t", 8, 8, false, true}, {"void *", 8, 8, false, false}},
		ctype.DarwinAMD64: {{"char", 1, 1, true, true}, {"long", 8, 8, true, true}, {"long double", 16, 16, false, false},
			{"wchar_t", 4, 4, true, true}, {"size_t", 8, 8, false, true}},
		ctype.WindowsAMD64: {{"char", 1, 1, true, true}, {"long", 4, 4, true, true}, {"unsigned long", 4, 4, false, true},
			{"long double", 16, 16, false, false}, {"wchar_t", 2, 2, false, true}, {"size_t", 8, 8, false, true},
			{"ssize_t", 8, 8, true, true}, {"intptr_t", 8, 8, true, true}, {"void *", 8, 8, false, false},
			{"int64_t", 8, 8, true, true}, {"enum { BIG = 0x7fffffff }", 4, 4, true, true}},
	}
	for m, rows := range table {
		s := NewScope(m)
		for _, r := range rows {
			ty, err := s.ParseType(r.typ)
			if err != nil {
				t.Errorf("%s: %s: %v", m, r.typ, err)
				continue
			}
			if ty.Size != r.size || ty.Align != r.align || (r.sgnK && ty.Signed != r.signed) {
				t.Errorf("%s: %s: size %d align %d signed %v, want %d %d %v", m, r.typ, ty.Size, ty.Align, ty.Signed, r.size, r.align, r.signed)
			}
		}
	}
}

// TestLayoutsPublished checks the struct layouts of the data models the
// test machine cannot compile for and run. The expected numbers were
// produced by the targets' own compilers (aarch64-linux-gnu-gcc 12.2 for
// linux/arm64; clang 14 with --target=arm64-apple-macos11 and
// x86_64-apple-macos10.15; x86_64-w64-mingw32-gcc 12 under wine for
// windows/amd64, which TestLayoutMatchesCC checks in CI), with static
// assertions for sizes, alignments and offsets and DWARF for bitfields.
// They follow AAPCS64, Apple's arm64 notes (long double is double) and the
// Microsoft bit-field rules as MinGW applies them (storage units by
// declared type, a full unit followed by the next without realigning,
// bit-fields of unions aligned to their type unless packed, enums widened
// past int as GCC does, long double of 16 bytes, empty structs of size 0).
func TestLayoutsPublished(t *testing.T) {
	scopes := map[string]*Scope{}
	for _, m := range []*ctype.Model{ctype.LinuxARM64, ctype.DarwinARM64, ctype.DarwinAMD64, ctype.WindowsAMD64} {
		scopes[m.Name] = NewScope(m)
	}
	// Each declaration is parsed once per model, in table order, as later
	// ones use earlier ones.
	parsed := map[string]map[string]error{}
	for name, s := range scopes {
		parsed[name] = map[string]error{}
		for _, c := range publishedLayouts {
			if _, done := parsed[name][c.decl]; !done {
				parsed[name][c.decl] = s.Parse(c.decl)
			}
		}
	}
	for _, c := range publishedLayouts {
		for model, want := range c.want {
			s := scopes[model]
			err := parsed[model][c.decl]
			if strings.HasPrefix(want, "error: ") {
				if err == nil || err.Error() != strings.TrimPrefix(want, "error: ") {
					t.Errorf("%s: %s: error %v, want %s", model, c.decl, err, want)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s: %s: %v", model, c.decl, err)
				continue
			}
			ty, err := s.ParseType(c.typ)
			if err != nil {
				t.Errorf("%s: %s: %v", model, c.typ, err)
				continue
			}
			if got := summary(ty); got != want {
				t.Errorf("%s: %s\n\tgot  %s\n\twant %s", model, c.decl, got, want)
			}
		}
	}
}

var publishedLayouts = []struct {
	decl, typ string
	want      map[string]string // model name -> summary
}{
	// An unnamed :0 after a run of bitfields raises the struct's alignment
	// to its type's (x86_64-w64-mingw32-gcc 12, which lays out bitfields
	// by the Microsoft rules).
	{"struct HZ0 { short f0 :10; unsigned int :0; short f2 :12; unsigned char f3 :6; long long :0; };", "struct HZ0", map[string]string{
		"windows/amd64": "size 8, align 8, bit f0 0 10, bit f2 32 12, bit f3 48 6",
	}},
	{"struct H1 { char a; int b:3; int c:29; char d; };", "struct H1", map[string]string{
		"linux/arm64":   "size 12, align 4, off a 0, bit b 8 3, bit c 32 29, off d 8",
		"darwin/arm64":  "size 12, align 4, off a 0, bit b 8 3, bit c 32 29, off d 8",
		"darwin/amd64":  "size 12, align 4, off a 0, bit b 8 3, bit c 32 29, off d 8",
		"windows/amd64": "size 12, align 4, off a 0, bit b 32 3, bit c 35 29, off d 8",
	}},
	{"struct H2 { char a; long long b:40; int c:30; };", "struct H2", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, bit b 8 40, bit c 64 30",
		"darwin/arm64":  "size 16, align 8, off a 0, bit b 8 40, bit c 64 30",
		"darwin/amd64":  "size 16, align 8, off a 0, bit b 8 40, bit c 64 30",
		"windows/amd64": "size 24, align 8, off a 0, bit b 64 40, bit c 128 30",
	}},
	{"struct H3 { char a; int :0; char b; };", "struct H3", map[string]string{
		"linux/arm64":   "size 8, align 4, off a 0, off b 4",
		"darwin/arm64":  "size 5, align 1, off a 0, off b 4",
		"darwin/amd64":  "size 5, align 1, off a 0, off b 4",
		"windows/amd64": "size 2, align 1, off a 0, off b 1",
	}},
	{"struct H4 { char a; int :4; char b; };", "struct H4", map[string]string{
		"linux/arm64":   "size 4, align 4, off a 0, off b 2",
		"darwin/arm64":  "size 3, align 1, off a 0, off b 2",
		"darwin/amd64":  "size 3, align 1, off a 0, off b 2",
		"windows/amd64": "size 12, align 4, off a 0, off b 8",
	}},
	{"struct H5 { char a; long long :0; char b; };", "struct H5", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, off b 8",
		"darwin/arm64":  "size 9, align 1, off a 0, off b 8",
		"darwin/amd64":  "size 9, align 1, off a 0, off b 8",
		"windows/amd64": "size 2, align 1, off a 0, off b 1",
	}},
	{"struct H6 { int a:1; int :0; int b:1; };", "struct H6", map[string]string{
		"linux/arm64":   "size 8, align 4, bit a 0 1, bit b 32 1",
		"darwin/arm64":  "size 8, align 4, bit a 0 1, bit b 32 1",
		"darwin/amd64":  "size 8, align 4, bit a 0 1, bit b 32 1",
		"windows/amd64": "size 8, align 4, bit a 0 1, bit b 32 1",
	}},
	{"struct __attribute__((packed)) H7 { char a; int b:31; char c; long long d:60; };", "struct H7", map[string]string{
		"linux/arm64":   "size 14, align 1, off a 0, bit b 8 31, off c 5, bit d 48 60",
		"darwin/arm64":  "size 14, align 1, off a 0, bit b 8 31, off c 5, bit d 48 60",
		"darwin/amd64":  "size 14, align 1, off a 0, bit b 8 31, off c 5, bit d 48 60",
		"windows/amd64": "size 14, align 1, off a 0, bit b 8 31, off c 5, bit d 48 60",
	}},
	{"struct H8 { char a; int b:5 __attribute__((packed)); int c:30 __attribute__((packed)); };", "struct H8", map[string]string{
		"linux/arm64":   "size 6, align 1, off a 0, bit b 8 5, bit c 13 30",
		"darwin/arm64":  "size 6, align 1, off a 0, bit b 8 5, bit c 13 30",
		"darwin/amd64":  "size 6, align 1, off a 0, bit b 8 5, bit c 13 30",
		"windows/amd64": "size 9, align 1, off a 0, bit b 8 5, bit c 40 30",
	}},
	{"struct H9 { char a; double b __attribute__((packed)); };", "struct H9", map[string]string{
		"linux/arm64":   "size 9, align 1, off a 0, off b 1",
		"darwin/arm64":  "size 9, align 1, off a 0, off b 1",
		"darwin/amd64":  "size 9, align 1, off a 0, off b 1",
		"windows/amd64": "size 9, align 1, off a 0, off b 1",
	}},
	{"struct H10 { char a; int b __attribute__((aligned(16))); };", "struct H10", map[string]string{
		"linux/arm64":   "size 32, align 16, off a 0, off b 16",
		"darwin/arm64":  "size 32, align 16, off a 0, off b 16",
		"darwin/amd64":  "size 32, align 16, off a 0, off b 16",
		"windows/amd64": "size 32, align 16, off a 0, off b 16",
	}},
	{"struct H11 { char a; } __attribute__((aligned(32)));", "struct H11", map[string]string{
		"linux/arm64":   "size 32, align 32, off a 0",
		"darwin/arm64":  "size 32, align 32, off a 0",
		"darwin/amd64":  "size 32, align 32, off a 0",
		"windows/amd64": "size 32, align 32, off a 0",
	}},
	{"struct H12 { char a; int b; } __attribute__((packed, aligned(4)));", "struct H12", map[string]string{
		"linux/arm64":   "size 8, align 4, off a 0, off b 1",
		"darwin/arm64":  "size 8, align 4, off a 0, off b 1",
		"darwin/amd64":  "size 8, align 4, off a 0, off b 1",
		"windows/amd64": "size 8, align 4, off a 0, off b 1",
	}},
	{"struct H13 { char c; long double ld; };", "struct H13", map[string]string{
		"linux/arm64":   "size 32, align 16, off c 0, off ld 16",
		"darwin/arm64":  "size 16, align 8, off c 0, off ld 8",
		"darwin/amd64":  "size 32, align 16, off c 0, off ld 16",
		"windows/amd64": "size 32, align 16, off c 0, off ld 16",
	}},
	{"struct H14 { int n; char data[]; };", "struct H14", map[string]string{
		"linux/arm64":   "size 4, align 4, off n 0, off data 4",
		"darwin/arm64":  "size 4, align 4, off n 0, off data 4",
		"darwin/amd64":  "size 4, align 4, off n 0, off data 4",
		"windows/amd64": "size 4, align 4, off n 0, off data 4",
	}},
	{"struct H15 { char c; double d[]; };", "struct H15", map[string]string{
		"linux/arm64":   "size 8, align 8, off c 0, off d 8",
		"darwin/arm64":  "size 8, align 8, off c 0, off d 8",
		"darwin/amd64":  "size 8, align 8, off c 0, off d 8",
		"windows/amd64": "size 8, align 8, off c 0, off d 8",
	}},
	{"union H16 { char a; int b:3; long long c:33; };", "union H16", map[string]string{
		"linux/arm64":   "size 8, align 8, off a 0, bit b 0 3, bit c 0 33",
		"darwin/arm64":  "size 8, align 8, off a 0, bit b 0 3, bit c 0 33",
		"darwin/amd64":  "size 8, align 8, off a 0, bit b 0 3, bit c 0 33",
		"windows/amd64": "size 8, align 8, off a 0, bit b 0 3, bit c 0 33",
	}},
	{"union H17 { char c[5]; int i; };", "union H17", map[string]string{
		"linux/arm64":   "size 8, align 4, off c 0, off i 0",
		"darwin/arm64":  "size 8, align 4, off c 0, off i 0",
		"darwin/amd64":  "size 8, align 4, off c 0, off i 0",
		"windows/amd64": "size 8, align 4, off c 0, off i 0",
	}},
	{"struct H18 { char a; union { int b; char c[7]; }; struct { short d; char e; }; };", "struct H18", map[string]string{
		"linux/arm64":   "size 16, align 4, off a 0, off b 4, off c 4, off d 12, off e 14",
		"darwin/arm64":  "size 16, align 4, off a 0, off b 4, off c 4, off d 12, off e 14",
		"darwin/amd64":  "size 16, align 4, off a 0, off b 4, off c 4, off d 12, off e 14",
		"windows/amd64": "size 16, align 4, off a 0, off b 4, off c 4, off d 12, off e 14",
	}},
	{"struct H19 { _Bool a:1; _Bool b:1; unsigned char c:7; unsigned char d:2; };", "struct H19", map[string]string{
		"linux/arm64":   "size 3, align 1, bit a 0 1, bit b 1 1, bit c 8 7, bit d 16 2",
		"darwin/arm64":  "size 3, align 1, bit a 0 1, bit b 1 1, bit c 8 7, bit d 16 2",
		"darwin/amd64":  "size 3, align 1, bit a 0 1, bit b 1 1, bit c 8 7, bit d 16 2",
		"windows/amd64": "size 3, align 1, bit a 0 1, bit b 1 1, bit c 8 7, bit d 16 2",
	}},
	{"struct H20 { short a:9; short b:9; short c:9; char d; };", "struct H20", map[string]string{
		"linux/arm64":   "size 8, align 2, bit a 0 9, bit b 16 9, bit c 32 9, off d 6",
		"darwin/arm64":  "size 8, align 2, bit a 0 9, bit b 16 9, bit c 32 9, off d 6",
		"darwin/amd64":  "size 8, align 2, bit a 0 9, bit b 16 9, bit c 32 9, off d 6",
		"windows/amd64": "size 8, align 2, bit a 0 9, bit b 16 9, bit c 32 9, off d 6",
	}},
	{"struct H21 { char a; short b:9; };", "struct H21", map[string]string{
		"linux/arm64":   "size 4, align 2, off a 0, bit b 16 9",
		"darwin/arm64":  "size 4, align 2, off a 0, bit b 16 9",
		"darwin/amd64":  "size 4, align 2, off a 0, bit b 16 9",
		"windows/amd64": "size 4, align 2, off a 0, bit b 16 9",
	}},
	{"struct H22 { unsigned long long a:1; unsigned char b; };", "struct H22", map[string]string{
		"linux/arm64":   "size 8, align 8, bit a 0 1, off b 1",
		"darwin/arm64":  "size 8, align 8, bit a 0 1, off b 1",
		"darwin/amd64":  "size 8, align 8, bit a 0 1, off b 1",
		"windows/amd64": "size 16, align 8, bit a 0 1, off b 8",
	}},
	{"struct H23 { int a:24; char b; };", "struct H23", map[string]string{
		"linux/arm64":   "size 4, align 4, bit a 0 24, off b 3",
		"darwin/arm64":  "size 4, align 4, bit a 0 24, off b 3",
		"darwin/amd64":  "size 4, align 4, bit a 0 24, off b 3",
		"windows/amd64": "size 8, align 4, bit a 0 24, off b 4",
	}},
	{"struct H24 { char a[3]; int b:9; };", "struct H24", map[string]string{
		"linux/arm64":   "size 8, align 4, off a 0, bit b 32 9",
		"darwin/arm64":  "size 8, align 4, off a 0, bit b 32 9",
		"darwin/amd64":  "size 8, align 4, off a 0, bit b 32 9",
		"windows/amd64": "size 8, align 4, off a 0, bit b 32 9",
	}},
	{"enum E1 { E1a, E1b, E1c = 7 }; struct H25 { enum E1 e:4; int x; };", "struct H25", map[string]string{
		"linux/arm64":   "size 8, align 4, bit e 0 4, off x 4",
		"darwin/arm64":  "size 8, align 4, bit e 0 4, off x 4",
		"darwin/amd64":  "size 8, align 4, bit e 0 4, off x 4",
		"windows/amd64": "size 8, align 4, bit e 0 4, off x 4",
	}},
	{"struct H26 { struct H1 h; char c; struct H7 p; };", "struct H26", map[string]string{
		"linux/arm64":   "size 28, align 4, off h 0, off c 12, off p 13",
		"darwin/arm64":  "size 28, align 4, off h 0, off c 12, off p 13",
		"darwin/amd64":  "size 28, align 4, off h 0, off c 12, off p 13",
		"windows/amd64": "size 28, align 4, off h 0, off c 12, off p 13",
	}},
	{"struct H27 { char a; struct H7 p; char b; };", "struct H27", map[string]string{
		"linux/arm64":   "size 16, align 1, off a 0, off p 1, off b 15",
		"darwin/arm64":  "size 16, align 1, off a 0, off p 1, off b 15",
		"darwin/amd64":  "size 16, align 1, off a 0, off p 1, off b 15",
		"windows/amd64": "size 16, align 1, off a 0, off p 1, off b 15",
	}},
	{"struct H28 { char c; struct { char d; int e; } __attribute__((packed)) s; };", "struct H28", map[string]string{
		"linux/arm64":   "size 6, align 1, off c 0, off s 1, off s.d 1, off s.e 2",
		"darwin/arm64":  "size 6, align 1, off c 0, off s 1, off s.d 1, off s.e 2",
		"darwin/amd64":  "size 6, align 1, off c 0, off s 1, off s.d 1, off s.e 2",
		"windows/amd64": "size 6, align 1, off c 0, off s 1, off s.d 1, off s.e 2",
	}},
	{"struct H29 { int :0; char a; };", "struct H29", map[string]string{
		"linux/arm64":   "size 4, align 4, off a 0",
		"darwin/arm64":  "size 1, align 1, off a 0",
		"darwin/amd64":  "size 1, align 1, off a 0",
		"windows/amd64": "size 1, align 1, off a 0",
	}},
	{"struct H30 { char a; char :0; char b; };", "struct H30", map[string]string{
		"linux/arm64":   "size 2, align 1, off a 0, off b 1",
		"darwin/arm64":  "size 2, align 1, off a 0, off b 1",
		"darwin/amd64":  "size 2, align 1, off a 0, off b 1",
		"windows/amd64": "size 2, align 1, off a 0, off b 1",
	}},
	{"struct H31 { long :3; char a; };", "struct H31", map[string]string{
		"linux/arm64":   "size 8, align 8, off a 1",
		"darwin/arm64":  "size 2, align 1, off a 1",
		"darwin/amd64":  "size 2, align 1, off a 1",
		"windows/amd64": "size 8, align 4, off a 4",
	}},
	{"struct H33 { char a; void (*fp)(int); char *s; const volatile int cv; };", "struct H33", map[string]string{
		"linux/arm64":   "size 32, align 8, off a 0, off fp 8, off s 16, off cv 24",
		"darwin/arm64":  "size 32, align 8, off a 0, off fp 8, off s 16, off cv 24",
		"darwin/amd64":  "size 32, align 8, off a 0, off fp 8, off s 16, off cv 24",
		"windows/amd64": "size 32, align 8, off a 0, off fp 8, off s 16, off cv 24",
	}},
	{"struct H34 { int a[2][3]; char b; };", "struct H34", map[string]string{
		"linux/arm64":   "size 28, align 4, off a 0, off b 24",
		"darwin/arm64":  "size 28, align 4, off a 0, off b 24",
		"darwin/amd64":  "size 28, align 4, off a 0, off b 24",
		"windows/amd64": "size 28, align 4, off a 0, off b 24",
	}},
	{"struct H35 { };", "struct H35", map[string]string{
		"linux/arm64":   "size 0, align 1",
		"darwin/arm64":  "size 0, align 1",
		"darwin/amd64":  "size 0, align 1",
		"windows/amd64": "size 0, align 1",
	}},
	{"struct H36 { char a; __attribute__((aligned(8))) char b; };", "struct H36", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, off b 8",
		"darwin/arm64":  "size 16, align 8, off a 0, off b 8",
		"darwin/amd64":  "size 16, align 8, off a 0, off b 8",
		"windows/amd64": "size 16, align 8, off a 0, off b 8",
	}},
	{"struct H37 { char a; int b __attribute__((aligned(2))); };", "struct H37", map[string]string{
		"linux/arm64":   "size 8, align 4, off a 0, off b 4",
		"darwin/arm64":  "size 8, align 4, off a 0, off b 4",
		"darwin/amd64":  "size 8, align 4, off a 0, off b 4",
		"windows/amd64": "size 8, align 4, off a 0, off b 4",
	}},
	{"struct __attribute__((packed)) H38 { char a; int b __attribute__((aligned(2))); };", "struct H38", map[string]string{
		"linux/arm64":   "size 6, align 2, off a 0, off b 2",
		"darwin/arm64":  "size 6, align 2, off a 0, off b 2",
		"darwin/amd64":  "size 6, align 2, off a 0, off b 2",
		"windows/amd64": "size 6, align 2, off a 0, off b 2",
	}},
	{"typedef int aligned_int __attribute__((aligned(8))); struct H39 { char a; aligned_int b; };", "struct H39", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, off b 8",
		"darwin/arm64":  "size 16, align 8, off a 0, off b 8",
		"darwin/amd64":  "size 16, align 8, off a 0, off b 8",
		"windows/amd64": "size 16, align 8, off a 0, off b 8",
	}},
	{"enum E2 { E2a = -1, E2b = 0x7fffffff }; enum E3 { E3a = 0xffffffff }; enum E4 { E4a = 0x100000000 }; enum E5 { E5a = -1, E5b = 0xffffffff };", "enum E2", map[string]string{
		"linux/arm64":   "size 4, align 4",
		"darwin/arm64":  "size 4, align 4",
		"darwin/amd64":  "size 4, align 4",
		"windows/amd64": "size 4, align 4",
	}},
	{"enum E2 { E2a = -1, E2b = 0x7fffffff }; enum E3 { E3a = 0xffffffff }; enum E4 { E4a = 0x100000000 }; enum E5 { E5a = -1, E5b = 0xffffffff };", "enum E3", map[string]string{
		"linux/arm64":   "size 4, align 4",
		"darwin/arm64":  "size 4, align 4",
		"darwin/amd64":  "size 4, align 4",
		"windows/amd64": "size 4, align 4",
	}},
	{"enum E2 { E2a = -1, E2b = 0x7fffffff }; enum E3 { E3a = 0xffffffff }; enum E4 { E4a = 0x100000000 }; enum E5 { E5a = -1, E5b = 0xffffffff };", "enum E4", map[string]string{
		"linux/arm64":   "size 8, align 8",
		"darwin/arm64":  "size 8, align 8",
		"darwin/amd64":  "size 8, align 8",
		"windows/amd64": "size 8, align 8",
	}},
	{"enum E2 { E2a = -1, E2b = 0x7fffffff }; enum E3 { E3a = 0xffffffff }; enum E4 { E4a = 0x100000000 }; enum E5 { E5a = -1, E5b = 0xffffffff };", "enum E5", map[string]string{
		"linux/arm64":   "size 8, align 8",
		"darwin/arm64":  "size 8, align 8",
		"darwin/amd64":  "size 8, align 8",
		"windows/amd64": "size 8, align 8",
	}},
	{"struct H41 { char a; enum E4 e; enum E3 f; enum E5 g; };", "struct H41", map[string]string{
		"linux/arm64":   "size 32, align 8, off a 0, off e 8, off f 16, off g 24",
		"darwin/arm64":  "size 32, align 8, off a 0, off e 8, off f 16, off g 24",
		"darwin/amd64":  "size 32, align 8, off a 0, off e 8, off f 16, off g 24",
		"windows/amd64": "size 32, align 8, off a 0, off e 8, off f 16, off g 24",
	}},
	{"struct H42 { char a; long long b:33; long long c:31; };", "struct H42", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, bit b 8 33, bit c 64 31",
		"darwin/arm64":  "size 16, align 8, off a 0, bit b 8 33, bit c 64 31",
		"darwin/amd64":  "size 16, align 8, off a 0, bit b 8 33, bit c 64 31",
		"windows/amd64": "size 16, align 8, off a 0, bit b 64 33, bit c 97 31",
	}},
	{"struct H43 { unsigned a:31; unsigned b:2; };", "struct H43", map[string]string{
		"linux/arm64":   "size 8, align 4, bit a 0 31, bit b 32 2",
		"darwin/arm64":  "size 8, align 4, bit a 0 31, bit b 32 2",
		"darwin/amd64":  "size 8, align 4, bit a 0 31, bit b 32 2",
		"windows/amd64": "size 8, align 4, bit a 0 31, bit b 32 2",
	}},
	{"struct H44 { char a; unsigned long long b:63; };", "struct H44", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, bit b 64 63",
		"darwin/arm64":  "size 16, align 8, off a 0, bit b 64 63",
		"darwin/amd64":  "size 16, align 8, off a 0, bit b 64 63",
		"windows/amd64": "size 16, align 8, off a 0, bit b 64 63",
	}},
	{"struct H45 { short a; char b:8; char c:1; };", "struct H45", map[string]string{
		"linux/arm64":   "size 4, align 2, off a 0, bit b 16 8, bit c 24 1",
		"darwin/arm64":  "size 4, align 2, off a 0, bit b 16 8, bit c 24 1",
		"darwin/amd64":  "size 4, align 2, off a 0, bit b 16 8, bit c 24 1",
		"windows/amd64": "size 4, align 2, off a 0, bit b 16 8, bit c 24 1",
	}},
	{"struct H46 { char a:4; int b:28; };", "struct H46", map[string]string{
		"linux/arm64":   "size 4, align 4, bit a 0 4, bit b 4 28",
		"darwin/arm64":  "size 4, align 4, bit a 0 4, bit b 4 28",
		"darwin/amd64":  "size 4, align 4, bit a 0 4, bit b 4 28",
		"windows/amd64": "size 8, align 4, bit a 0 4, bit b 32 28",
	}},
	{"union H47 { struct { char a; int b:4; }; long long c:7; } __attribute__((packed));", "union H47", map[string]string{
		"linux/arm64":   "size 4, align 1, off a 0, bit b 8 4, bit c 0 7",
		"darwin/arm64":  "size 4, align 1, off a 0, bit b 8 4, bit c 0 7",
		"darwin/amd64":  "size 4, align 1, off a 0, bit b 8 4, bit c 0 7",
		"windows/amd64": "size 8, align 1, off a 0, bit b 32 4, bit c 0 7",
	}},
	{"struct H48 { float f; double d; long double ld; char c; };", "struct H48", map[string]string{
		"linux/arm64":   "size 48, align 16, off f 0, off d 8, off ld 16, off c 32",
		"darwin/arm64":  "size 32, align 8, off f 0, off d 8, off ld 16, off c 24",
		"darwin/amd64":  "size 48, align 16, off f 0, off d 8, off ld 16, off c 32",
		"windows/amd64": "size 48, align 16, off f 0, off d 8, off ld 16, off c 32",
	}},
	{"struct H49 { char c; struct H14 flex; };", "struct H49", map[string]string{
		"linux/arm64":   "size 8, align 4, off c 0, off flex 4",
		"darwin/arm64":  "size 8, align 4, off c 0, off flex 4",
		"darwin/amd64":  "size 8, align 4, off c 0, off flex 4",
		"windows/amd64": "size 8, align 4, off c 0, off flex 4",
	}},
	{"struct H50 { char c[0]; int i; };", "struct H50", map[string]string{
		"linux/arm64":   "size 4, align 4, off c 0, off i 0",
		"darwin/arm64":  "size 4, align 4, off c 0, off i 0",
		"darwin/amd64":  "size 4, align 4, off c 0, off i 0",
		"windows/amd64": "size 4, align 4, off c 0, off i 0",
	}},
	{"typedef struct { char a; double b; } H51;", "H51", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, off b 8",
		"darwin/arm64":  "size 16, align 8, off a 0, off b 8",
		"darwin/amd64":  "size 16, align 8, off a 0, off b 8",
		"windows/amd64": "size 16, align 8, off a 0, off b 8",
	}},
	{"struct H52 { char a; struct { char b; long long c:20; } in; union { short d; char e:3; } un; };", "struct H52", map[string]string{
		"linux/arm64":   "size 24, align 8, off a 0, off in 8, off in.b 8, bit in.c 72 20, off un 16, off un.d 16, bit un.e 128 3",
		"darwin/arm64":  "size 24, align 8, off a 0, off in 8, off in.b 8, bit in.c 72 20, off un 16, off un.d 16, bit un.e 128 3",
		"darwin/amd64":  "size 24, align 8, off a 0, off in 8, off in.b 8, bit in.c 72 20, off un 16, off un.d 16, bit un.e 128 3",
		"windows/amd64": "size 32, align 8, off a 0, off in 8, off in.b 8, bit in.c 128 20, off un 24, off un.d 24, bit un.e 192 3",
	}},
	{"struct H53 { unsigned short a:4, b:4, c:4, d:4, e:4; };", "struct H53", map[string]string{
		"linux/arm64":   "size 4, align 2, bit a 0 4, bit b 4 4, bit c 8 4, bit d 12 4, bit e 16 4",
		"darwin/arm64":  "size 4, align 2, bit a 0 4, bit b 4 4, bit c 8 4, bit d 12 4, bit e 16 4",
		"darwin/amd64":  "size 4, align 2, bit a 0 4, bit b 4 4, bit c 8 4, bit d 12 4, bit e 16 4",
		"windows/amd64": "size 4, align 2, bit a 0 4, bit b 4 4, bit c 8 4, bit d 12 4, bit e 16 4",
	}},
	{"struct H54 { char a; int :0; };", "struct H54", map[string]string{
		"linux/arm64":   "size 4, align 4, off a 0",
		"darwin/arm64":  "size 4, align 1, off a 0",
		"darwin/amd64":  "size 4, align 1, off a 0",
		"windows/amd64": "size 1, align 1, off a 0",
	}},
	{"struct H55 { char a; unsigned :31; char b; };", "struct H55", map[string]string{
		"linux/arm64":   "size 12, align 4, off a 0, off b 8",
		"darwin/arm64":  "size 9, align 1, off a 0, off b 8",
		"darwin/amd64":  "size 9, align 1, off a 0, off b 8",
		"windows/amd64": "size 12, align 4, off a 0, off b 8",
	}},
	{"struct H56 { long long a:5; char b; } __attribute__((aligned(4)));", "struct H56", map[string]string{
		"linux/arm64":   "size 8, align 8, bit a 0 5, off b 1",
		"darwin/arm64":  "size 8, align 8, bit a 0 5, off b 1",
		"darwin/amd64":  "size 8, align 8, bit a 0 5, off b 1",
		"windows/amd64": "size 16, align 8, bit a 0 5, off b 8",
	}},
	{"struct __attribute__((packed)) H57 { char a; struct H1 b; short c[3]; };", "struct H57", map[string]string{
		"linux/arm64":   "size 19, align 1, off a 0, off b 1, off c 13",
		"darwin/arm64":  "size 19, align 1, off a 0, off b 1, off c 13",
		"darwin/amd64":  "size 19, align 1, off a 0, off b 1, off c 13",
		"windows/amd64": "size 19, align 1, off a 0, off b 1, off c 13",
	}},
	{"struct H58 { char a; struct H12 b; };", "struct H58", map[string]string{
		"linux/arm64":   "size 12, align 4, off a 0, off b 4",
		"darwin/arm64":  "size 12, align 4, off a 0, off b 4",
		"darwin/amd64":  "size 12, align 4, off a 0, off b 4",
		"windows/amd64": "size 12, align 4, off a 0, off b 4",
	}},
	{"struct H59 { char x; long double y[2]; int z:3; };", "struct H59", map[string]string{
		"linux/arm64":   "size 64, align 16, off x 0, off y 16, bit z 384 3",
		"darwin/arm64":  "size 32, align 8, off x 0, off y 8, bit z 192 3",
		"darwin/amd64":  "size 64, align 16, off x 0, off y 16, bit z 384 3",
		"windows/amd64": "size 64, align 16, off x 0, off y 16, bit z 384 3",
	}},
	{"struct H60 { char a; char b __attribute__((aligned(64))); char c; };", "struct H60", map[string]string{
		"linux/arm64":   "size 128, align 64, off a 0, off b 64, off c 65",
		"darwin/arm64":  "size 128, align 64, off a 0, off b 64, off c 65",
		"darwin/amd64":  "size 128, align 64, off a 0, off b 64, off c 65",
		"windows/amd64": "size 128, align 64, off a 0, off b 64, off c 65",
	}},
	{"union H61 { char a __attribute__((aligned(8))); short b; } __attribute__((packed));", "union H61", map[string]string{
		"linux/arm64":   "size 8, align 8, off a 0, off b 0",
		"darwin/arm64":  "size 8, align 8, off a 0, off b 0",
		"darwin/amd64":  "size 8, align 8, off a 0, off b 0",
		"windows/amd64": "size 8, align 8, off a 0, off b 0",
	}},
	{"struct H62 { int a:7; int :0; char b; int c:31; int d:2; };", "struct H62", map[string]string{
		"linux/arm64":   "size 16, align 4, bit a 0 7, off b 4, bit c 64 31, bit d 96 2",
		"darwin/arm64":  "size 16, align 4, bit a 0 7, off b 4, bit c 64 31, bit d 96 2",
		"darwin/amd64":  "size 16, align 4, bit a 0 7, off b 4, bit c 64 31, bit d 96 2",
		"windows/amd64": "size 16, align 4, bit a 0 7, off b 4, bit c 64 31, bit d 96 2",
	}},
	{"struct H63 { unsigned char a:3; unsigned short b:14; unsigned c:17; unsigned long d:50; };", "struct H63", map[string]string{
		"linux/arm64":   "size 16, align 8, bit a 0 3, bit b 16 14, bit c 32 17, bit d 64 50",
		"darwin/arm64":  "size 16, align 8, bit a 0 3, bit b 16 14, bit c 32 17, bit d 64 50",
		"darwin/amd64":  "size 16, align 8, bit a 0 3, bit b 16 14, bit c 32 17, bit d 64 50",
		"windows/amd64": "error: cdef:1:85: width 50 of bitfield \"d\" exceeds its type unsigned long",
	}},
	{"struct H64 { char a; union { long long b:40; char c; }; };", "struct H64", map[string]string{
		"linux/arm64":   "size 16, align 8, off a 0, bit b 64 40, off c 8",
		"darwin/arm64":  "size 16, align 8, off a 0, bit b 64 40, off c 8",
		"darwin/amd64":  "size 16, align 8, off a 0, bit b 64 40, off c 8",
		"windows/amd64": "size 16, align 8, off a 0, bit b 64 40, off c 8",
	}},
	// Unnamed bit-fields in packed structs and unions (aarch64-linux-gnu-gcc
	// 12.2): a :0 raises the alignment to its type's even under packing.
	{"struct __attribute__((packed)) H66 { char a; int :0; char b; };", "struct H66", map[string]string{
		"linux/arm64": "size 8, align 4, off a 0, off b 4",
	}},
	{"struct __attribute__((packed)) H67 { char a; int :4; char b; };", "struct H67", map[string]string{
		"linux/arm64": "size 3, align 1, off a 0, off b 2",
	}},
	{"struct __attribute__((packed)) H68 { char a; long long :0; };", "struct H68", map[string]string{
		"linux/arm64": "size 8, align 8, off a 0",
	}},
	{"union H69 { char a; int :0; };", "union H69", map[string]string{
		"linux/arm64": "size 4, align 4, off a 0",
	}},
	{"union H70 { char a; int :5; };", "union H70", map[string]string{
		"linux/arm64": "size 4, align 4, off a 0",
	}},
	{"union __attribute__((packed)) H71 { char a; int :5; };", "union H71", map[string]string{
		"linux/arm64": "size 1, align 1, off a 0",
	}},
	{"union __attribute__((packed)) H72 { char a; long long :0; };", "union H72", map[string]string{
		"linux/arm64": "size 8, align 8, off a 0",
	}},
	{"struct H73 { char a; int :0 __attribute__((packed)); char b; };", "struct H73", map[string]string{
		"linux/arm64": "size 8, align 4, off a 0, off b 4",
	}},
	{"struct H74 { char a; short :0; char b; } __attribute__((packed, aligned(2)));", "struct H74", map[string]string{
		"linux/arm64": "size 4, align 2, off a 0, off b 2",
	}},
	// Vectors are aligned to their size, at most 16 bytes on AAPCS64
	// (aarch64-linux-gnu-gcc 12.2).
	{"typedef char VC256 __attribute__((vector_size(256))); struct HV1 { char a; VC256 b; char c; };", "struct HV1", map[string]string{
		"linux/arm64": "size 288, align 16, off a 0, off b 16, off c 272",
	}},
	{"typedef short VS2 __attribute__((vector_size(4))); typedef double VD8 __attribute__((vector_size(64))); struct HV2 { char a; VS2 b; VD8 c; };", "struct HV2", map[string]string{
		"linux/arm64": "size 80, align 16, off a 0, off b 4, off c 16",
	}},
}
