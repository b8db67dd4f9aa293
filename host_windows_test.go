package ffi_test

// libcName is the C library the tests load by name: msvcrt.dll, which
// MinGW-compiled code uses too.
const libcName = "msvcrt.dll"

// snprintfName is msvcrt's snprintf, which has a leading underscore (and
// leaves out the NUL when the output is cut short).
const snprintfName = "_snprintf"

// cLong is the Go type of C long: 4 bytes on Windows.
type cLong = int32
