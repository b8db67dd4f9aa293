//go:build !windows

package ffi_test

// libcName is the C library the tests load by name.
const libcName = "libc.so.6"

// snprintfName is the C library's snprintf.
const snprintfName = "snprintf"

// cLong is the Go type of C long (8 bytes).
type cLong = int64
