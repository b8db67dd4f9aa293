package gateway

import (
	"sync"
	"syscall"
	"unsafe"
)

// On Windows the runtime has its own path for C calling into Go without
// cgo: syscall.NewCallback turns a Go func into a C function pointer that
// enters the runtime through cgocallback (attaching an M first on a thread
// that C created with CreateThread). The C function made here has
// crosscall2's signature, crosscall2(fn, frame, n, ctxt), so the generated
// entry calls it exactly as it calls crosscall2 elsewhere; it runs the Go
// function whose code pointer is fn with argument frame.
//
// syscall.NewCallback hands out a limited number of pointers per process
// (2000); this package takes one, once.
var (
	crosscallOnce sync.Once
	crosscallPtr  uintptr
)

func crosscall2Addr() uintptr {
	crosscallOnce.Do(func() { crosscallPtr = syscall.NewCallback(crosscall) })
	return crosscallPtr
}

// crosscall runs the Go function at code pointer fn with argument frame.
// A pointer to a word holding a code pointer is a Go func value without
// captured variables, which is what a top-level function's value is.
func crosscall(fn, frame, n, ctxt uintptr) uintptr {
	pc := &fn
	f := *(*func(unsafe.Pointer))(unsafe.Pointer(&pc))
	f(*(*unsafe.Pointer)(unsafe.Pointer(&frame)))
	return 0
}
