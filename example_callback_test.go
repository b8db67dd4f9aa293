package ffi_test

import (
	"fmt"
	"log"
	"strings"

	"github.com/seed5ca82032/ffi"
)

// The C signature of a callback can be inferred from the Go func type.
func ExampleNewCallbackFunc() {
	cb, err := ffi.NewCallbackFunc(func(x int32, y float64) float64 { return float64(x) * y })
	if err != nil {
		log.Fatal(err)
	}
	defer cb.Free()
	fmt.Println(strings.SplitN(cb.String(), " at ", 2)[0]) // the pointer varies

	// Call it like C would: through its pointer, with the C signature.
	var call func(int32, float64) float64
	if err := ffi.Bind(&call, cb.Ptr(), "double (*)(int, double)"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(call(3, 1.5))
	// Output:
	// callback double (*)(int, double)
	// 4.5
}

// Set retargets a callback: C keeps the same pointer.
func ExampleCallback_Set() {
	cb, err := ffi.NewCallback("int (*)(int)", func(x int32) int32 { return x + 1 })
	if err != nil {
		log.Fatal(err)
	}
	defer cb.Free()
	var call func(int32) int32
	if err := ffi.Bind(&call, cb.Ptr(), "int (*)(int)"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(call(10))
	if err := cb.Set(func(x int32) int32 { return x * 10 }); err != nil {
		log.Fatal(err)
	}
	fmt.Println(call(10))
	// Output:
	// 11
	// 100
}

// Free releases the slot; a second Free is an error.
func ExampleCallback_Free() {
	cb, err := ffi.NewCallback("void (*)(void)", func() {})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cb.Free())
	fmt.Println(cb.Free() != nil)
	// Output:
	// <nil>
	// true
}

// A handler turns calls through freed callback pointers into reported
// no-ops instead of ending the process.
func ExampleSetStaleCallbackHandler() {
	ffi.SetStaleCallbackHandler(func(ptr uintptr, info string) {
		fmt.Println("stale call:", strings.Contains(info, "called after Free"))
	})
	defer ffi.SetStaleCallbackHandler(nil)

	cb, err := ffi.NewCallback("int (*)(int)", func(x int32) int32 { return x * 2 })
	if err != nil {
		log.Fatal(err)
	}
	var call func(int32) int32
	if err := ffi.Bind(&call, cb.Ptr(), "int (*)(int)"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(call(21))
	cb.Free()
	fmt.Println(call(21)) // C code that kept the pointer: the handler runs, the call returns 0
	// Output:
	// 42
	// stale call: true
	// 0
}
