package ffi

import (
	"sync"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// TestHandleThroughC registers a Go value as C user data: the C fixture
// stores the handle and the callback, and later passes the handle back to
// the callback, which finds the Go value.
func TestHandleThroughC(t *testing.T) {
	so := ctest.SharedLib(t, `
		typedef void (*listener)(void *user, int event);
		static listener saved_fn;
		static void *saved_user;
		void add_listener(listener fn, void *user) { saved_fn = fn; saved_user = user; }
		void emit(int event) { if (saved_fn) saved_fn(saved_user, event); }`)
	lib, err := Open(so)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	var addListener func(fn *Callback, user Handle)
	var emit func(int32)
	mustBind(t, lib, &addListener, "void add_listener(void (*)(void *, int), void *)")
	mustBind(t, lib, &emit, "void emit(int)")

	type counter struct {
		name   string
		events []int32
	}
	cb, err := NewCallback("void (*)(void *, int)", func(user Handle, event int32) {
		c := user.Value().(*counter)
		c.events = append(c.events, event)
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	c := &counter{name: "clicks"}
	h := NewHandle(c)
	addListener(cb, h)
	emit(1)
	emit(2)
	if len(c.events) != 2 || c.events[0] != 1 || c.events[1] != 2 {
		t.Errorf("events = %v, want [1 2]", c.events)
	}
	h.Delete()
	msg := mustPanic(t, func() { emit(3) }) // the callback calls Value on a deleted handle
	if msg != "ffi: misuse of an invalid Handle (deleted, or not from NewHandle)" {
		t.Errorf("panic %q", msg)
	}
	addListener(nil, 0)
}

func TestHandleMisuse(t *testing.T) {
	h := NewHandle("v")
	if h == 0 {
		t.Fatal("NewHandle returned 0")
	}
	if h2 := NewHandle("v"); h2 == h {
		t.Error("two handles for the same value are equal")
	} else {
		h2.Delete()
	}
	if v := h.Value(); v != "v" {
		t.Errorf("Value = %v", v)
	}
	h.Delete()
	const want = "ffi: misuse of an invalid Handle (deleted, or not from NewHandle)"
	for name, f := range map[string]func(){
		"Value after Delete": func() { h.Value() },
		"Delete twice":       func() { h.Delete() },
		"zero Handle":        func() { Handle(0).Value() },
	} {
		if msg := mustPanic(t, f); msg != want {
			t.Errorf("%s: panic %q, want %q", name, msg, want)
		}
	}
	// A handle travels through C as a pointer-sized integer.
	if unsafe.Sizeof(h) != unsafe.Sizeof(unsafe.Pointer(nil)) {
		t.Errorf("Handle is %d bytes", unsafe.Sizeof(h))
	}
}

func TestHandleConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10000 {
				h := NewHandle(g*1_000_000 + i)
				if v := h.Value().(int); v != g*1_000_000+i {
					t.Errorf("Value = %d, want %d", v, g*1_000_000+i)
					return
				}
				h.Delete()
			}
		}()
	}
	wg.Wait()
}

func BenchmarkHandle(b *testing.B) {
	v := new(int)
	for b.Loop() {
		h := NewHandle(v)
		_ = h.Value()
		h.Delete()
	}
}
