package ffi

import (
	"fmt"
	"reflect"

	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ptrcheck"
)

// checkArgPointers enforces cgo's pointer-passing rules on the arguments
// of one call of the C function name when FFICHECK=1 (callers test
// ptrcheck.Enabled first, so the check costs nothing when it is off). It
// panics with an error naming the argument and the field that holds a Go
// pointer. args are the Go arguments, variadic ones included.
func checkArgPointers(name string, args []reflect.Value) {
	for i, x := range args {
		if err := checkArgPointer(x); err != nil {
			panic(fmt.Errorf("ffi: call %s: argument %d (%s): %w [%s=1]", name, i+1, x.Type(), err, ptrcheck.EnvVar))
		}
	}
}

// needsPointerCheck reports whether calls of sig must run
// checkArgPointers: FFICHECK=1 is set and an argument may be a Go pointer.
// Such bindings skip the typed fast paths, which do not check.
func needsPointerCheck(sig *convert.Sig) bool {
	if !ptrcheck.Enabled() {
		return false
	}
	if sig.Varargs {
		return true
	}
	for _, v := range sig.Params {
		switch v.Go.Kind() {
		case reflect.Pointer, reflect.UnsafePointer, reflect.Slice, reflect.Struct, reflect.Array, reflect.Interface:
			return true
		}
	}
	return false
}

// checkArgPointer checks one argument.
func checkArgPointer(x reflect.Value) error {
	for x.Kind() == reflect.Interface && !x.IsNil() { // a variadic argument
		x = x.Elem()
	}
	switch x.Kind() {
	case reflect.Pointer:
		if x.Type() == callbackType { // C gets the callback's Ptr, not Go memory
			return nil
		}
		return ptrcheck.Check(x.Type(), x.UnsafePointer())
	case reflect.UnsafePointer:
		return ptrcheck.Check(x.Type(), x.UnsafePointer())
	case reflect.Slice:
		if x.Cap() == 0 {
			return nil
		}
		return ptrcheck.Check(x.Type(), x.UnsafePointer())
	case reflect.Struct, reflect.Array:
		p := reflect.New(x.Type())
		p.Elem().Set(x)
		return ptrcheck.Check(x.Type(), p.UnsafePointer())
	}
	return nil
}
