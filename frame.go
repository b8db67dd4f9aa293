package ffi

import "unsafe"

// cframe is the frame the common entry builds on the C stack for one call
// of a callback: the caller's argument registers, where its stack arguments
// start, the slot that was called, and the result registers the entry loads
// before returning. Its layout is the contract with the generated entry
// (internal/x86 Frame* offsets; checked by TestFrameLayout).
type cframe struct {
	gpr       [8]uint64      // integer argument registers in order (System V: rdi rsi rdx rcx r8 r9)
	fpr       [8]uint64      // low 64 bits of the vector argument registers
	stackArgs unsafe.Pointer // the caller's first stack argument
	slot      uint64         // slot id
	retGPR    [2]uint64      // rax, rdx
	retFPR    [2]uint64      // xmm0, xmm1
}

// word returns the 8 bytes of register or stack storage that hold part of
// an argument: loc is 1 gpr, 2 fpr, 3 stack (abi.Loc values).
func (f *cframe) word(loc uint8, idx int) uint64 {
	switch loc {
	case locGPR:
		return f.gpr[idx]
	case locFPR:
		return f.fpr[idx]
	}
	return *(*uint64)(unsafe.Add(f.stackArgs, idx))
}

// bytes returns a pointer to the storage of a part: the register image in
// the frame, or the caller's stack.
func (f *cframe) bytes(loc uint8, idx int) unsafe.Pointer {
	switch loc {
	case locGPR:
		return unsafe.Pointer(&f.gpr[idx])
	case locFPR:
		return unsafe.Pointer(&f.fpr[idx])
	}
	return unsafe.Add(f.stackArgs, idx)
}
