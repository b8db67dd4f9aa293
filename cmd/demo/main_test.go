package main

import (
	"math"
	"slices"
	"testing"

	"github.com/seed5ca82032/ffi"
)

// TestCompareInt32 sorts values whose difference overflows int32 with
// libc's qsort and the demo's comparator.
func TestCompareInt32(t *testing.T) {
	libc, err := ffi.Open(libcName())
	if err != nil {
		t.Fatal(err)
	}
	defer libc.Close()
	var qsort func(base []int32, n, size uintptr, cmp *ffi.Callback)
	if err := libc.Bind(&qsort, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))"); err != nil {
		t.Fatal(err)
	}
	cb, err := ffi.NewCallback("int (*)(const void *, const void *)", compareInt32)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	data := []int32{math.MinInt32, 1, math.MaxInt32, 0, -1, math.MinInt32 + 1, math.MaxInt32 - 1}
	want := slices.Sorted(slices.Values(data))
	qsort(data, uintptr(len(data)), 4, cb)
	if !slices.Equal(data, want) {
		t.Errorf("qsort = %v, want %v", data, want)
	}
}
