//go:build race

package ffi_test

// Under the race detector every memory access is instrumented, so the
// stress tests run a tenth of their sizes there; the full sizes run in the
// CGO_ENABLED=1 and CGO_ENABLED=0 runs without it.

// createFreeCycles is the number of create/free cycles of the memory test.
const createFreeCycles = 1_000_000

// rssSlack is the resident-memory growth tolerated by the memory tests:
// the race detector's shadow memory grows with every allocation.
const rssSlack = 256 << 20

// stressDiv divides the sizes of the stress tests (1,000,000 callbacks,
// qsort of 1,000,000 elements, 16 C threads x 100,000 calls).
const stressDiv = 10

// raceEnabled reports a -race build.
const raceEnabled = true
