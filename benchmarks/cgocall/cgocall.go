//go:build cgo

// Package cgocall holds the cgo side of the benchmarks: plain cgo calls of
// the same C functions the other rows call through this module and purego.
// It is built only with CGO_ENABLED=1.
package cgocall

/*
#cgo LDFLAGS: -lm
#include <math.h>

// noipa: gcc must not inline these into cgo's wrappers, so that cgo calls
// them as it would a function of a separately compiled library, as the
// other rows do.
static __attribute__((noipa)) int add(int a, int b) { return a + b; }
static __attribute__((noipa)) double mixed6(int a, double b, void *p, long long c, float d, int e) {
	return a + b + (p != 0) + (double)c + d + e;
}
*/
import "C"

import "unsafe"

// Add calls C add(a, b) through cgo.
func Add(a, b int32) int32 { return int32(C.add(C.int(a), C.int(b))) }

// Hypot calls C hypot(x, y) from libm through cgo.
func Hypot(x, y float64) float64 { return float64(C.hypot(C.double(x), C.double(y))) }

// Mixed6 calls C mixed6(a, b, p, c, d, e), six mixed arguments, through cgo.
func Mixed6(a int32, b float64, p unsafe.Pointer, c int64, d float32, e int32) float64 {
	return float64(C.mixed6(C.int(a), C.double(b), p, C.longlong(c), C.float(d), C.int(e)))
}
