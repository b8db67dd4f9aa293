//go:build !race

package ffi_test

// createFreeCycles is the number of create/free cycles of the memory test.
const createFreeCycles = 10_000_000

// rssSlack is the resident-memory growth tolerated by the memory tests.
const rssSlack = 32 << 20

// stressDiv divides the sizes of the stress tests (1,000,000 callbacks,
// qsort of 1,000,000 elements, 16 C threads x 100,000 calls).
const stressDiv = 1

// raceEnabled reports a -race build.
const raceEnabled = false
