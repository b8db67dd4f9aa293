package ffi

import (
	"math"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// fastSrc drives callbacks whose parameters and results are structs,
// unions and strings, placed in every way the host convention has: vector
// and integer register pairs, HFAs on arm64, memory on the stack or by
// reference, results through the hidden pointer. Each driver passes fixed
// values that use every bit, checks the result exactly and returns 1 when
// it matches.
const fastSrc = `
#include <string.h>
#include <limits.h>
struct cf_vec { double x, y; };
struct cf_v3 { float x, y, z; };
struct cf_mix { int a; float b; signed char c; double d; };
struct cf_named { char name[16]; int n; };
union cf_u { float f; unsigned u; };
struct cf_l3 { long long a, b, c; };
struct cf_small { _Bool t; short s; unsigned char u; };
struct cf_one { double d[1]; };

int drive_vec(struct cf_vec (*cb)(struct cf_vec)) {
	struct cf_vec in = {0x1.23456789abcdfp+3, -0x1.fedcba9876543p-700};
	struct cf_vec r = cb(in);
	return r.x == in.y && r.y == -in.x;
}
int drive_v3(struct cf_v3 (*cb)(int, struct cf_v3, float)) {
	struct cf_v3 in = {0x1.234568p+3f, -0x1.fedcbap-100f, 0x1p-149f};
	struct cf_v3 r = cb(-7, in, 0x1.5p1f);
	return r.x == in.z && r.y == in.x && r.z == in.y * 0x1.5p1f;
}
int drive_mix(struct cf_mix (*cb)(long long, long long, long long, long long, long long, struct cf_mix, double, struct cf_mix)) {
	struct cf_mix a = {INT_MIN, -0x1.8p-2f, -128, 0x1.fffffffffffffp+1023};
	struct cf_mix b = {INT_MAX, 0x1.7p+20f, 127, -0x0.0000000000001p-1022};
	struct cf_mix r = cb(1, 2, 3, 4, LLONG_MIN, a, 0.25, b);
	return r.a == (int)(a.a ^ b.a) && r.b == a.b + b.b && r.c == (signed char)(a.c + b.c + 5) && r.d == b.d;
}
int drive_named(struct cf_named (*cb)(struct cf_named, int, struct cf_named)) {
	struct cf_named a = {"0123456789abcde", -1}, b = {"ZYXWVUTSRQPONML", 77};
	struct cf_named r = cb(a, 3, b);
	return memcmp(r.name, "0123ZYXWVUTSRQ", 15) == 0 && r.name[15] == 0 && r.n == a.n * 3 + b.n;
}
int drive_union(union cf_u (*cb)(union cf_u, union cf_u)) {
	union cf_u a, b;
	a.u = 0xdeadbeef;
	b.f = -0x1.fffffep+127f;
	union cf_u r = cb(a, b);
	return r.u == (a.u ^ b.u);
}
int drive_l3(struct cf_l3 (*cb)(char, short, int, long long, unsigned char, unsigned short, unsigned, unsigned long long, struct cf_l3)) {
	struct cf_l3 in = {LLONG_MIN, -1, LLONG_MAX};
	struct cf_l3 r = cb(-1, SHRT_MIN, INT_MIN + 1, -2, 255, 65535, UINT_MAX, ULLONG_MAX, in);
	return r.a == in.c && r.b == in.a && r.c == 42;
}
int drive_small(struct cf_small (*cb)(struct cf_small, struct cf_one)) {
	struct cf_small in = {1, -32768, 200};
	struct cf_one d = {{-0.0}};
	struct cf_small r = cb(in, d);
	return r.t == 0 && r.s == 32767 && r.u == 55;
}
int drive_str(long long (*cb)(const char *, int, const char *, const unsigned char *)) {
	return cb("hello, world", 7, 0, (const unsigned char *)"\xff\x01") == 12 * 1000 + 7 * 10 + 2;
}
`

type (
	cfVec struct{ X, Y float64 }
	cfV3  struct{ X, Y, Z float32 }
	cfMix struct {
		A int32
		B float32
		C int8
		D float64
	}
	cfNamed struct {
		Name [16]byte
		N    int32
	}
	cfL3    struct{ A, B, C int64 }
	cfSmall struct {
		T bool
		S int16
		U uint8
	}
	cfOne struct{ D [1]float64 }
)

// TestCallbackFastShapes calls Go funcs of struct, union and string
// signatures from C and checks every value bit for bit in both directions
// (C checks the result, the Go func its arguments), and that each runs on
// the fast path without allocating.
func TestCallbackFastShapes(t *testing.T) {
	s := NewScope()
	if err := s.Cdef(`
		struct cf_vec { double x, y; };
		struct cf_v3 { float x, y, z; };
		struct cf_mix { int a; float b; signed char c; double d; };
		struct cf_named { char name[16]; int n; };
		union cf_u { float f; unsigned u; };
		struct cf_l3 { long long a, b, c; };
		struct cf_small { _Bool t; short s; unsigned char u; };
		struct cf_one { double d[1]; };
	`); err != nil {
		t.Fatal(err)
	}
	lib, err := Open(ctest.SharedLib(t, fastSrc, "-O2"))
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	bad := func(format string, args ...any) { t.Helper(); t.Errorf(format, args...) }
	f32 := math.Float32frombits
	for _, c := range []struct {
		driver, decl string
		fn           any
		allocs       bool // the Go func itself allocates (string copies)
	}{
		{"drive_vec", "struct cf_vec (*)(struct cf_vec)", func(v cfVec) cfVec {
			if v.X != 0x1.23456789abcdfp+3 || v.Y != -0x1.fedcba9876543p-700 {
				bad("vec: got %v", v)
			}
			return cfVec{v.Y, -v.X}
		}, false},
		{"drive_v3", "struct cf_v3 (*)(int, struct cf_v3, float)", func(k int32, v cfV3, m float32) cfV3 {
			if k != -7 || v.X != 0x1.234568p+3 || v.Y != -0x1.fedcbap-100 || v.Z != f32(1) || m != 0x1.5p1 {
				bad("v3: got %d %v %v", k, v, m)
			}
			return cfV3{v.Z, v.X, v.Y * m}
		}, false},
		{"drive_mix", "struct cf_mix (*)(long long, long long, long long, long long, long long, struct cf_mix, double, struct cf_mix)",
			func(a1, a2, a3, a4, a5 int64, a cfMix, d float64, b cfMix) cfMix {
				if a1 != 1 || a2 != 2 || a3 != 3 || a4 != 4 || a5 != math.MinInt64 || d != 0.25 ||
					a != (cfMix{math.MinInt32, -0x1.8p-2, -128, math.MaxFloat64}) ||
					b != (cfMix{math.MaxInt32, 0x1.7p+20, 127, -math.SmallestNonzeroFloat64}) {
					bad("mix: got %d %d %d %d %d %v %v %v", a1, a2, a3, a4, a5, a, d, b)
				}
				return cfMix{a.A ^ b.A, a.B + b.B, a.C + b.C + 5, b.D}
			}, false},
		{"drive_named", "struct cf_named (*)(struct cf_named, int, struct cf_named)", func(a cfNamed, k int32, b cfNamed) cfNamed {
			if string(a.Name[:]) != "0123456789abcde\x00" || a.N != -1 || k != 3 || string(b.Name[:]) != "ZYXWVUTSRQPONML\x00" || b.N != 77 {
				bad("named: got %q %d %d %q %d", a.Name, a.N, k, b.Name, b.N)
			}
			var r cfNamed
			copy(r.Name[:], a.Name[:4])
			copy(r.Name[4:], b.Name[:10])
			r.N = a.N*k + b.N
			return r
		}, false},
		{"drive_union", "union cf_u (*)(union cf_u, union cf_u)", func(a, b uint32) uint32 {
			if a != 0xdeadbeef || b != math.Float32bits(-0x1.fffffep+127) {
				bad("union: got %#x %#x", a, b)
			}
			return a ^ b
		}, false},
		{"drive_l3", "struct cf_l3 (*)(char, short, int, long long, unsigned char, unsigned short, unsigned, unsigned long long, struct cf_l3)",
			func(c int8, s int16, i int32, l int64, uc uint8, us uint16, u uint32, ul uint64, v cfL3) cfL3 {
				if c != -1 || s != math.MinInt16 || i != math.MinInt32+1 || l != -2 || uc != 255 || us != 65535 ||
					u != math.MaxUint32 || ul != math.MaxUint64 || v != (cfL3{math.MinInt64, -1, math.MaxInt64}) {
					bad("l3: got %d %d %d %d %d %d %d %d %v", c, s, i, l, uc, us, u, ul, v)
				}
				return cfL3{v.C, v.A, 42}
			}, false},
		{"drive_small", "struct cf_small (*)(struct cf_small, struct cf_one)", func(v cfSmall, d cfOne) cfSmall {
			if v != (cfSmall{true, math.MinInt16, 200}) || math.Float64bits(d.D[0]) != 1<<63 {
				bad("small: got %v %v", v, d)
			}
			return cfSmall{false, math.MaxInt16, 55}
		}, false},
		{"drive_str", "long long (*)(const char *, int, const char *, const unsigned char *)", func(a string, n int32, null string, b string) int64 {
			if a != "hello, world" || n != 7 || null != "" || b != "\xff\x01" {
				bad("str: got %q %d %q %q", a, n, null, b)
			}
			return int64(len(a)*1000) + int64(n*10) + int64(len(b))
		}, true},
	} {
		t.Run(c.driver, func(t *testing.T) {
			cb, err := s.NewCallback(c.decl, c.fn)
			if err != nil {
				t.Fatal(err)
			}
			defer cb.Free()
			if !cb.slot.Fast() {
				t.Errorf("%s runs through reflection", c.decl)
			}
			sym, err := lib.Sym(c.driver)
			if err != nil {
				t.Fatal(err)
			}
			var drive func(uintptr) int32
			if err := Bind(&drive, sym, "int (*)(void *)"); err != nil {
				t.Fatal(err)
			}
			if drive(cb.Ptr()) != 1 {
				t.Errorf("%s: C saw a wrong result", c.decl)
			}
			if a := testing.AllocsPerRun(100, func() { drive(cb.Ptr()) }); a != 0 && !c.allocs {
				t.Errorf("%s: %v allocations per call", c.decl, a)
			}
		})
	}
}
