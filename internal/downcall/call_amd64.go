//go:build amd64 && (linux || darwin || freebsd || netbsd)

package downcall

import (
	"unsafe"

	// purego sets the runtime up for calls into C: with cgo it imports
	// runtime/cgo, without cgo its fake cgo runtime (which also makes
	// runtime.cgocall usable and provides crosscall2 for callbacks).
	_ "github.com/ebitengine/purego"
)

// Supported reports whether Call works on this platform.
const Supported = true

// callCAddr is the address of the assembly stub callC (call_amd64.s).
var callCAddr uintptr

// runtimeCgocall is the runtime's Go-to-C entry: it marks the goroutine as
// in a system call (so the scheduler runs other goroutines and C may call
// back into Go), switches to the system stack and calls fn(arg) with the C
// ABI. Its signature is kept stable for linkname users (go.dev/issue/67401).
//
//go:linkname runtimeCgocall runtime.cgocall
//go:noescape
func runtimeCgocall(fn uintptr, arg unsafe.Pointer) int32

// asmcgocall calls runtime·asmcgocall(fn, f): the system-stack switch
// without the system-call bookkeeping.
//
//go:noescape
func asmcgocall(fn uintptr, f *Frame)

// Call calls f.Fn with the registers and stack words in f and stores the
// result registers into f. The C function may block and may call back into
// Go. Call does not allocate.
//
// The stub is handed a copy of f in Call's own frame, which is always on the
// goroutine stack: if a callback grows that stack, the runtime copies it and
// the stub finds the copy at its new address (see call_amd64.s). f itself may
// live anywhere.
func Call(f *Frame) {
	c := *f
	runtimeCgocall(callCAddr, unsafe.Pointer(&c))
	f.RetGPR, f.RetFPR = c.RetGPR, c.RetFPR
}

// CallNoCallback is Call without the runtime's system-call transition, for
// short C functions that neither block nor call into Go: the goroutine's P
// stays busy for the whole call and a callback into Go would crash the
// program. It costs a few nanoseconds instead of a few tens.
func CallNoCallback(f *Frame) {
	asmcgocall(callCAddr, f)
}
