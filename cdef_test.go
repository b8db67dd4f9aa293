package ffi

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/seed5ca82032/ffi/internal/cparse"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

func TestCdefErrors(t *testing.T) {
	s := NewScope()
	err := s.Cdef("struct cdt_s {\n  int x\n};")
	if err == nil || err.Error() != `cdef:3:1: expected ';' after struct member "x", found "}"` {
		t.Errorf("got %v", err)
	}
	var pe *cparse.Error
	if !errors.As(err, &pe) || pe.Line != 3 || pe.Col != 1 {
		t.Errorf("%v is not a positioned error", err)
	}
	// Nothing of a failed Cdef is kept.
	if err := s.Cdef("typedef int cdt_kept; int cdt_bad[-1];"); err == nil {
		t.Fatal("no error")
	}
	if _, err := s.Sizeof("cdt_kept"); err == nil {
		t.Error("cdt_kept survived a failed Cdef")
	}
}

func TestZeroScope(t *testing.T) {
	var s Scope
	if err := s.Cdef("struct zs { int a; char b; };"); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Sizeof("struct zs"); err != nil || n != 8 {
		t.Errorf("Sizeof: %d %v", n, err)
	}
}

func TestFuncDecl(t *testing.T) {
	s := NewScope()
	if err := s.Cdef(`typedef struct sqlite3 sqlite3;
		int sqlite3_open(const char *filename, sqlite3 **ppDb);
		typedef int (*cmp_fn)(const void *, const void *);
		typedef void handler_t(int);
		int not_a_func;`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ decl, name, want string }{
		{"int sqlite3_open(const char *filename, sqlite3 **ppDb)", "sqlite3_open", "int (const char *, sqlite3 **)"},
		{"int sqlite3_open(const char *filename, sqlite3 **ppDb);", "sqlite3_open", "int (const char *, sqlite3 **)"},
		{"sqlite3_open", "sqlite3_open", "int (const char *, sqlite3 **)"},
		{" sqlite3_open; ", "sqlite3_open", "int (const char *, sqlite3 **)"},
		{"int (*)(const void *, const void *)", "", "int (const void *, const void *)"},
		{"void (int)", "", "void (int)"},
		{"cmp_fn", "", "int (const void *, const void *)"},
		{"handler_t", "", "void (int)"},
		{"double (*cb)(double)", "cb", "double (double)"},
	} {
		name, fn, err := s.funcDecl(c.decl)
		if err != nil || name != c.name || fn.Kind != ctype.Func || fn.Unnamed().String() != c.want {
			t.Errorf("funcDecl(%q) = %q, %v, %v; want %q, %s", c.decl, name, fn, err, c.name, c.want)
		}
	}
	for _, bad := range []string{"int", "int *", "not_a_func", "nosuch", "int f(", "struct sqlite3"} {
		if _, fn, err := s.funcDecl(bad); err == nil {
			t.Errorf("funcDecl(%q) = %v, want an error", bad, fn)
		}
	}
	if ty, err := s.parseType("sqlite3 **"); err != nil || ty.Kind != ctype.Pointer || ty.Elem.Elem.Tag != "sqlite3" {
		t.Errorf("parseType: %v %v", ty, err)
	}
}

// TestCdefConcurrent declares into the default scope and queries it from
// many goroutines at once.
func TestCdefConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// The same declaration from every goroutine: identical
			// redefinitions are accepted.
			if err := Cdef("struct cdt_shared { char c; double d; };"); err != nil {
				t.Error(err)
			}
			if err := Cdef(fmt.Sprintf("typedef struct { char c[%d]; } cdt_own%d;", i+1, i)); err != nil {
				t.Error(err)
			}
			if n, err := Sizeof(fmt.Sprintf("cdt_own%d", i)); err != nil || n != i+1 {
				t.Errorf("cdt_own%d: %d %v", i, n, err)
			}
			if n, err := Sizeof("struct cdt_shared"); err != nil || n != 16 {
				t.Errorf("cdt_shared: %d %v", n, err)
			}
			if _, _, err := defaultScope.funcDecl("int (*)(struct cdt_shared *)"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := Cdef("struct cdt_shared { char c; float d; };"); err == nil || !strings.Contains(err.Error(), "conflicting definition") {
		t.Errorf("conflicting redefinition: %v", err)
	}
}
