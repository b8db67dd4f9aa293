package mcode

import "unsafe"

// ptrAt turns an address inside a mapped group into a pointer (test only:
// the group's memory is not managed by Go).
func ptrAt(addr uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&addr))
}
