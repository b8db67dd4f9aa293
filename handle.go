package ffi

import (
	"sync"
	"sync/atomic"
)

// Handle is an integer that stands for a Go value, for passing Go values
// through C code as user data (a void * context argument) without giving C
// a Go pointer. It works like runtime/cgo.Handle, with cgo enabled or
// disabled.
//
// NewHandle returns a new handle for a value; C code stores it (as an
// integer or as a void *) and later hands it back, typically to a
// Callback, which gets the value back with Value. Delete releases the
// handle once C no longer uses it; until then the value stays reachable.
// Handles are never 0, so C may use 0 (NULL) for "no handle". A Handle is
// safe for concurrent use.
//
// A Handle is a uintptr: a Callback parameter of C type void * may be
// declared as Handle in the Go func, and so may a parameter of a bound
// function (any C pointer accepts a uintptr).
type Handle uintptr

var (
	handles     sync.Map // Handle -> any
	handleCount atomic.Uintptr
)

// NewHandle returns a handle for v. Each call returns a new handle, even
// for the same v. The handle must be released with Delete.
func NewHandle(v any) Handle {
	h := Handle(handleCount.Add(1))
	if h == 0 {
		panic("ffi: NewHandle: handles exhausted")
	}
	handles.Store(h, v)
	return h
}

// Value returns the value of a valid handle. Calling it on a handle that
// was deleted, or that NewHandle did not return, panics.
func (h Handle) Value() any {
	v, ok := handles.Load(h)
	if !ok {
		panic("ffi: misuse of an invalid Handle (deleted, or not from NewHandle)")
	}
	return v
}

// Delete releases the handle; its value is no longer kept reachable by it.
// The handle must not be used afterwards: Value and Delete on it panic.
func (h Handle) Delete() {
	if _, ok := handles.LoadAndDelete(h); !ok {
		panic("ffi: misuse of an invalid Handle (deleted, or not from NewHandle)")
	}
}
