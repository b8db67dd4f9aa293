package ffi

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync/atomic"
	"unsafe"
)

// dispatch is the Go side of every callback call. The common entry calls
// crosscall2(dispatch, frame), which enters the Go runtime on this thread
// (attaching it first if C created it) and runs dispatch on a goroutine
// stack. The slot id in the frame selects the binding; the binding's invoke
// reads the arguments from the frame, calls the Go func and writes the
// result registers back into the frame, which the entry loads and returns.
func dispatch(frame unsafe.Pointer) {
	f := (*cframe)(frame)
	rec := table.get(f.slot)
	var b *binding
	if rec != nil {
		b = rec.b.Load()
	}
	if b == nil {
		staleCall(f, rec)
		return
	}
	defer func() {
		if r := recover(); r != nil {
			b.panicked(r)
		}
	}()
	b.invoke(f)
}

// panicked handles a panic raised by the Go func of a callback. When the
// callback runs inside a call that Go made into C, the panic is raised again
// so that it reaches that Go caller (the C frames in between are abandoned,
// as with cgo). On a thread that C created there is no Go caller to reach:
// the process ends with a message naming the callback and the value.
func (b *binding) panicked(r any) {
	if calledFromGo() {
		panic(r)
	}
	fmt.Fprintf(os.Stderr, "ffi: panic in callback %s (slot %d, Go func %s) on a thread created by C: %v\n",
		b.cb.decl, b.cb.id, b.fnName(), r)
	os.Exit(2)
}

// calledFromGo reports whether the current callback runs on a goroutine
// that is inside a call into C (its stack continues below the callback
// with runtime.cgocall), rather than on a thread created by C.
func calledFromGo() bool {
	pcs := make([]uintptr, 256)
	n := runtime.Callers(0, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		fr, more := frames.Next()
		if fr.Function == "runtime.cgocall" || strings.HasPrefix(fr.Function, "runtime.cgocall") && !strings.HasPrefix(fr.Function, "runtime.cgocallback") {
			return true
		}
		if !more {
			return false
		}
	}
}

// StaleCallbackHandler is called when C calls a callback pointer whose
// callback was freed (see SetStaleCallbackHandler).
type StaleCallbackHandler func(ptr uintptr, info string)

var staleHandler atomic.Pointer[StaleCallbackHandler]

// SetStaleCallbackHandler installs h to be called when C code calls the
// pointer of a freed callback before its slot has been reused; the call then
// returns zero (all result registers cleared). With no handler (the default,
// or h == nil) such a call ends the process with a message naming the slot.
// Detection lasts until the slot is reused, which happens only after many
// other callbacks have been freed (see the package documentation).
func SetStaleCallbackHandler(h StaleCallbackHandler) {
	if h == nil {
		staleHandler.Store(nil)
		return
	}
	staleHandler.Store(&h)
}

// staleCall handles a call through a slot that has no live callback.
func staleCall(f *cframe, rec *record) {
	clear(f.retGPR[:])
	clear(f.retFPR[:])
	info := fmt.Sprintf("slot %d was never handed out", f.slot)
	ptr := uintptr(0)
	if rec != nil {
		if a, err := slots(); err == nil {
			ptr = a.Addr(uint32(f.slot))
		}
		last := "a callback"
		if s := rec.last.Load(); s != nil {
			last = *s
		}
		info = fmt.Sprintf("slot %d (generation %d, last %s) was called after Free", f.slot, rec.gen.Load(), last)
	}
	if h := staleHandler.Load(); h != nil {
		(*h)(ptr, info)
		return
	}
	fmt.Fprintf(os.Stderr, "ffi: stale callback pointer %#x called: %s\n", ptr, info)
	os.Exit(2)
}
