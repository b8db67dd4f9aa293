package ffi

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		want []string // substrings of the error
	}{
		{"libdoes-not-exist.so.9", []string{`"libdoes-not-exist.so.9"`, "cannot open shared object file"}},
		{"/nonexistent/dir/libx.so", []string{`"/nonexistent/dir/libx.so"`, "No such file or directory"}},
		{"/etc/hostname", []string{`"/etc/hostname"`}}, // not an ELF object
	}
	for _, tt := range tests {
		lib, err := Open(tt.name)
		if err == nil {
			lib.Close()
			t.Errorf("Open(%q) succeeded", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Open(%q) error %q does not contain %q", tt.name, err, w)
			}
		}
	}
}

func TestOpenRunningProgram(t *testing.T) {
	lib, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	for _, name := range []string{"strlen", "malloc", "dlopen"} {
		if addr, err := lib.Sym(name); err != nil || addr == 0 {
			t.Errorf("Sym(%q) = %#x, %v", name, addr, err)
		}
	}
	_, err = lib.Sym("no_such_symbol_xyz")
	if err == nil || !strings.Contains(err.Error(), "no_such_symbol_xyz") || !strings.Contains(err.Error(), "running program") {
		t.Errorf("missing symbol: error %v", err)
	}
}

func TestLibrarySymAndClose(t *testing.T) {
	so := ctest.SharedLib(t, "int lib_answer = 42; int lib_twice(int x) { return 2 * x; }")
	lib, err := Open(so)
	if err != nil {
		t.Fatal(err)
	}
	if lib.Name() != so {
		t.Errorf("Name() = %q, want %q", lib.Name(), so)
	}
	for _, name := range []string{"lib_answer", "lib_twice"} {
		if addr, err := lib.Sym(name); err != nil || addr == 0 {
			t.Errorf("Sym(%q) = %#x, %v", name, addr, err)
		}
	}
	if v, _ := lib.Sym("lib_answer"); v != 0 {
		if got := *(*int32)(symPtr(v)); got != 42 {
			t.Errorf("lib_answer = %d, want 42", got)
		}
	}
	_, err = lib.Sym("lib_thrice")
	if err == nil || !strings.Contains(err.Error(), "lib_thrice") || !strings.Contains(err.Error(), so) {
		t.Errorf("missing symbol: error %v, want the symbol and %s named", err, so)
	}
	if err := lib.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := lib.Close(); err == nil || !strings.Contains(err.Error(), "already closed") {
		t.Errorf("second Close: %v", err)
	}
	if _, err := lib.Sym("lib_twice"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Sym after Close: %v", err)
	}
}

// symPtr turns a symbol address from Sym into a pointer (dlsym's memory is
// not Go memory, so the conversion is safe; the indirection keeps vet quiet).
func symPtr(addr uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&addr)) }
