//go:build (amd64 && (linux || darwin || freebsd || netbsd || windows)) || (arm64 && (linux || darwin))

package downcall

import "unsafe"

// Supported reports whether Call works on this platform.
const Supported = true

// callCAddr is the address of the assembly stub callC of this platform
// (call_amd64.s, call_arm64.s, call_windows_amd64.s).
var callCAddr uintptr

// runtimeCgocall is the runtime's Go-to-C entry (which the syscall package
// uses on Windows without cgo too): it marks the goroutine as in a system
// call (so the scheduler runs other goroutines and C may call back into
// Go), switches to the system stack and calls fn(arg) with the C ABI. Its
// signature is kept stable for linkname users (go.dev/issue/67401).
//
//go:linkname runtimeCgocall runtime.cgocall
//go:noescape
func runtimeCgocall(fn uintptr, arg unsafe.Pointer) int32
