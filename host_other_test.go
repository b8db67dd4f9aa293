//go:build !windows

package ffi_test

// libcName is the C library the tests load by name.
const libcName = "libc.so.6"

// cLong is the Go type of C long (8 bytes).
type cLong = int64
