//go:build !windows

package ffi_test

import (
	"fmt"
	"log"

	"github.com/seed5ca82032/ffi"
)

// Short C functions that neither block nor call back into Go can be bound
// with ffi.Leaf: each call then skips the scheduler transition.
func ExampleLeaf() {
	libm, err := ffi.Open("libm.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libm.Close()

	var hypot func(x, y float64) float64
	if err := libm.Bind(&hypot, "double hypot(double x, double y)", ffi.Leaf); err != nil {
		log.Fatal(err)
	}
	var ilogb func(x float64) int32
	if err := libm.Bind(&ilogb, "int ilogb(double x)", ffi.Leaf); err != nil {
		log.Fatal(err)
	}
	fmt.Println(hypot(3, 4), ilogb(1000))
	// Output: 5 9
}
