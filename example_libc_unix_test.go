//go:build !windows

package ffi_test

// Examples with the C library of Linux; example_libc_windows_test.go has
// the same ones with msvcrt.dll.

import (
	"errors"
	"fmt"
	"log"
	"syscall"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

// A Go comparator handed to libc's qsort as a C function pointer.
func ExampleNewCallback() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	var qsort func(base []int32, n, size uintptr, cmp *ffi.Callback)
	if err := libc.Bind(&qsort, "void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))"); err != nil {
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
	libm, err := ffi.Open("libm.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libm.Close()

	var pow func(x, y float64) float64
	if err := libm.Bind(&pow, "double pow(double x, double y)"); err != nil {
		log.Fatal(err)
	}
	var frexp func(x float64, exp *int32) float64
	if err := libm.Bind(&frexp, "double frexp(double x, int *exp)"); err != nil {
		log.Fatal(err)
	}
	var e int32
	frac := frexp(48, &e)
	fmt.Println(pow(2, 10), frac, e)
	// Output: 1024 0.75 6
}

func ExampleLibrary_Bind_varargs() {
	libc, err := ffi.Open("") // the running program, libc included
	if err != nil {
		log.Fatal(err)
	}
	var snprintf func(buf []byte, size uintptr, format string, args ...any) int32
	if err := libc.Bind(&snprintf, "int snprintf(char *str, size_t size, const char *format, ...)"); err != nil {
		log.Fatal(err)
	}
	buf := make([]byte, 64)
	n := snprintf(buf, uintptr(len(buf)), "%s has %d legs and weighs %.1f kg", "a cat", 4, 4.5)
	fmt.Println(string(buf[:n]))
	// Output: a cat has 4 legs and weighs 4.5 kg
}

// A bound func with one more result of type error gets errno, as cgo's
// two-result calls do: cleared before the call, read right after it on the
// same thread.
func ExampleLibrary_Bind_errno() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	var open func(path string, flags int32) (int32, error)
	if err := libc.Bind(&open, "int open(const char *path, int flags)"); err != nil {
		log.Fatal(err)
	}
	fd, err := open("/nonexistent", 0) // O_RDONLY
	fmt.Println(fd, err, errors.Is(err, syscall.ENOENT))
	// Output: -1 no such file or directory true
}
