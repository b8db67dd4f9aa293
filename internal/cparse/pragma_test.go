package cparse

import (
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// TestPackState follows sequences of #pragma pack as GCC and MSVC do.
func TestPackState(t *testing.T) {
	for _, c := range []struct {
		pragmas []string // the text between the parentheses
		want    int
	}{
		{[]string{"1"}, 1},
		{[]string{"4", ""}, 0},
		{[]string{"push, 2"}, 2},
		{[]string{"8", "push, 2", "pop"}, 8},
		{[]string{"push", "1", "pop"}, 0},
		{[]string{"push, a, 4", "push, 1", "push, b, 2", "pop, a"}, 0},
		{[]string{"2", "push, a", "16", "pop, a"}, 2},
		{[]string{" push , 16 ", "show"}, 16},
	} {
		var st packState
		for _, p := range c.pragmas {
			if err := st.apply(p, pos{1, 1}); err != nil {
				t.Fatalf("%q: %v", c.pragmas, err)
			}
		}
		if st.cur != c.want {
			t.Errorf("%q: pack %d, want %d", c.pragmas, st.cur, c.want)
		}
	}
}

// TestPragmaPackLayout checks where #pragma pack takes effect: the value in
// force at a definition's closing brace, on every model.
func TestPragmaPackLayout(t *testing.T) {
	src := `struct A { char c; double d; };
#pragma pack(push, 2)
struct B { char c; double d; };
struct C { char c;
#pragma pack(pop)
double d; };
struct D { char c; double d; };
#pragma pack(1)
struct E { char c; double d; } __attribute__((aligned(8)));`
	want := map[string][2]int{"A": {16, 8}, "B": {10, 2}, "C": {16, 8}, "D": {16, 8}, "E": {16, 8}}
	for _, m := range ctype.Models {
		s := NewScope(m)
		if err := s.Parse(src); err != nil {
			t.Fatalf("%s: %v", m, err)
		}
		for tag, w := range want {
			ty := s.tags[tag]
			if ty.Size != w[0] || ty.Align != w[1] {
				t.Errorf("%s: struct %s: size %d align %d, want %d %d", m, tag, ty.Size, ty.Align, w[0], w[1])
			}
		}
	}
}
