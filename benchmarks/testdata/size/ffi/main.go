// Command ffi is the minimal program of TestMinimalProgramSize: it binds one
// C function and makes one callback with package ffi.
package main

import (
	"fmt"

	"github.com/seed5ca82032/ffi"
)

func main() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		panic(err)
	}
	var abs func(int32) int32
	if err := libc.Bind(&abs, "int abs(int)"); err != nil {
		panic(err)
	}
	cb, err := ffi.NewCallback("int (*)(int)", func(x int32) int32 { return x + 1 })
	if err != nil {
		panic(err)
	}
	fmt.Println(abs(-3), cb.Ptr() != 0)
}
