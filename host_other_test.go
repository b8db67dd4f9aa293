//go:build !windows

package ffi_test

// libcName is the C library the tests load by name.
const libcName = "libc.so.6"
