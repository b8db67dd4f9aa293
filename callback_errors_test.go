package ffi_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

func TestNewCallbackErrors(t *testing.T) {
	if err := ffi.Cdef(`
		typedef int (*errtest_cmp)(const void *, const void *);
		struct errtest_pt { float x, y; };
		struct errtest_ld { long double v; };
	`); err != nil {
		t.Fatal(err)
	}
	var nilFunc func(int32) int32
	for _, c := range []struct {
		decl string
		fn   any
		want []string // substrings of the error
	}{
		{"int (*)(int, int", func(a, b int32) int32 { return 0 }, []string{"1:17", "expected"}},
		{"int (*)(mystery_t)", func(a int32) int32 { return 0 }, []string{"mystery_t"}},
		{"int", func() int32 { return 0 }, []string{"not a function"}},
		{"int (*)(int, int)", nil, []string{"fn is nil"}},
		{"int (*)(int)", nilFunc, []string{"nil func(int32) int32"}},
		{"int (*)(int)", 42, []string{"not a func"}},
		{"int (*)(int, int)", func(a int32) int32 { return 0 }, []string{"2 parameters", "has 1"}},
		{"int (*)(int, double)", func(a int32, b float32) int32 { return 0 }, []string{"parameter 2", "float32", "double"}},
		{"int (*)(int a, short b)", func(a int32, b int32) int32 { return 0 }, []string{"parameter 2 (b)", "int32", "short"}},
		{"unsigned (*)(void)", func() int32 { return 0 }, []string{"result", "int32", "unsigned int"}},
		{"void (*)(void)", func() int32 { return 0 }, []string{"returns void"}},
		{"int (*)(void)", func() {}, []string{"exactly one result"}},
		{"int (*)(const char *, ...)", func(s unsafe.Pointer) int32 { return 0 }, []string{"variadic"}},
		{"long double (*)(void)", func() float64 { return 0 }, []string{"long double"}},
		{"void (*)(struct errtest_ld)", func(struct{ V [16]byte }) {}, []string{"long double"}},
		{"errtest_cmp", func(a, b unsafe.Pointer) int64 { return 0 }, []string{"result", "int64"}},
		{"void (*)(struct errtest_pt)", func(struct{ X, Y, Z float32 }) {}, []string{"parameter 1", "size"}},
		{"void (*)(struct errtest_pt)", func(struct {
			X float32
			Y int32
		}) {
		}, []string{"field 2", "float"}},
		{"void (*)(struct errtest_undefined)", func(struct{ X int32 }) {}, []string{"incomplete"}},
	} {
		cb, err := ffi.NewCallback(c.decl, c.fn)
		if err == nil {
			cb.Free()
			t.Errorf("NewCallback(%q, %T) succeeded", c.decl, c.fn)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("NewCallback(%q, %T) error %q does not mention %q", c.decl, c.fn, err, w)
			}
		}
	}
}

func TestNewCallbackFuncErrors(t *testing.T) {
	for _, c := range []struct {
		fn   any
		want string
	}{
		{nil, "fn is nil"},
		{func(string) {}, "parameter 1"},
		{func() (int32, int32) { return 0, 0 }, "2 results"},
		{func(...int32) {}, "variadic"},
		{func(chan int) {}, "no C counterpart"},
		{func([4]int32) {}, "decay"},
	} {
		cb, err := ffi.NewCallbackFunc(c.fn)
		if err == nil {
			cb.Free()
			t.Errorf("NewCallbackFunc(%T) succeeded", c.fn)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewCallbackFunc(%T) error %q does not mention %q", c.fn, err, c.want)
		}
	}
}

// TestScopes: a Scope keeps its declarations apart from the default scope;
// callbacks and bindings resolve names in the scope they are made in.
func TestScopes(t *testing.T) {
	s := ffi.NewScope()
	if err := s.Cdef("typedef int (*scoped_op)(int, int);"); err != nil {
		t.Fatal(err)
	}
	if _, err := ffi.NewCallback("scoped_op", func(a, b int32) int32 { return a - b }); err == nil {
		t.Fatal("the default scope resolved a typedef of another scope")
	}
	cb, err := s.NewCallback("scoped_op", func(a, b int32) int32 { return a - b })
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	var sub func(a, b int32) int32
	if err := s.Bind(&sub, cb.Ptr(), "scoped_op"); err != nil {
		t.Fatal(err)
	}
	if got := sub(10, 3); got != 7 {
		t.Fatalf("scoped_op(10, 3) = %d", got)
	}
}
