package ffi

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/upcall"
)

// TestScopeParsesOnce checks that a declaration is parsed once per scope:
// later funcDecl, Bind and NewCallback calls of the same text get the same
// function type and the same proto, also when they race.
func TestScopeParsesOnce(t *testing.T) {
	s := NewScope()
	if err := s.Cdef("struct sp_pt { double x, y; }; typedef struct sp_pt (*sp_fn)(struct sp_pt, int);"); err != nil {
		t.Fatal(err)
	}
	for _, decl := range []string{"sp_fn", "struct sp_pt f(struct sp_pt, int)", "int (*)(const void *, const void *)"} {
		const n = 8
		var (
			wg     sync.WaitGroup
			fts    [n]any
			protos [n]*upcall.Proto
		)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, ft, err := s.funcDecl(decl)
				if err != nil {
					t.Error(err)
					return
				}
				p, err := s.proto(decl)
				if err != nil {
					t.Error(err)
					return
				}
				fts[i], protos[i] = ft, p
			}()
		}
		wg.Wait()
		for i := 1; i < n; i++ {
			if fts[i] != fts[0] || protos[i] != protos[0] {
				t.Errorf("%q: call %d got a different parse (%p/%p) or proto (%p/%p)", decl, i, fts[i], fts[0], protos[i], protos[0])
			}
		}
	}
	// Failures are not cached: a declaration that fails now may become
	// valid after a Cdef.
	if _, _, err := s.funcDecl("sp_later"); err == nil {
		t.Fatal("sp_later parsed before it was declared")
	}
	if err := s.Cdef("typedef void sp_later(int);"); err != nil {
		t.Fatal(err)
	}
	if _, ft, err := s.funcDecl("sp_later"); err != nil || ft.Unnamed().String() != "void (int)" {
		t.Errorf("sp_later after Cdef: %v, %v", ft, err)
	}
	// A proto that failed because a struct was incomplete is retried once
	// the struct is defined.
	if _, err := s.NewCallback("void (*)(struct sp_inc)", func(struct{ A int64 }) {}); err == nil || !strings.Contains(err.Error(), "incomplete") {
		t.Fatalf("callback with an incomplete struct: %v", err)
	}
	if err := s.Cdef("struct sp_inc { long long a; };"); err != nil {
		t.Fatal(err)
	}
	cb, err := s.NewCallback("void (*)(struct sp_inc)", func(struct{ A int64 }) {})
	if err != nil {
		t.Fatalf("after completing the struct: %v", err)
	}
	cb.Free()
}

// TestDroppedScopesAreCollected checks that the declaration cache does not
// keep a Scope alive: scopes used with NewCallback, Bind's parser and
// Sizeof, each holding thousands of struct definitions, are collected once
// dropped, also while callbacks made from them are still live.
func TestDroppedScopesAreCollected(t *testing.T) {
	const scopes = 20
	var collected atomic.Int32
	var live []*Callback
	var defs strings.Builder
	for i := range 500 {
		fmt.Fprintf(&defs, "struct dsc_%d { char c[%d]; double d; };\n", i, i+1)
	}
	for i := range scopes {
		s := NewScope()
		if err := s.Cdef(defs.String() + "typedef int (*dsc_cmp)(const void *, const void *);"); err != nil {
			t.Fatal(err)
		}
		cb, err := s.NewCallback("dsc_cmp", func(a, b unsafe.Pointer) int32 { return 0 })
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			live = append(live, cb) // still live when the scope is dropped
		} else {
			cb.Free()
		}
		cb2, err := s.NewCallback("struct dsc_7 (*)(struct dsc_3)", func(struct {
			C [4]byte
			D float64
		}) struct {
			C [8]byte
			D float64
		} {
			return struct {
				C [8]byte
				D float64
			}{}
		})
		if err != nil {
			t.Fatal(err)
		}
		live = append(live, cb2)
		if _, _, err := s.funcDecl("double dsc_f(struct dsc_9 *, int)"); err != nil {
			t.Fatal(err)
		}
		runtime.AddCleanup(s, func(*atomic.Int32) { collected.Add(1) }, &collected)
	}
	deadline := time.Now().Add(10 * time.Second)
	for collected.Load() < scopes && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if got := collected.Load(); got != scopes {
		t.Errorf("%d of %d dropped scopes were collected", got, scopes)
	}
	for _, cb := range live {
		cb.Free()
	}
}
