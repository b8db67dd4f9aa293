//go:build !windows

package ffi_test

import (
	"fmt"
	"log"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

// A Go value passed through C as void * user data: qsort_r hands the
// handle back to the comparator, which finds the Go value with Value.
func ExampleNewHandle() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	var qsortR func(base []int32, n, size uintptr, cmp *ffi.Callback, arg ffi.Handle)
	if err := libc.Bind(&qsortR, "void qsort_r(void *, size_t, size_t, int (*)(const void *, const void *, void *), void *)"); err != nil {
		log.Fatal(err)
	}
	// The comparator's context: a Go map, which C must never see.
	type order struct {
		rank  map[int32]int
		calls int
	}
	cmp, err := ffi.NewCallback("int (*)(const void *, const void *, void *)",
		func(a, b unsafe.Pointer, arg ffi.Handle) int32 {
			o := arg.Value().(*order)
			o.calls++
			return int32(o.rank[*(*int32)(a)] - o.rank[*(*int32)(b)])
		})
	if err != nil {
		log.Fatal(err)
	}
	defer cmp.Free()

	o := &order{rank: map[int32]int{404: 0, 200: 1, 500: 2}}
	h := ffi.NewHandle(o)
	defer h.Delete()
	codes := []int32{500, 404, 200, 404}
	qsortR(codes, uintptr(len(codes)), 4, cmp, h)
	fmt.Println(codes, o.calls > 0)
	// Output: [404 404 200 500] true
}
