//go:build !amd64 && !arm64

package upcall

import "unsafe"

// cframe is a placeholder on architectures without a callback entry yet:
// the code that reads frames compiles, and NewCallback reports that the
// architecture is not supported before any frame could exist.
type cframe struct {
	gpr       [8]uint64
	fpr       [8]uint64
	stackArgs unsafe.Pointer
	slot      uint64
	retGPR    [2]uint64
	retFPR    [2]uint64
	state     uint64
	_         uint64
}

// A placeholder for Go's register ABI: the integer and floating-point
// argument registers (see package goabi).
const archGoInts, archGoFloats = 9, 15
