package ffi

import (
	"testing"
	"unsafe"
)

// TestNewcomerErrors checks the messages of the mistakes a first program
// makes: each says what to do instead.
func TestNewcomerErrors(t *testing.T) {
	libc := openLibc(t)
	s := NewScope()
	if err := s.Cdef("typedef struct { int quot, rem; } ne_div_t; ne_div_t ne_div(int, int); void ne_take(ne_div_t *);"); err != nil {
		t.Fatal(err)
	}
	type divT struct{ Quot, Rem int32 }
	var (
		qsortFunc func(unsafe.Pointer, uintptr, uintptr, func(a, b unsafe.Pointer) int32)
		toupper   func(int32) int32
		abs2      func(int32, int32) int32
		strlen    func(string) uintptr
		divPtr    func(int32, int32) *divT
		takeValue func(divT)
	)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"Go func for a function pointer", libc.Bind(&qsortFunc, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))"),
			"ffi: bind qsort: parameter 4: Go type func(unsafe.Pointer, unsafe.Pointer) int32 does not match C type int (*)(const void *, const void *): a Go func cannot be a C function pointer: pass a *ffi.Callback (from ffi.NewCallback), or a C function's address as uintptr or unsafe.Pointer"},
		{"plain char", libc.Bind(&toupper, "char toupper(char)"),
			"ffi: bind toupper: parameter 1: Go type int32 does not match C type char: C char needs Go int8 or byte (its signedness differs between targets), int or uint"},
		{"one parameter", libc.Bind(&abs2, "int abs(int)"),
			"ffi: bind abs: C function int (int) has 1 parameter, Go func func(int32, int32) int32 has 2"},
		{"typo in a type name", libc.Bind(&strlen, "unsigned lnog strlen(const char *)"),
			`ffi: bind "unsigned lnog strlen(const char *)": cdef:1:10: unknown type name "lnog"`},
		{"name without declaration", libc.Bind(&strlen, "strlen"),
			`ffi: bind "strlen": no function "strlen" is declared in this scope: give the whole C declaration (such as "int abs(int)"), or declare the function first with Cdef`},
		{"pointer for a struct by value", s.Bind(&divPtr, 1, "ne_div"),
			"ffi: bind ne_div: result: Go type *ffi.divT does not match C type ne_div_t: pointer vs. value: C passes ne_div_t by value, use Go type ffi.divT"},
		{"value for a struct pointer", s.Bind(&takeValue, 1, "ne_take"),
			"ffi: bind ne_take: parameter 1: Go type ffi.divT does not match C type ne_div_t *: pointer vs. value: C takes a pointer to ne_div_t, use Go type *ffi.divT"},
		{"Go func in a callback", func() error {
			_, err := NewCallback("int (*)(void (*)(void))", func(func()) int32 { return 0 })
			return err
		}(), `ffi: NewCallback("int (*)(void (*)(void))"): parameter 1: Go type func() does not match C type void (*)(void): a Go func cannot be a C function pointer: use uintptr or unsafe.Pointer`},
	}
	for _, tt := range tests {
		if tt.err == nil || tt.err.Error() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, tt.err, tt.want)
		}
	}
}
