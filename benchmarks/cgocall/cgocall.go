//go:build cgo

// Package cgocall holds the cgo side of the benchmarks: plain cgo calls of
// the same C functions the other rows call through this module and purego.
// It is built only with CGO_ENABLED=1.
package cgocall

/*
#cgo LDFLAGS: -lm
#include <math.h>

static int add(int a, int b) { return a + b; }
*/
import "C"

// Add calls C add(a, b) through cgo.
func Add(a, b int32) int32 { return int32(C.add(C.int(a), C.int(b))) }

// Hypot calls C hypot(x, y) from libm through cgo.
func Hypot(x, y float64) float64 { return float64(C.hypot(C.double(x), C.double(y))) }
