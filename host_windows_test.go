package ffi_test

// libcName is the C library the tests load by name: msvcrt.dll, which
// MinGW-compiled code uses too.
const libcName = "msvcrt.dll"

// cLong is the Go type of C long: 4 bytes on Windows.
type cLong = int32
