// Package upcall runs Go funcs as C function pointers (callbacks): the slot
// table, the common entry and slot stubs written per architecture, the
// frame the entry builds, and the dispatcher and invokers that call the Go
// func with the C arguments. Package downcall is the other direction.
package upcall

import (
	"fmt"
	"os"
	"runtime"
	"unsafe"
)

// dispatch is the Go side of every callback call. The common entry calls
// crosscall2(dispatch, frame), which enters the Go runtime on this thread
// (attaching it first if C created it) and runs dispatch on a goroutine
// stack. The slot id in the frame selects the binding, as it was when C
// called the slot (see slots.go); the binding's invoke
// reads the arguments from the frame, calls the Go func and writes the
// result registers back into the frame, which the entry loads and returns.
func dispatch(frame unsafe.Pointer) {
	f := (*cframe)(frame)
	rec := table.get(f.slot)
	var b *binding
	if rec != nil {
		b = rec.lookup(f.state)
	}
	if b == nil {
		staleCall(f, rec)
		return
	}
	if r, panicked := b.run(f); panicked {
		b.panicked(r)
	}
}

// run calls the binding's Go func and reports a panic it raised, recovered:
// by the time dispatch handles it, the panicking frames are gone and the
// goroutine's stack ends, as on entry, with dispatch and the runtime's entry
// frames below it.
func (b *binding) run(f *cframe) (r any, panicked bool) {
	panicked = true
	defer func() {
		if panicked {
			r = recover()
		}
	}()
	b.invoke(f)
	return nil, false
}

// panicked handles a panic raised by the Go func of a callback. When C
// called this callback during a call that Go made into C, the panic is
// raised again so that it reaches that Go caller (the C frames in between
// are abandoned, as with cgo). When C called it on a thread that C created
// there is no Go caller to reach: the process ends with a message naming
// the callback and the value, also when that callback is the outermost of
// a chain of re-entries (the inner ones re-raise the panic up to it).
func (b *binding) panicked(r any) {
	if enteredFromGo() {
		panic(r)
	}
	fmt.Fprintf(os.Stderr, "ffi: panic in callback %s (slot %d, Go func %s) on a thread created by C: %v\n",
		b.slot.Proto.Decl, b.slot.ID, b.fnName(), r)
	os.Exit(2)
}

// enteredFromGo reports whether the callback that dispatch is running was
// called by C code that a goroutine entered through runtime.cgocall (Bind,
// cgo, purego), rather than on a thread that C created. It is called by
// panicked, right above dispatch: the runtime's entry (runtime.cgocallback)
// is a few frames down, and on a goroutine that called into C the next
// Go frame below it (past the runtime's stack switch) is runtime.cgocall;
// on a thread that C created the goroutine's stack ends there. The look is
// bounded and independent of how deep the panic was raised or how many
// re-entries lie further down.
func enteredFromGo() bool {
	var pcs [16]uintptr
	n := runtime.Callers(3, pcs[:]) // from dispatch down
	frames := runtime.CallersFrames(pcs[:n])
	for {
		fr, more := frames.Next()
		if fr.Function == "runtime.cgocallback" {
			below, _ := frames.Next()
			if below.Function == "runtime.systemstack_switch" {
				below, _ = frames.Next()
			}
			return below.Function == "runtime.cgocall"
		}
		if !more {
			return false
		}
	}
}
