package upcall

import "unsafe"

// cframe is the frame the common entry builds on the C stack for one call
// of a callback on arm64: the caller's argument registers, where its stack
// arguments start, the slot that was called, and the result registers the
// entry loads before returning. Its layout is the contract with the
// generated entry (internal/a64 Frame* offsets; checked by TestFrameLayout).
type cframe struct {
	gpr       [9]uint64      // x0..x7, and x8 (address of a result returned in memory)
	fpr       [8]uint64      // low 64 bits of v0..v7
	stackArgs unsafe.Pointer // the caller's first stack argument (sp at the call)
	slot      uint64         // slot id
	retGPR    [2]uint64      // x0, x1
	retFPR    [4]uint64      // low 64 bits of v0..v3 (an HFA result uses up to four)
	state     uint64         // the slot's state word when this call entered (see slots.go)
	_         uint64         // padding
}

// Go's register ABI on this architecture: the integer and floating-point
// argument registers (see package goabi).
const archGoInts, archGoFloats = 16, 16
