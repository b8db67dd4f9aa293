//go:build !race

package ffi_test

// createFreeCycles is the number of create/free cycles of the memory test.
const createFreeCycles = 10_000_000
