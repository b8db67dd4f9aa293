package ffi_test

import (
	"fmt"
	"log"

	"github.com/seed5ca82032/ffi"
)

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
