package ffi

import (
	"reflect"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/ptrcheck"
)

// pointerCheck returns the check of cgo's pointer-passing rules that bound
// calls run on each pointer, unsafe.Pointer and slice argument when
// FFICHECK=1 is set, or nil (no cost per call) when it is not. The call
// panics with an error naming the argument and the field that holds a Go
// pointer.
func pointerCheck() func(param int, t reflect.Type, p unsafe.Pointer) error {
	if !ptrcheck.Enabled() {
		return nil
	}
	return checkArgPointer
}

// checkArgPointer checks one pointer argument p of Go type t.
func checkArgPointer(_ int, t reflect.Type, p unsafe.Pointer) error {
	if t == callbackType { // C gets the callback's Ptr, not Go memory
		return nil
	}
	if err := ptrcheck.Check(t, p); err != nil {
		return errfmt.Errorf("%w [%s=1]", err, ptrcheck.EnvVar)
	}
	return nil
}
