//go:build !linux

package mcode

// placePacked packs code only on Linux (pack_linux.go): elsewhere each
// Place maps pages of its own.
func placePacked([]byte) (uintptr, bool) { return 0, false }
