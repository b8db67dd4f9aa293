package ffi_test

import (
	"fmt"
	"log"

	"github.com/seed5ca82032/ffi"
)

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

func ExampleBind() {
	// Any C function pointer can be bound, a Callback's included.
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a*10 + b })
	if err != nil {
		log.Fatal(err)
	}
	defer cb.Free()
	var f func(a, b int32) int32
	if err := ffi.Bind(&f, cb.Ptr(), "int (*)(int, int)"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(f(4, 2))
	// Output: 42
}
