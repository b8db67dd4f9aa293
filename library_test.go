package ffi

import (
	"math"
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
		{"libdoes-not-exist.so.9", []string{`"libdoes-not-exist.so.9"`, hostNoLib}},
		{"/nonexistent/dir/libx.so", []string{`"/nonexistent/dir/libx.so"`, hostNoFile}},
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

// The tests below call real system libraries through Open and Bind, with no
// cgo involved.

func TestLibm(t *testing.T) {
	libm, err := Open(hostLibm)
	if err != nil {
		t.Fatal(err)
	}
	defer libm.Close()
	var pow func(float64, float64) float64
	var frexp func(float64, *int32) float64
	var ldexp func(float64, int32) float64
	mustBind(t, libm, &pow, "double pow(double x, double y)")
	mustBind(t, libm, &frexp, "double frexp(double x, int *exp)")
	mustBind(t, libm, &ldexp, "double ldexp(double x, int exp)")
	for _, c := range [][2]float64{{2, 10}, {10, -2}, {0.5, 0.5}, {-8, 3}} {
		// pow is correctly rounded for these in both libraries.
		if got, want := pow(c[0], c[1]), math.Pow(c[0], c[1]); got != want {
			t.Errorf("pow(%v, %v) = %v, want %v", c[0], c[1], got, want)
		}
	}
	for _, x := range []float64{1, 8, 0.1, -1234.5678, 1e-310, math.MaxFloat64} {
		var e int32
		frac := frexp(x, &e)
		wf, we := math.Frexp(x)
		if frac != wf || int(e) != we {
			t.Errorf("frexp(%v) = %v, %d, want %v, %d", x, frac, e, wf, we)
		}
		if got := ldexp(frac, e); got != x {
			t.Errorf("ldexp(%v, %d) = %v, want %v", frac, e, got, x)
		}
	}
}
