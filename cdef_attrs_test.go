package ffi

import (
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// TestBindAsmLabel binds a function declared with an asm label, as glibc
// declares sscanf (__asm__("__isoc99_sscanf")): the label is the symbol
// looked up.
func TestBindAsmLabel(t *testing.T) {
	// On Windows the program exports nothing and msvcrt's sscanf has no
	// other name: label it from msvcrt.dll.
	path, label := "", "__isoc99_sscanf"
	if runtime.GOOS == "windows" {
		path, label = hostLibc, "sscanf"
	}
	if err := Cdef(`extern int cdt_sscanf(const char *__restrict s, const char *__restrict format, ...) __asm__ ("" "` + label + `");`); err != nil {
		t.Fatal(err)
	}
	libc, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer libc.Close()
	var sscanf func(s, format string, args ...any) int32
	if err := libc.Bind(&sscanf, "cdt_sscanf"); err != nil {
		t.Fatal(err)
	}
	var a, b int32
	if n := sscanf("12 34", "%d %d", &a, &b); n != 2 || a != 12 || b != 34 {
		t.Errorf("sscanf = %d, %d, %d", n, a, b)
	}
}

const vectorSrc = `
typedef int v4si __attribute__((vector_size(16)));
typedef int v2si __attribute__((vector_size(8)));
struct holds_vec { char c; v4si v; };
struct holds_v2 { v2si v; };
int vec_first(v4si v) { return v[0]; }
int holds_first(struct holds_v2 h) { return h.v[0]; }
int vec_ptr_first(const v4si *v) { return (*v)[0]; }
__int128 wide_id(__int128 x) { return x; }
`

// TestBindRefusesVectorsAndOpaque checks that GCC vector types and types
// the model only knows the layout of are refused by value, with an error
// naming them, while pointers to them work.
func TestBindRefusesVectorsAndOpaque(t *testing.T) {
	s := NewScope()
	err := s.Cdef(`typedef int v4si __attribute__((vector_size(16)));
typedef int v2si __attribute__((vector_size(8)));
struct holds_vec { char c; v4si v; };
struct holds_v2 { v2si v; };
int vec_first(v4si v);
int holds_first(struct holds_v2 h);
int vec_ptr_first(const v4si *v);
__int128 wide_id(__int128 x);`)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := Open(ctest.SharedLib(t, vectorSrc))
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if n, _ := s.Sizeof("struct holds_vec"); n != 32 {
		t.Errorf("sizeof(struct holds_vec) = %d, want 32", n)
	}
	bind := func(fnPtr any, name string) error {
		addr, err := lib.Sym(name)
		if err != nil {
			t.Fatal(err)
		}
		return s.Bind(fnPtr, addr, name)
	}
	var byValue func([4]int32) int32
	if err := bind(&byValue, "vec_first"); err == nil || !strings.Contains(err.Error(), "vector") {
		t.Errorf("vector by value: %v", err)
	}
	var inStruct func(struct{ V uint64 }) int32
	if err := bind(&inStruct, "holds_first"); err == nil || !strings.Contains(err.Error(), "v2si") {
		t.Errorf("struct holding a vector by value: %v", err)
	}
	var wide func([2]uint64) [2]uint64
	if err := bind(&wide, "wide_id"); err == nil || !strings.Contains(err.Error(), "__int128 is not supported (declared at 8:18)") {
		t.Errorf("__int128 by value: %v", err)
	}
	var byPtr func(unsafe.Pointer) int32
	if err := bind(&byPtr, "vec_ptr_first"); err != nil {
		t.Fatal(err)
	}
	v := [4]int32{7, 8, 9, 10}
	if got := byPtr(unsafe.Pointer(&v)); got != 7 {
		t.Errorf("vec_ptr_first = %d", got)
	}
}
