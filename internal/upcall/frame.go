package upcall

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
)

// part returns a pointer to the 8-byte storage that holds part p of an
// argument: its register image in the frame, or the caller's stack.
func (f *cframe) part(p abi.Part) unsafe.Pointer {
	switch p.Loc {
	case abi.GPR:
		return unsafe.Pointer(&f.gpr[p.Index])
	case abi.FPR:
		return unsafe.Pointer(&f.fpr[p.Index])
	}
	return unsafe.Add(f.stackArgs, p.Index)
}
