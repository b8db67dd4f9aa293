package upcall

import "unsafe"

// cframe is the frame the common entry builds on the C stack for one call
// of a callback: the caller's argument registers, where its stack arguments
// start, the slot that was called, and the result registers the entry loads
// before returning. Its layout is the contract with the generated entry
// (internal/x86 Frame* offsets; checked by TestFrameLayout). Other
// architectures define their own cframe with the same field names.
type cframe struct {
	gpr       [8]uint64      // integer argument registers in order (System V: rdi rsi rdx rcx r8 r9)
	fpr       [8]uint64      // low 64 bits of the vector argument registers
	stackArgs unsafe.Pointer // the caller's first stack argument
	slot      uint64         // slot id
	retGPR    [2]uint64      // rax, rdx
	retFPR    [2]uint64      // xmm0, xmm1
	state     uint64         // the slot's state word when this call entered (see slots.go)
	_         uint64         // padding
}

// Go's register ABI on this architecture: the integer and floating-point
// argument registers (see package goabi).
const archGoInts, archGoFloats = 9, 15
