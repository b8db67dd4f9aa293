package cparse

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// handLayouts are hard cases of C layout: bitfield placement, :0,
// unnamed bitfields, packed and aligned on structs and members, flexible
// arrays, anonymous members, enums of every underlying size.
var handLayouts = []string{
	`struct H1 { char a; int b:3; int c:29; char d; };`,
	`struct H2 { char a; long long b:40; int c:30; };`,
	`struct H3 { char a; int :0; char b; };`,
	`struct H4 { char a; int :4; char b; };`,
	`struct H5 { char a; long long :0; char b; };`,
	`struct H6 { int a:1; int :0; int b:1; };`,
	`struct __attribute__((packed)) H7 { char a; int b:31; char c; long long d:60; };`,
	`struct H8 { char a; int b:5 __attribute__((packed)); int c:30 __attribute__((packed)); };`,
	`struct H9 { char a; double b __attribute__((packed)); };`,
	`struct H10 { char a; int b __attribute__((aligned(16))); };`,
	`struct H11 { char a; } __attribute__((aligned(32)));`,
	`struct H12 { char a; int b; } __attribute__((packed, aligned(4)));`,
	`struct H13 { char c; long double ld; };`,
	`struct H14 { int n; char data[]; };`,
	`struct H15 { char c; double d[]; };`,
	`union H16 { char a; int b:3; long long c:33; };`,
	`union H17 { char c[5]; int i; };`,
	`struct H18 { char a; union { int b; char c[7]; }; struct { short d; char e; }; };`,
	`struct H19 { _Bool a:1; _Bool b:1; unsigned char c:7; unsigned char d:2; };`,
	`struct H20 { short a:9; short b:9; short c:9; char d; };`,
	`struct H21 { char a; short b:9; };`,
	`struct H22 { unsigned long long a:1; unsigned char b; };`,
	`struct H23 { int a:24; char b; };`,
	`struct H24 { char a[3]; int b:9; };`,
	`enum E1 { E1a, E1b, E1c = 7 }; struct H25 { enum E1 e:4; int x; };`,
	`struct H26 { struct H1 h; char c; struct H7 p; };`,
	`struct H27 { char a; struct H7 p; char b; };`,
	`struct H28 { char c; struct { char d; int e; } __attribute__((packed)) s; };`,
	`struct H29 { int :0; char a; };`,
	`struct H30 { char a; char :0; char b; };`,
	`struct H31 { long :3; char a; };`,
	`struct H33 { char a; void (*fp)(int); char *s; const volatile int cv; };`,
	`struct H34 { int a[2][3]; char b; };`,
	`struct H35 { };`,
	`struct H36 { char a; __attribute__((aligned(8))) char b; };`,
	`struct H37 { char a; int b __attribute__((aligned(2))); };`,
	`struct __attribute__((packed)) H38 { char a; int b __attribute__((aligned(2))); };`,
	`typedef int aligned_int __attribute__((aligned(8))); struct H39 { char a; aligned_int b; };`,
	`enum E2 { E2a = -1, E2b = 0x7fffffff }; enum E3 { E3a = 0xffffffff }; enum E4 { E4a = 0x100000000 }; enum E5 { E5a = -1, E5b = 0xffffffff };`,
	`struct H41 { char a; enum E4 e; enum E3 f; enum E5 g; };`,
	`struct H42 { char a; long long b:33; long long c:31; };`,
	`struct H43 { unsigned a:31; unsigned b:2; };`,
	`struct H44 { char a; unsigned long long b:63; };`,
	`struct H45 { short a; char b:8; char c:1; };`,
	`struct H46 { char a:4; int b:28; };`,
	`union H47 { struct { char a; int b:4; }; long long c:7; } __attribute__((packed));`,
	`struct H48 { float f; double d; long double ld; char c; };`,
	`struct H49 { char c; struct H14 flex; };`,
	`struct H50 { char c[0]; int i; };`,
	`typedef struct { char a; double b; } H51;`,
	`struct H52 { char a; struct { char b; long long c:20; } in; union { short d; char e:3; } un; };`,
	`struct H53 { unsigned short a:4, b:4, c:4, d:4, e:4; };`,
	`struct H54 { char a; int :0; };`,
	`struct H55 { char a; unsigned :31; char b; };`,
	`struct H56 { long long a:5; char b; } __attribute__((aligned(4)));`,
	`struct __attribute__((packed)) H57 { char a; struct H1 b; short c[3]; };`,
	`struct H58 { char a; struct H12 b; };`,
	`struct H59 { char x; long double y[2]; int z:3; };`,
	`struct H60 { char a; char b __attribute__((aligned(64))); char c; };`,
	`union H61 { char a __attribute__((aligned(8))); short b; } __attribute__((packed));`,
	`struct H62 { int a:7; int :0; char b; int c:31; int d:2; };`,
	`struct H63 { unsigned char a:3; unsigned short b:14; unsigned c:17; unsigned long long d:50; unsigned long e:20; };`,
	`struct H64 { char a; union { long long b:40; char c; }; };`,
	`enum __attribute__((packed)) PE1 { PE1a = 200 }; enum __attribute__((packed)) PE2 { PE2a = -1, PE2b = 100 }; enum PE3 { PE3a = 70000 } __attribute__((packed));`,
	`struct A1 { char a; int b:3 __attribute__((aligned(8))); char c; }; struct A2 { char a; _Alignas(16) char b; };`,
	`typedef struct { char c; } T3 __attribute__((aligned(8))); struct A4 { char a; T3 t; char z; };`,
	`typedef int I5 __attribute__((aligned(2))); struct A5 { char a; I5 b; }; struct __attribute__((packed)) A6 { char a; I5 b; };`,
	// mode, vector_size and aligned in a typedef's type position, as
	// glibc's <sys/types.h> and GCC's vector headers write them.
	`typedef int WordInt __attribute__((__mode__(__word__))); typedef unsigned U8m __attribute__((mode(QI))); typedef int Hm __attribute__((__mode__(__HI__))); typedef int Pm __attribute__((mode(pointer))); typedef unsigned long long Sm __attribute__((mode(SI))); typedef int Bm __attribute__((mode(byte)));`,
	`typedef int V4 __attribute__((vector_size(16))); typedef char C2 __attribute__((vector_size(2))); typedef double D64 __attribute__((vector_size(64))); typedef char C256 __attribute__((vector_size(256))); struct M0 { char a; C256 b; char c; }; typedef int __attribute__((aligned(8))) IA8; typedef short __attribute__((__aligned__(1))) SA1; typedef float Fm __attribute__((mode(DF)));`,
	`struct M1 { char a; WordInt b; U8m c; Hm d; Pm e; V4 f; char g; C2 h; D64 i; IA8 j; char k; SA1 l; Sm m; Bm n; Fm o; };`,
	`struct M2 { char a; int b __attribute__((mode(DI))); __attribute__((vector_size(8))) char c; float v __attribute__((vector_size(32))); char z; };`,
	`typedef __int128 I128; typedef unsigned __int128 U128; typedef _Complex double CD; typedef __builtin_va_list VA; typedef _Float128 F128; struct M3 { char a; I128 b; char c; CD d; char e; VA f; long double _Complex g; char h; U128 i; float _Complex j; char k; F128 l; };`,
	`struct __attribute__((packed)) H66 { char a; int :0; char b; }; struct __attribute__((packed)) H67 { char a; int :4; char b; }; struct __attribute__((packed)) H68 { char a; long long :0; };`,
	`union H69 { char a; int :0; }; union H70 { char a; int :5; }; union __attribute__((packed)) H71 { char a; int :5; }; union __attribute__((packed)) H72 { char a; long long :0; };`,
	`struct H73 { char a; int :0 __attribute__((packed)); char b; }; struct H74 { char a; short :0; char b; } __attribute__((packed, aligned(2)));`,
	// Microsoft bit-fields as MinGW lays them out: packed runs keep
	// unaligned units, a full unit is followed by the next one without
	// realigning, :0 aligns only after a run of another size.
	`struct H75 { char a; unsigned long long b:54 __attribute__((packed)); unsigned long long :13; long long c:46; };`,
	`struct H76 { char a; int b:30 __attribute__((packed)); int c:4; char d; }; struct __attribute__((packed)) H77 { char a; int b:30; int c:4; char d; };`,
	`struct __attribute__((packed)) H78 { char x; int a:3; int :0; char b; }; struct H79 { char x; int a:3 __attribute__((packed)); long long :0; char b; };`,
	`struct H80 { char x; char a:3; int :0; char b; }; struct H81 { char x; int a:3; int :0; char b; }; struct __attribute__((packed)) H82 { char x; char a:3; int :0; char b; };`,
	`union H83 { char a; long long b:3; }; union __attribute__((packed)) H84 { char a; int b:20; }; union H85 { char a; int b:20 __attribute__((packed)); };`,
	`struct H86 { int a:3; char b; short c:2; long long d:3; int e; };`,
	// #pragma pack caps member alignment (aligned attributes on members
	// too, the struct's own not), lets GCC bit-fields straddle, and nests.
	"#pragma pack(push, 2)\nstruct P1 { char a; int b; double c; long long d:40; int e:20; char f; };\n#pragma pack(pop)",
	"#pragma pack(1)\nstruct P2 { char a; int b:3; int c:30; short :0; char d; long long e __attribute__((aligned(8))); };\nunion P3 { char a; int b:5; double c; };\n#pragma pack()",
	"#pragma pack(push, r1, 4)\n#pragma pack(push, 1)\nstruct P4 { char a; double b; };\n#pragma pack(pop, r1)\nstruct P5 { char a; double b; };",
	"#pragma pack(push, 8)\nstruct P6 { char a; double b; int c:7; char :0; char d; } __attribute__((aligned(16)));\nstruct __attribute__((packed)) P7 { char a; int b:4; int c:31; };\n#pragma pack(pop)",
	"#pragma pack(push, 2)\nstruct P8 { char a; struct H1 h; char b; int c:3; long long :0; char d; };\nstruct P9 { char a; int b:3 __attribute__((packed)); long long c:40; };\n#pragma pack(pop)",
	`enum __attribute__((packed)) PE4 { PE4a = -40000 }; enum __attribute__((packed)) PE5 { PE5a = 0x1ffffffff }; struct H65 { char a; enum PE1 b; enum PE2 c; enum PE3 d; enum PE4 e; enum PE5 f; enum PE1 g:3; };`,
}

// gen produces random struct and union definitions from a seeded RNG.
type gen struct {
	r      *rand.Rand
	m      *ctype.Model // target: the width of long
	prefix string       // of the tags it defines
	tags   []string     // "struct G3", usable as member types
	field  int
}

var scalarTypes = []string{"char", "signed char", "unsigned char", "short", "unsigned short", "int",
	"unsigned int", "long", "unsigned long", "long long", "unsigned long long", "float", "double",
	"long double", "_Bool", "void *", "char *", "enum E1", "enum E4", "size_t", "int8_t", "uint16_t", "int64_t"}

var bitTypes = map[string]int{"char": 8, "signed char": 8, "unsigned char": 8, "short": 16,
	"unsigned short": 16, "int": 32, "unsigned int": 32, "long": 64, "unsigned long": 64,
	"long long": 64, "unsigned long long": 64, "_Bool": 1, "uint16_t": 16, "int64_t": 64}

func (g *gen) pick(s []string) string { return s[g.r.Intn(len(s))] }

func (g *gen) name() string {
	g.field++
	return fmt.Sprintf("f%d", g.field)
}

func (g *gen) attr(packedOK bool) string {
	switch n := g.r.Intn(20); {
	case n == 0:
		return fmt.Sprintf(" __attribute__((aligned(%d)))", 1<<g.r.Intn(6))
	case n == 1 && packedOK:
		return " __attribute__((packed))"
	}
	return ""
}

// member returns one member declaration (with ';').
func (g *gen) member(depth int, kind string, last bool) string {
	switch n := g.r.Intn(20); {
	case n < 6:
		return g.pick(scalarTypes) + " " + g.name() + g.attr(true) + ";"
	case n < 11:
		keys := make([]string, 0, len(bitTypes))
		for k := range bitTypes {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t := g.pick(keys)
		max := bitTypes[t]
		if strings.HasSuffix(t, "long") && !strings.HasSuffix(t, "long long") {
			max = g.m.LongSize * 8
		}
		w := g.r.Intn(max + 1)
		if w == 0 || g.r.Intn(8) == 0 {
			return fmt.Sprintf("%s :%d;", t, w)
		}
		pk := ""
		if g.r.Intn(10) == 0 {
			pk = " __attribute__((packed))"
		}
		return fmt.Sprintf("%s %s:%d%s;", t, g.name(), w, pk)
	case n < 13:
		s := fmt.Sprintf("%s %s[%d]", g.pick(scalarTypes), g.name(), 1+g.r.Intn(5))
		if g.r.Intn(3) == 0 {
			s += fmt.Sprintf("[%d]", 1+g.r.Intn(3))
		}
		return s + g.attr(true) + ";"
	case n < 15 && len(g.tags) > 0:
		return g.pick(g.tags) + " " + g.name() + g.attr(true) + ";"
	case n < 17 && depth < 3:
		return g.body(depth+1, g.pick([]string{"struct", "union"})) + ";"
	case n < 18 && depth < 3:
		return g.body(depth+1, g.pick([]string{"struct", "union"})) + " " + g.name() + ";"
	case n < 19 && last && kind == "struct":
		return fmt.Sprintf("%s %s[];", g.pick(scalarTypes), g.name())
	}
	return "int (*" + g.name() + ")(const char *, ...);"
}

// body returns "struct [attrs] { members }" without a tag.
func (g *gen) body(depth int, kind string) string {
	var b strings.Builder
	b.WriteString(kind)
	if g.r.Intn(8) == 0 {
		b.WriteString(" __attribute__((packed))")
	}
	b.WriteString(" { ")
	b.WriteString("char " + g.name() + "; ")
	n := 1 + g.r.Intn(6)
	for i := 0; i < n; i++ {
		b.WriteString(g.member(depth, kind, i == n-1 && depth == 0) + " ")
	}
	b.WriteString("}")
	if g.r.Intn(10) == 0 {
		fmt.Fprintf(&b, " __attribute__((aligned(%d)))", 1<<g.r.Intn(6))
	}
	return b.String()
}

func (g *gen) decl(i int) string {
	kind := "struct"
	if g.r.Intn(4) == 0 {
		kind = "union"
	}
	g.field = 0
	tag := fmt.Sprintf("%s%d", g.prefix, i)
	b := g.body(0, kind)
	s := strings.Replace(b, kind, kind+" "+tag, 1)
	if strings.HasPrefix(b, kind+" __attribute__") {
		s = kind + " " + b[len(kind)+1:strings.Index(b, "{")] + tag + " " + b[strings.Index(b, "{"):]
	}
	if !strings.Contains(b, "[];") {
		g.tags = append(g.tags, kind+" "+tag)
	}
	return s + ";"
}

// layoutLines lists "TYPE size N", "TYPE align N", "TYPE off PATH N" and
// "TYPE bit PATH POS WIDTH" for a type as the model computes it.
func layoutLines(name string, t *ctype.Type) []string {
	lines := []string{
		fmt.Sprintf("%s size %d", name, t.Size),
		fmt.Sprintf("%s align %d", name, t.Align),
	}
	var walk func(t *ctype.Type, prefix string, base int)
	walk = func(t *ctype.Type, prefix string, base int) {
		for _, f := range t.Fields {
			switch {
			case f.BitField && f.Name != "":
				lines = append(lines, fmt.Sprintf("%s bit %s%s %d %d", name, prefix, f.Name, (base+f.Offset)*8+f.BitOffset, f.BitSize))
			case f.BitField:
			case f.Name == "":
				walk(f.Type, prefix, base+f.Offset)
			default:
				lines = append(lines, fmt.Sprintf("%s off %s%s %d", name, prefix, f.Name, base+f.Offset))
				if (f.Type.Kind == ctype.Struct || f.Type.Kind == ctype.Union) && f.Type.Tag == "" && f.Type.Name == "" {
					walk(f.Type, prefix+f.Name+".", base+f.Offset)
				}
			}
		}
	}
	walk(t, "", 0)
	return lines
}

// cLines writes the C statements that print layoutLines for the type
// spelled cname, by sizeof, _Alignof, offsetof, and by setting each
// bitfield in a zeroed object and finding its bits.
func cLines(b *strings.Builder, name, cname string, t *ctype.Type) {
	fmt.Fprintf(b, "\tprintf(\"%s size %%zu\\n\", sizeof(%s));\n", name, cname)
	// __alignof__, not _Alignof: GCC's _Alignof caps vectors wider than
	// 16 bytes at 16, while offsets and sizes follow __alignof__.
	fmt.Fprintf(b, "\tprintf(\"%s align %%zu\\n\", (size_t)__alignof__(%s));\n", name, cname)
	var walk func(t *ctype.Type, prefix string)
	walk = func(t *ctype.Type, prefix string) {
		for _, f := range t.Fields {
			switch {
			case f.BitField && f.Name != "":
				val := "-1"
				if f.Type.Kind == ctype.Bool {
					val = "1"
				}
				fmt.Fprintf(b, "\t{ %s v; memset(&v, 0, sizeof v); v.%s%s = %s; bits(\"%s bit %s%s\", &v, sizeof v); }\n",
					cname, prefix, f.Name, val, name, prefix, f.Name)
			case f.BitField:
			case f.Name == "":
				walk(f.Type, prefix)
			default:
				fmt.Fprintf(b, "\tprintf(\"%s off %s%s %%zu\\n\", offsetof(%s, %s%s));\n", name, prefix, f.Name, cname, prefix, f.Name)
				if (f.Type.Kind == ctype.Struct || f.Type.Kind == ctype.Union) && f.Type.Tag == "" && f.Type.Name == "" {
					walk(f.Type, prefix+f.Name+".")
				}
			}
		}
	}
	walk(t, "")
}

// layoutCases returns the declarations of the compiler check: the hand
// cases, n generated ones and n/5 generated under #pragma pack.
func layoutCases(m *ctype.Model, n int) []string {
	g := &gen{r: rand.New(rand.NewSource(20261125)), m: m, prefix: "G"}
	decls := append([]string(nil), handLayouts...)
	for i := 0; i < n; i++ {
		decls = append(decls, g.decl(i))
	}
	gp := &gen{r: rand.New(rand.NewSource(20261202)), m: m, prefix: "GP"}
	for i := 0; i < n/5; i++ {
		pack := 1 << gp.r.Intn(5)
		decls = append(decls, fmt.Sprintf("#pragma pack(push, %d)\n%s\n#pragma pack(pop)", pack, gp.decl(i)))
	}
	return decls
}

// TestLayoutMatchesCC checks sizes, alignments, offsets and bitfield
// positions of several hundred declarations against the host C compiler.
func TestLayoutMatchesCC(t *testing.T) {
	m := ctype.Host()
	decls := layoutCases(m, 300)
	s := NewScope(m)
	src := strings.Join(decls, "\n")
	if err := s.Parse(src); err != nil {
		t.Fatalf("parse: %v", err)
	}
	var b strings.Builder
	b.WriteString("#include <stdio.h>\n#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n")
	b.WriteString(src)
	b.WriteString(`
static void bits(const char *what, const void *p, size_t n) {
	const unsigned char *c = p;
	long first = -1, count = 0;
	for (size_t i = 0; i < n * 8; i++)
		if (c[i / 8] >> (i % 8) & 1) { if (first < 0) first = (long)i; count++; }
	printf("%s %ld %ld\n", what, first, count);
}
int main(void) {
`)
	var want []string
	types := 0
	for _, tag := range sortedTags(s) {
		ty := s.tags[tag]
		cname := ty.Kind.String() + " " + tag
		want = append(want, layoutLines(cname, ty)...)
		cLines(&b, cname, cname, ty)
		types++
	}
	for _, name := range []string{"H51", "aligned_int", "T3", "I5", "WordInt", "U8m", "Hm", "Pm", "Sm", "Bm", "V4", "C2", "D64", "C256", "IA8", "SA1", "Fm", "I128", "U128", "CD", "VA", "F128"} {
		ty, _ := s.Lookup(name)
		want = append(want, layoutLines(name, ty)...)
		cLines(&b, name, name, ty)
		types++
	}
	b.WriteString("\treturn 0;\n}\n")
	if types < 200 {
		t.Fatalf("only %d types checked", types)
	}
	exe := ctest.Program(t, b.String(), "-std=gnu11", "-w")
	out, err := ctest.Output(exe)
	if err != nil {
		t.Fatalf("running layout program: %v", err)
	}
	// A Windows program's stdout is in text mode: "\n" comes out as "\r\n".
	got := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(out), "\r\n", "\n")), "\n")
	if len(got) != len(want) {
		t.Fatalf("C printed %d lines, model has %d", len(got), len(want))
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			bad++
			if bad <= 30 {
				name := strings.Fields(got[i])
				t.Errorf("cc: %q, model: %q\n\tdecl: %s", got[i], want[i], findDecl(decls, name[1]))
			}
		}
	}
	t.Logf("%d types, %d numbers compared with %s", types, len(got), ctest.CC())
}

func sortedTags(s *Scope) []string {
	var tags []string
	for tag, t := range s.tags {
		if t.Complete {
			tags = append(tags, tag)
		}
	}
	sort.Strings(tags)
	return tags
}

func findDecl(decls []string, tag string) string {
	for _, d := range decls {
		if strings.Contains(d, " "+tag+" ") {
			return d
		}
	}
	return "?"
}
