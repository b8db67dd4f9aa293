package ffi_test

import (
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// structSrc calls callbacks that take and return structs by value: in
// vector registers (three floats), in integer registers, and in memory
// (over 16 bytes: on the stack, and returned through a hidden pointer).
const structSrc = `
struct v3 { float x, y, z; };
struct big { double a, b, c; long long d; };
struct pair { int k; char tag[3]; };
int call_v3(struct v3 (*cb)(struct v3, int)) {
	struct v3 in = {1.5f, -2.0f, 3.25f};
	struct v3 r = cb(in, 7);
	return r.x == 3.0f && r.y == -4.0f && r.z == 6.5f + 7;
}
int call_big(struct big (*cb)(int, struct big, struct big)) {
	struct big a = {1, 2, 3, 4}, b = {5, 6, 7, 8};
	struct big r = cb(9, a, b);
	return r.a == 6 && r.b == 8 && r.c == 10 && r.d == 12 + 9;
}
int call_pair(struct pair (*cb)(struct pair)) {
	struct pair p = {-5, {'a', 'b', 'c'}};
	struct pair r = cb(p);
	return r.k == 5 && r.tag[0] == 'c' && r.tag[1] == 'b' && r.tag[2] == 'a';
}
`

func TestCallbackStructsByValue(t *testing.T) {
	if err := ffi.Cdef(`
		struct cbs_v3 { float x, y, z; };
		struct cbs_big { double a, b, c; long long d; };
		struct cbs_pair { int k; char tag[3]; };
	`); err != nil {
		t.Fatal(err)
	}
	lib := openC(t, ctest.SharedLib(t, structSrc))
	type v3 struct{ X, Y, Z float32 }
	type big struct {
		A, B, C float64
		D       int64
	}
	type pair struct {
		K   int32
		Tag [3]byte
	}
	for _, c := range []struct {
		caller, decl string
		fn           any
	}{
		{"call_v3", "struct cbs_v3 (*)(struct cbs_v3, int)", func(v v3, k int32) v3 {
			return v3{v.X * 2, v.Y * 2, v.Z*2 + float32(k)}
		}},
		{"call_big", "struct cbs_big (*)(int, struct cbs_big, struct cbs_big)", func(k int32, a, b big) big {
			return big{a.A + b.A, a.B + b.B, a.C + b.C, a.D + b.D + int64(k)}
		}},
		{"call_pair", "struct cbs_pair (*)(struct cbs_pair)", func(p pair) pair {
			return pair{-p.K, [3]byte{p.Tag[2], p.Tag[1], p.Tag[0]}}
		}},
	} {
		cb, err := ffi.NewCallback(c.decl, c.fn)
		if err != nil {
			t.Fatal(err)
		}
		sym, err := lib.Sym(c.caller)
		if err != nil {
			t.Fatal(err)
		}
		var call func(*ffi.Callback) int32
		if err := ffi.Bind(&call, sym, "int (*)(void *)"); err != nil {
			t.Fatal(err)
		}
		if call(cb) != 1 {
			t.Errorf("%s: C saw a wrong result from %s", c.caller, c.decl)
		}
		cb.Free()
	}
}

// TestLibcDivByValue binds libc's div and ldiv, which return structs by
// value (div_t in one register, ldiv_t in two).
func TestLibcDivByValue(t *testing.T) {
	if err := ffi.Cdef(`
		typedef struct { int quot; int rem; } div_t;
		typedef struct { long quot; long rem; } ldiv_t;
	`); err != nil {
		t.Fatal(err)
	}
	libc := openC(t, libcName)
	type divT struct{ Quot, Rem int32 }
	type ldivT struct{ Quot, Rem cLong } // C long: 8 bytes, or 4 on Windows
	var div func(num, den int32) divT
	var ldiv func(num, den cLong) ldivT
	if err := libc.Bind(&div, "div_t div(int numer, int denom)"); err != nil {
		t.Fatal(err)
	}
	if err := libc.Bind(&ldiv, "ldiv_t ldiv(long numer, long denom)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range [][2]int32{{7, 2}, {-7, 2}, {1 << 30, 3}, {-2147483648, 7}, {0, 5}} {
		if got := div(c[0], c[1]); got != (divT{c[0] / c[1], c[0] % c[1]}) {
			t.Errorf("div(%d, %d) = %+v", c[0], c[1], got)
		}
	}
	for _, c := range [][2]cLong{{7, 2}, {-1 << 30, 3}, {1<<31 - 1, -10}} {
		if got := ldiv(c[0], c[1]); got != (ldivT{c[0] / c[1], c[0] % c[1]}) {
			t.Errorf("ldiv(%d, %d) = %+v", c[0], c[1], got)
		}
	}
}
