package ffi_test

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

// TestBindCallbackTypeChecked: a *Callback passed for a function pointer
// parameter of another C type is refused at the call with an error naming
// both types; a plain C pointer (uintptr) is passed as is.
func TestBindCallbackTypeChecked(t *testing.T) {
	libc, err := ffi.Open(libcName)
	if err != nil {
		t.Fatal(err)
	}
	var qsort func(base unsafe.Pointer, n, size uintptr, cmp *ffi.Callback)
	if err := libc.Bind(&qsort, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))"); err != nil {
		t.Fatal(err)
	}
	wrong, err := ffi.NewCallback("void (*)(int)", func(int32) {})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Free()
	data := []int32{3, 1, 2}
	func() {
		defer func() {
			err, _ := recover().(error)
			if err == nil || !strings.Contains(err.Error(), "void (*)(int)") || !strings.Contains(err.Error(), "int (*)(const void *, const void *)") {
				t.Errorf("qsort with a callback of the wrong type: panic %v", err)
			}
		}()
		qsort(unsafe.Pointer(&data[0]), 3, 4, wrong)
	}()
	right, err := ffi.NewCallback("int (*)(const int *, const int *)", func(a, b *int32) int32 { return *a - *b })
	if err != nil {
		t.Fatal(err)
	}
	defer right.Free()
	qsort(unsafe.Pointer(&data[0]), 3, 4, right)
	var qsortPtr func(base unsafe.Pointer, n, size uintptr, cmp uintptr)
	if err := libc.Bind(&qsortPtr, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))"); err != nil {
		t.Fatal(err)
	}
	data = append(data, 0)
	qsortPtr(unsafe.Pointer(&data[0]), 4, 4, right.Ptr())
	if data[0] != 0 || data[1] != 1 || data[2] != 2 || data[3] != 3 {
		t.Errorf("sorted = %v", data)
	}
}

// TestBindVarargsRefused: variadic arguments with no C promotion (and
// slices whose elements hold Go pointers) panic with an error naming the
// argument's position and Go type, on a sequence's first call and on later
// ones; so do more than 64 variadic arguments.
func TestBindVarargsRefused(t *testing.T) {
	libc, err := ffi.Open(libcName)
	if err != nil {
		t.Fatal(err)
	}
	var snprintf func(buf []byte, n uintptr, format string, args ...any) int32
	if err := libc.Bind(&snprintf, "int "+snprintfName+"(char *, size_t, const char *, ...)"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	for _, tt := range []struct {
		arg  any
		want string
	}{
		{struct{ A int }{1}, "struct { A int }"},
		{[]string{"a"}, "[]string"},
		{map[int]int{}, "map[int]int"},
		{make(chan int), "chan int"},
		{complex(1, 2), "complex128"},
		{func() {}, "func()"},
		{struct{ P *int }{}, "struct { P *int }"},
		{[1]*int{}, "[1]*int"},
		{[2]int32{}, "[2]int32"},
		{[]*int{nil}, "[]*int"},
	} {
		for range 2 {
			func() {
				defer func() {
					err, _ := recover().(error)
					if err == nil || !strings.Contains(err.Error(), "variadic argument 2") || !strings.Contains(err.Error(), tt.want) {
						t.Errorf("%T as a variadic argument: panic %v", tt.arg, err)
					}
				}()
				snprintf(buf, 16, "%d %p", 1, tt.arg)
			}()
		}
	}
	func() {
		defer func() {
			if err, _ := recover().(error); err == nil || !strings.Contains(err.Error(), "65 variadic arguments; at most 64") {
				t.Errorf("65 variadic arguments: panic %v", err)
			}
		}()
		snprintf(buf, 16, "", make([]any, 65)...)
	}()
	if n := snprintf(buf, 16, "%d-%s", 42, "go"); n != 5 || string(buf[:5]) != "42-go" {
		t.Errorf("snprintf = %d, %q", n, buf[:5])
	}
}
