package ffi_test

// The examples of example_libc_unix_test.go with Windows' C library,
// msvcrt.dll.

import (
	"fmt"
	"log"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

// A Go comparator handed to the C library's qsort as a C function pointer.
func ExampleNewCallback() {
	msvcrt, err := ffi.Open("msvcrt.dll")
	if err != nil {
		log.Fatal(err)
	}
	defer msvcrt.Close()
	var qsort func(base []int32, n, size uintptr, cmp *ffi.Callback)
	if err := msvcrt.Bind(&qsort, "void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))"); err != nil {
		log.Fatal(err)
	}

	cmp, err := ffi.NewCallback("int (*)(const void *, const void *)", func(a, b unsafe.Pointer) int32 {
		x, y := *(*int32)(a), *(*int32)(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	if err != nil {
		log.Fatal(err)
	}
	defer cmp.Free()

	data := []int32{5, -2, 9, 0, 3}
	qsort(data, uintptr(len(data)), 4, cmp)
	fmt.Println(data)
	// Output: [-2 0 3 5 9]
}

func ExampleLibrary_Bind() {
	msvcrt, err := ffi.Open("msvcrt.dll")
	if err != nil {
		log.Fatal(err)
	}
	defer msvcrt.Close()

	var pow func(x, y float64) float64
	if err := msvcrt.Bind(&pow, "double pow(double x, double y)"); err != nil {
		log.Fatal(err)
	}
	var frexp func(x float64, exp *int32) float64
	if err := msvcrt.Bind(&frexp, "double frexp(double x, int *exp)"); err != nil {
		log.Fatal(err)
	}
	var e int32
	frac := frexp(48, &e)
	fmt.Println(pow(2, 10), frac, e)
	// Output: 1024 0.75 6
}

func ExampleLibrary_Bind_varargs() {
	msvcrt, err := ffi.Open("msvcrt.dll")
	if err != nil {
		log.Fatal(err)
	}
	defer msvcrt.Close()
	// A variadic double goes in both an integer and a vector register.
	var snprintf func(buf []byte, size uintptr, format string, args ...any) int32
	if err := msvcrt.Bind(&snprintf, "int _snprintf(char *str, size_t size, const char *format, ...)"); err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 64)
	n := snprintf(buf, uintptr(len(buf)), "%s has %d legs and weighs %.1f kg", "a cat", 4, 4.5)
	fmt.Println(string(buf[:n]))
	// Output: a cat has 4 legs and weighs 4.5 kg
}
