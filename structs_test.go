package ffi_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// structsSrc works on small vectors passed and returned by value:
// struct vec2 travels in two XMM registers, struct vec3 (12 bytes) in two
// XMM registers with one float in the second, struct box (32 bytes) in
// memory with a hidden result pointer.
const structsSrc = `
struct vec2 { double x, y; };
struct vec3 { float x, y, z; };
struct box { struct vec2 lo, hi; };

struct vec2 vec2_add(struct vec2 a, struct vec2 b) { struct vec2 r = {a.x + b.x, a.y + b.y}; return r; }
struct vec2 vec2_scale(double k, struct vec2 v) { struct vec2 r = {k * v.x, k * v.y}; return r; }
double vec2_cross(struct vec2 a, struct vec2 b) { return a.x * b.y - a.y * b.x; }
struct vec2 vec2_sum(const struct vec2 *v, int n) {
	struct vec2 r = {0, 0};
	for (int i = 0; i < n; i++) { r.x += v[i].x; r.y += v[i].y; }
	return r;
}
struct box box_of(const struct vec2 *v, int n) {
	struct box b = {v[0], v[0]};
	for (int i = 1; i < n; i++) {
		if (v[i].x < b.lo.x) b.lo.x = v[i].x;
		if (v[i].y < b.lo.y) b.lo.y = v[i].y;
		if (v[i].x > b.hi.x) b.hi.x = v[i].x;
		if (v[i].y > b.hi.y) b.hi.y = v[i].y;
	}
	return b;
}
/* The callback gets and returns vectors by value; C stores what it returns. */
void vec3_map(struct vec3 *out, const struct vec3 *in, int n, struct vec3 (*f)(struct vec3, float, int)) {
	for (int i = 0; i < n; i++) out[i] = f(in[i], 0.5f * i, i);
}
/* Go -> C -> Go -> C: apply calls a Go callback, which may call C again. */
struct vec2 vec2_apply(struct vec2 (*f)(struct vec2, struct vec2), struct vec2 a, struct vec2 b) {
	struct vec2 r = f(a, b);
	r.x += 1;
	return r;
}
`

const structsDefs = `
struct vec2 { double x, y; };
struct vec3 { float x, y, z; };
struct box { struct vec2 lo, hi; };
`

type vec2 struct{ X, Y float64 }
type vec3 struct{ X, Y, Z float32 }
type box struct{ Lo, Hi vec2 }

func openStructs(t *testing.T) (*ffi.Scope, func(fnPtr any, decl, name string)) {
	t.Helper()
	sc := ffi.NewScope()
	if err := sc.Cdef(structsDefs); err != nil {
		t.Fatal(err)
	}
	lib := openC(t, ctest.SharedLib(t, structsSrc, "-O2"))
	bind := func(fnPtr any, decl, name string) {
		t.Helper()
		addr, err := lib.Sym(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.Bind(fnPtr, addr, decl); err != nil {
			t.Fatal(err)
		}
	}
	return sc, bind
}

// TestBindStructVec2 calls C functions taking and returning struct
// {double x, y;} (and a 32-byte struct of two of them) through Bind.
func TestBindStructVec2(t *testing.T) {
	_, bind := openStructs(t)
	var add func(a, b vec2) vec2
	var scale func(k float64, v vec2) vec2
	var cross func(a, b vec2) float64
	var sum func(v []vec2, n int32) vec2
	var boxOf func(v []vec2, n int32) box
	bind(&add, "struct vec2 vec2_add(struct vec2, struct vec2)", "vec2_add")
	bind(&scale, "struct vec2 vec2_scale(double, struct vec2)", "vec2_scale")
	bind(&cross, "double vec2_cross(struct vec2, struct vec2)", "vec2_cross")
	bind(&sum, "struct vec2 vec2_sum(const struct vec2 *, int)", "vec2_sum")
	bind(&boxOf, "struct box box_of(const struct vec2 *, int)", "box_of")

	vs := []vec2{{1.5, -2}, {0.25, 8}, {-3, 1e300}, {math.Inf(-1), 0.5}, {7, math.SmallestNonzeroFloat64}}
	for _, a := range vs {
		for _, b := range vs {
			if got, want := add(a, b), (vec2{a.X + b.X, a.Y + b.Y}); !sameVec2(got, want) {
				t.Errorf("vec2_add(%v, %v) = %v, want %v", a, b, got, want)
			}
			if got, want := cross(a, b), float64(a.X*b.Y)-float64(a.Y*b.X); !sameFloat(got, want) {
				t.Errorf("vec2_cross(%v, %v) = %v, want %v", a, b, got, want)
			}
		}
		if got, want := scale(-0.5, a), (vec2{-0.5 * a.X, -0.5 * a.Y}); !sameVec2(got, want) {
			t.Errorf("vec2_scale(-0.5, %v) = %v, want %v", a, got, want)
		}
	}
	pts := make([]vec2, 1000)
	var want vec2
	lo, hi := vec2{math.Inf(1), math.Inf(1)}, vec2{math.Inf(-1), math.Inf(-1)}
	for i := range pts {
		pts[i] = vec2{float64(i%37) - 18, float64(i*i%101) / 4}
		want.X += pts[i].X
		want.Y += pts[i].Y
		lo = vec2{min(lo.X, pts[i].X), min(lo.Y, pts[i].Y)}
		hi = vec2{max(hi.X, pts[i].X), max(hi.Y, pts[i].Y)}
	}
	if got := sum(pts, int32(len(pts))); got != want {
		t.Errorf("vec2_sum = %v, want %v", got, want)
	}
	if got := boxOf(pts, int32(len(pts))); got != (box{lo, hi}) {
		t.Errorf("box_of = %v, want %v", got, box{lo, hi})
	}
}

// TestCallbackStructVec3 passes a Go callback that receives and returns
// struct {float x, y, z;} to C, which calls it for every element.
func TestCallbackStructVec3(t *testing.T) {
	sc, bind := openStructs(t)
	var vmap func(out, in []vec3, n int32, f *ffi.Callback)
	bind(&vmap, "void vec3_map(struct vec3 *, const struct vec3 *, int, struct vec3 (*)(struct vec3, float, int))", "vec3_map")
	f := func(v vec3, k float32, i int32) vec3 {
		return vec3{v.Z * k, v.X - float32(i), v.Y + k}
	}
	cb, err := sc.NewCallback("struct vec3 (*)(struct vec3, float, int)", f)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	in := make([]vec3, 500)
	for i := range in {
		in[i] = vec3{float32(i) * 1.25, -float32(i), float32(i*i) / 3}
	}
	out := make([]vec3, len(in))
	vmap(out, in, int32(len(in)), cb)
	for i := range in {
		if want := f(in[i], 0.5*float32(i), int32(i)); out[i] != want {
			t.Fatalf("element %d: C stored %v from the callback, want %v", i, out[i], want)
		}
	}
}

// TestStructRoundTrip goes Go -> C -> Go callback -> C with struct vec2
// by value on every edge, nested 20 deep.
func TestStructRoundTrip(t *testing.T) {
	sc, bind := openStructs(t)
	var apply func(f *ffi.Callback, a, b vec2) vec2
	var add func(a, b vec2) vec2
	bind(&apply, "struct vec2 vec2_apply(struct vec2 (*)(struct vec2, struct vec2), struct vec2, struct vec2)", "vec2_apply")
	bind(&add, "struct vec2 vec2_add(struct vec2, struct vec2)", "vec2_add")
	var cb *ffi.Callback
	depth := 0
	var err error
	cb, err = sc.NewCallback("struct vec2 (*)(struct vec2, struct vec2)", func(a, b vec2) vec2 {
		depth++
		defer func() { depth-- }()
		if depth == 20 {
			return add(a, b)
		}
		return apply(cb, a, vec2{b.X, b.Y * 2}) // C adds 1 to x on the way out
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	got := apply(cb, vec2{1, 2}, vec2{10, 0.5})
	// 20 applies each add 1 to x; the innermost adds a and b with b.Y
	// doubled 19 times.
	want := vec2{1 + 10 + 20, 2 + 0.5*(1<<19)}
	if got != want {
		t.Errorf("round trip = %v, want %v", got, want)
	}
}

func sameFloat(a, b float64) bool {
	return math.Float64bits(a) == math.Float64bits(b) || math.IsNaN(a) && math.IsNaN(b)
}

func sameVec2(a, b vec2) bool { return sameFloat(a.X, b.X) && sameFloat(a.Y, b.Y) }

func (v vec2) String() string { return fmt.Sprintf("{%g %g}", v.X, v.Y) }
