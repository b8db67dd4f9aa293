//go:build unix

package mcode

import "unsafe"

// addrOf returns the address of the first byte of b.
func addrOf(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
