package abi

import (
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

func TestIsEmpty(t *testing.T) {
	m := ctype.LinuxAMD64
	mk := func(members ...ctype.Member) *ctype.Type {
		s, err := m.Struct("", members, false, 0)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	i32 := m.Int("int")
	zero, err := m.Array(i32, 0)
	if err != nil {
		t.Fatal(err)
	}
	empty := mk()
	tests := []struct {
		name string
		t    *ctype.Type
		want bool
	}{
		{"struct {}", empty, true},
		{"struct { int : 7; }", mk(ctype.Member{Type: i32, BitField: true, BitSize: 7}), true},
		{"struct { struct {} e; int z[0]; }", mk(ctype.Member{Name: "e", Type: empty}, ctype.Member{Name: "z", Type: zero}), true},
		{"struct { int x : 7; }", mk(ctype.Member{Name: "x", Type: i32, BitField: true, BitSize: 7}), false},
		{"struct { int x; }", mk(ctype.Member{Name: "x", Type: i32}), false},
		{"int", i32, false},
	}
	for _, tc := range tests {
		if got := IsEmpty(tc.t); got != tc.want {
			t.Errorf("IsEmpty(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestArgAndResultTypes(t *testing.T) {
	m := ctype.LinuxAMD64
	d := m.Double()
	arr, _ := m.Array(d, 4)
	pt, err := ArgType(arr, 0, "v")
	if err != nil || pt.Kind != ctype.Pointer || pt.Elem != d {
		t.Errorf("ArgType(double[4]) = %v, %v; want a pointer to double", pt, err)
	}
	if _, err := ArgType(m.Void(), 2, "x"); err == nil || err.Error() != `void is not a parameter type (parameter 3 "x": void)` {
		t.Errorf("ArgType(void): %v", err)
	}
	if _, err := ArgType(m.Int("int"), 0, ""); err != nil {
		t.Errorf("ArgType(int): %v", err)
	}
	if _, err := ResultType(arr); err == nil {
		t.Error("ResultType accepted an array")
	}
	if _, err := FuncType(m.Int("int")); err == nil {
		t.Error("FuncType accepted int")
	}
}

func TestStackAlign(t *testing.T) {
	m := ctype.LinuxAMD64
	s32, err := m.Struct("", []ctype.Member{{Name: "a", Type: m.Int("long")}}, false, 32)
	if err != nil {
		t.Fatal(err)
	}
	p := &Plan{Args: []Value{
		{Type: m.Int("int"), Parts: []Part{{Loc: Stack, Index: 0, Size: 4}}},
	}}
	if got := StackAlign(p); got != 16 {
		t.Errorf("StackAlign = %d, want 16", got)
	}
	p.Args = append(p.Args, Value{Type: s32, Parts: []Part{{Loc: Stack, Index: 32, Size: 32}}})
	if got := StackAlign(p); got != 32 {
		t.Errorf("StackAlign with a 32-aligned struct = %d, want 32", got)
	}
	p.Args[1].Parts[0].Loc = GPR
	if got := StackAlign(p); got != 16 {
		t.Errorf("StackAlign with the struct in registers = %d, want 16", got)
	}
}
