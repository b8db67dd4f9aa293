package ffi

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

func TestLibraryVar(t *testing.T) {
	so := ctest.SharedLib(t, `
		int counter = 5;
		const char *greeting = "hello from C";
		double table[3] = {1.5, 2.5, 3.5};
		int bump(void) { return ++counter; }`)
	lib, err := Open(so)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	var bump func() int32
	mustBind(t, lib, &bump, "int bump(void)")

	p, err := lib.Var("counter")
	if err != nil {
		t.Fatal(err)
	}
	counter := (*int32)(p)
	if *counter != 5 {
		t.Errorf("counter = %d, want 5", *counter)
	}
	if bump(); *counter != 6 { // C writes, Go reads
		t.Errorf("counter after bump = %d, want 6", *counter)
	}
	*counter = 41 // Go writes, C reads
	if got := bump(); got != 42 {
		t.Errorf("bump after Go set 41 = %d", got)
	}
	g, err := lib.Var("greeting")
	if err != nil {
		t.Fatal(err)
	}
	if s := GoString(*(*unsafe.Pointer)(g)); s != "hello from C" {
		t.Errorf("greeting = %q", s)
	}
	tp, err := lib.Var("table")
	if err != nil {
		t.Fatal(err)
	}
	if tab := unsafe.Slice((*float64)(tp), 3); tab[0] != 1.5 || tab[2] != 3.5 {
		t.Errorf("table = %v", tab)
	}
	if p, err := lib.Var("no_such_var"); p != nil || err == nil || !strings.Contains(err.Error(), "symbol no_such_var not found in") {
		t.Errorf("missing variable: %p, %v", p, err)
	}
}

// TestScopeOpen binds by name and by typedef in a library opened in a
// scope, where the default scope knows neither.
func TestScopeOpen(t *testing.T) {
	so := ctest.SharedLib(t, `
		typedef struct { int x, y; } scoped_pt;
		int scoped_sum(scoped_pt p) { return p.x + p.y; }`)
	s := NewScope()
	if err := s.Cdef(`
		typedef struct { int x, y; } scoped_pt;
		int scoped_sum(scoped_pt p);
		typedef int scoped_fn(scoped_pt);`); err != nil {
		t.Fatal(err)
	}
	lib, err := s.Open(so)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	type pt struct{ X, Y int32 }
	var sum func(pt) int32
	if err := lib.Bind(&sum, "scoped_sum"); err != nil {
		t.Fatal(err)
	}
	if got := sum(pt{40, 2}); got != 42 {
		t.Errorf("scoped_sum = %d", got)
	}
	var sum2 func(pt) int32
	if err := lib.Bind(&sum2, "int scoped_sum(scoped_pt)"); err != nil {
		t.Fatal(err)
	}
	if got := sum2(pt{1, 2}); got != 3 {
		t.Errorf("scoped_sum through a declaration = %d", got)
	}

	// The default scope does not see the scope's declarations.
	plain, err := Open(so)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	if err := plain.Bind(&sum, "int scoped_sum(scoped_pt)"); err == nil || !strings.Contains(err.Error(), `unknown type name "scoped_pt"`) {
		t.Errorf("default scope Bind: %v", err)
	}
	if _, err := s.Open("/no/such/lib.so"); err == nil || !strings.Contains(err.Error(), "/no/such/lib.so") {
		t.Errorf("Scope.Open of a missing file: %v", err)
	}
}
