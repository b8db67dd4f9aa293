//go:build race

package ffi_test

// Under the race detector every memory access is instrumented; the stress
// tests run a tenth of their cycles.
const createFreeCycles = 1_000_000
