// Package ptrcheck is the opt-in check of cgo's pointer-passing rules for
// calls into C: Go memory passed to C may not hold Go pointers (unless
// their targets are pinned), the rule that GODEBUG=cgocheck=1 enforces for
// cgo calls. It is enabled by the environment variable FFICHECK=1, read
// once when the program starts; when it is off, callers skip it entirely.
//
// Go memory is told from C memory by the Go runtime itself: the check asks
// runtime.cgoCheckPointer (the function cgo-generated code calls before
// every C call; runtime/linkname.go exports it, so the linker allows the
// reference with cgo on and off) about single pointers, and walks the Go
// type of the argument to name the field that holds a bad pointer. The
// alternatives do not work: runtime.cgoIsGoPointer and isPinned are not
// exported to linkname; runtime.findObject is, but it throws on a pointer
// into a free span, which is exactly what a one-past-the-end pointer may be;
// heap ranges from runtime/metrics do not exist, and would miss data, bss
// and pinning. Because the check relies on the runtime's, GODEBUG=cgocheck=0
// disables it too; Check then reports that.
package ptrcheck

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"sync"
	"unsafe"
)

// EnvVar is the environment variable that enables the check when set to
// "1".
const EnvVar = "FFICHECK"

var enabled = os.Getenv(EnvVar) == "1"

// Enabled reports whether FFICHECK=1 was set when the program started.
func Enabled() bool { return enabled }

// cgoCheckPointer panics if ptr, a Go pointer, points to Go memory holding
// unpinned Go pointers; with arg an array, it checks the array instead
// (see runtime/cgocall.go).
//
//go:linkname cgoCheckPointer runtime.cgoCheckPointer
func cgoCheckPointer(ptr any, arg any)

// sentinel is a Go heap object that is never pinned: the runtime refuses
// it wherever Go memory may not hold Go pointers.
var sentinel = reflect.New(reflect.TypeFor[struct {
	p   *byte
	pad [2]uintptr
}]()).UnsafePointer()

// errRuntimeOff is returned when the runtime's own check does nothing.
var errRuntimeOff = errors.New("the pointer check needs the runtime's cgo pointer check, which GODEBUG=cgocheck=0 turns off")

// runtimeOn reports whether runtime.cgoCheckPointer is active: it must
// refuse the sentinel inside Go memory.
var runtimeOn = sync.OnceValue(func() bool { return isGo(sentinel) })

// isGo reports whether p points to Go memory (heap, stack or data that
// may hold pointers): the runtime then checks the array, which holds an
// unpinned Go pointer, and panics.
func isGo(p unsafe.Pointer) (goPtr bool) {
	if p == nil {
		return false
	}
	defer func() { goPtr = recover() != nil }()
	cgoCheckPointer(p, [1]unsafe.Pointer{sentinel})
	return false
}

// refused reports whether q, found inside Go memory passed to C, breaks the
// rules: it is an unpinned Go pointer, or a pinned one to memory holding
// unpinned Go pointers. The runtime checks q as an element of an array
// reached through a Go pointer.
func refused(q unsafe.Pointer) (bad bool) {
	if q == nil {
		return false
	}
	defer func() { bad = recover() != nil }()
	cgoCheckPointer(sentinel, [1]unsafe.Pointer{q})
	return false
}

// holdsGoPointers reports whether the Go object that p points into holds
// unpinned Go pointers anywhere (the runtime scans the whole heap object,
// whatever type p has; Go data that holds pointers always counts).
func holdsGoPointers(p unsafe.Pointer) (bad bool) {
	defer func() { bad = recover() != nil }()
	cgoCheckPointer(p, nil)
	return false
}

// Error describes an argument that breaks the pointer-passing rules.
type Error struct {
	// Path names where the Go pointer is: the Go type of the memory passed
	// and the fields and indexes leading to it ("z_stream.next_in"), or
	// just the type when the runtime found it but the Go type does not say
	// where (memory passed as unsafe.Pointer, or beyond the pointed-to
	// element).
	Path string
	// Ptr is the offending pointer (0 when Path names a whole object).
	Ptr uintptr
	// Kind is the Go kind found at Path.
	Kind reflect.Kind
}

func (e *Error) Error() string {
	what := fmt.Sprintf("%s holds Go pointer %#x", e.Path, e.Ptr)
	switch {
	case e.Ptr == 0:
		what = fmt.Sprintf("the Go memory of %s holds a Go pointer", e.Path)
	case e.Kind == reflect.Map || e.Kind == reflect.Chan:
		what = fmt.Sprintf("%s is a Go %s, which is always Go memory", e.Path, e.Kind)
	case e.Kind == reflect.String:
		what = fmt.Sprintf("%s is a Go string whose bytes are in Go memory (%#x)", e.Path, e.Ptr)
	}
	return what + ", but Go memory passed to C may not hold Go pointers (cgo's pointer-passing rules): " +
		"C may keep the pointer, or leave it pointing just past its object (zlib's next_in), and the garbage collector " +
		"then frees or trips over it. Hold C memory (ffi.Malloc) or a uintptr there, " +
		"or pin the target with runtime.Pinner"
}

// Check reports whether passing p to C, where the Go parameter type is t,
// breaks the rules. For a pointer or unsafe.Pointer t, p is the pointer
// passed; for a slice, p is the address of its first element; for a struct
// or array passed by value, p points to the value. The memory p points to
// is checked only if it is Go memory.
func Check(t reflect.Type, p unsafe.Pointer) error {
	if p == nil {
		return nil
	}
	if !runtimeOn() {
		return errRuntimeOff
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		return checkTarget(t.Elem(), p, typeName(t.Elem()))
	case reflect.UnsafePointer:
		return checkTarget(nil, p, "unsafe.Pointer target")
	case reflect.Struct, reflect.Array:
		return walk(t, p, typeName(t), true)
	}
	return nil
}

// checkTarget checks the memory at p, of Go type elem (nil if unknown),
// that a pointer passed to C points to.
func checkTarget(elem reflect.Type, p unsafe.Pointer, path string) error {
	if !isGo(p) {
		return nil
	}
	if elem != nil {
		if err := walk(elem, p, path, false); err != nil {
			return err
		}
	}
	if holdsGoPointers(p) {
		return &Error{Path: path}
	}
	return nil
}

// walk checks the value of type t at v. At the top level (a value passed
// by value), Go pointers are allowed but their targets are checked;
// inside Go memory, they are refused.
func walk(t reflect.Type, v unsafe.Pointer, path string, top bool) error {
	if !hasPointers(t) {
		return nil
	}
	var word unsafe.Pointer // the first word, for the kinds that start with a pointer
	switch t.Kind() {
	case reflect.Map, reflect.Chan, reflect.Func, reflect.String, reflect.Pointer, reflect.UnsafePointer, reflect.Slice:
		word = *(*unsafe.Pointer)(v)
	}
	bad := func() error { return &Error{Path: path, Ptr: uintptr(word), Kind: t.Kind()} }
	switch t.Kind() {
	case reflect.Struct:
		for i := range t.NumField() {
			f := t.Field(i)
			if err := walk(f.Type, unsafe.Add(v, f.Offset), path+"."+f.Name, top); err != nil {
				return err
			}
		}
	case reflect.Array:
		for i := range t.Len() {
			if err := walk(t.Elem(), unsafe.Add(v, uintptr(i)*t.Elem().Size()), fmt.Sprintf("%s[%d]", path, i), top); err != nil {
				return err
			}
		}
	case reflect.Map, reflect.Chan:
		if word != nil {
			return bad()
		}
	case reflect.Func:
		if isGo(word) { // a closure; plain funcs are read-only data
			return bad()
		}
	case reflect.Interface:
		data := *(*unsafe.Pointer)(unsafe.Add(v, unsafe.Sizeof(uintptr(0))))
		if !top && refused(data) || top && isGo(data) && holdsGoPointers(data) {
			word = data
			return bad()
		}
	case reflect.String:
		if !top && refused(word) {
			return bad()
		}
	case reflect.Pointer, reflect.UnsafePointer, reflect.Slice:
		if !top {
			if refused(word) {
				return bad()
			}
			return nil
		}
		var elem reflect.Type
		if t.Kind() != reflect.UnsafePointer {
			elem = t.Elem()
		}
		return checkTarget(elem, word, "*"+path)
	}
	return nil
}

func typeName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}

var pointerTypes sync.Map // reflect.Type -> bool

// hasPointers reports whether values of type t hold pointers.
func hasPointers(t reflect.Type) bool {
	if v, ok := pointerTypes.Load(t); ok {
		return v.(bool)
	}
	var has bool
	switch t.Kind() {
	case reflect.Pointer, reflect.UnsafePointer, reflect.Slice, reflect.String, reflect.Map,
		reflect.Chan, reflect.Func, reflect.Interface:
		has = true
	case reflect.Array:
		has = t.Len() > 0 && hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			has = has || hasPointers(t.Field(i).Type)
		}
	}
	// LoadOrStore, not Store: the answer is the same for every caller,
	// and Store would link sync.Map's Swap into every program.
	pointerTypes.LoadOrStore(t, has)
	return has
}
