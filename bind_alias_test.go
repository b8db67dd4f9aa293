package ffi_test

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi"
)

// TestBindMacroAlias: Bind by the name of a macro that names a function
// (gmp.h's "#define mpz_init __gmpz_init") binds that function under its
// own symbol, through chains of such macros; a function-like macro, or a
// chain that loops, is an error naming it.
func TestBindMacroAlias(t *testing.T) {
	sc := ffi.NewScope()
	if err := sc.Cdef("int abs(int);\n#define my_abs abs\n#define my_abs2 my_abs\n#define FN(x) abs(x)\n#define LA LB\n#define LB LC\n#define LC LB\n"); err != nil {
		t.Fatal(err)
	}
	lib, err := sc.Open(libcName)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	var f func(int32) int32
	if err := lib.Bind(&f, "my_abs2"); err != nil {
		t.Fatal(err)
	}
	if got := f(-4); got != 4 {
		t.Errorf("my_abs2(-4) = %d", got)
	}
	for name, want := range map[string]string{
		"FN": `ffi: bind "FN": "FN" is a function-like macro (#define at 4:1), not a function: bind the function it expands to, by its own name or declaration`,
		"LA": `ffi: bind "LA": no function "LA" is declared in this scope`,
	} {
		var g func(int32) int32
		if err := lib.Bind(&g, name); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("Bind %s: %v, want %q", name, err, want)
		}
	}
}
