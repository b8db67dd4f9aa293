package ffi_test

import (
	"fmt"
	"log"
	"strings"
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
