package ffi

import "unsafe"

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
