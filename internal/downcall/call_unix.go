//go:build (amd64 && (linux || darwin || freebsd || netbsd)) || (arm64 && (linux || darwin))

package downcall

import (
	"unsafe"

	// purego sets the runtime up for calls into C: with cgo it imports
	// runtime/cgo, without cgo its fake cgo runtime (which also makes
	// runtime.cgocall usable and provides crosscall2 for callbacks).
	_ "github.com/ebitengine/purego"
)

// Call calls f.Fn with the registers and stack words in f and stores the
// result registers into f. The C function may block and may call back into
// Go. f may live anywhere; Call does not allocate.
//
// Call hands the stub a copy of f in its own frame, so the copy is on the
// goroutine stack where the stub can follow it if a callback moves that
// stack (see call_amd64.s and call_arm64.s). CallLocal skips the copy.
func Call(f *Frame) {
	c := *f
	runtimeCgocall(callCAddr, unsafe.Pointer(&c))
	f.RetGPR, f.RetFPR, f.Errno = c.RetGPR, c.RetFPR, c.Errno
}

// CallLocal is Call for a Frame that is a local variable of the caller on
// the calling goroutine's stack (one that does not escape; a test with
// testing.AllocsPerRun showing no allocation proves it). If a callback
// grows the stack, the stub moves its Frame address along with the stack;
// a Frame anywhere else would be written at a wrong address.
func CallLocal(f *Frame) {
	runtimeCgocall(callCAddr, unsafe.Pointer(f))
}

// CallStub is CallLocal with another stub of the same contract as the
// one Call uses: a C-ABI function of the Frame's address, run on the
// system stack through runtime.cgocall, which finds the Frame again after
// a callback moved the goroutine stack (a generated bound-call stub).
func CallStub(stub uintptr, f *Frame) {
	runtimeCgocall(stub, unsafe.Pointer(f))
}

// asmcgocall calls runtime·asmcgocall(fn, f): the system-stack switch
// without the system-call bookkeeping.
//
//go:noescape
func asmcgocall(fn uintptr, f *Frame)
