package ffi

import (
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/upcall"
)

// Callback is a Go func that C code can call through a C function pointer.
//
// A Callback is created by NewCallback or NewCallbackFunc, retargeted by Set
// and released by Free. Until Free, the library keeps the Go func alive and
// the pointer valid, whatever happens to the *Callback value itself: there is
// no finalizer, because only the program knows when C code stops using the
// pointer. Its methods are safe for concurrent use, also while C code on
// other threads is calling the pointer.
//
// Use a Callback through the *Callback that NewCallback returns. A copy of
// the struct (which go vet reports) shares the original's state, so Free
// through either releases the slot once and the other's Free returns
// ErrFreed. The zero Callback is not a callback: its Ptr is 0, and Set and
// Free return ErrZeroCallback.
type Callback struct {
	_ noCopy
	*callbackState
}

// callbackState is what a Callback's methods change. It lives behind a
// pointer so that every copy of a Callback sees the same state: a slot is
// freed at most once however the Callback value was copied.
type callbackState struct {
	mu    sync.Mutex
	slot  *upcall.Slot // its id, pointer and C signature
	freed bool
}

// noCopy makes go vet's copylocks check report copies of the struct that
// contains it.
type noCopy struct{}

func (*noCopy) Lock()   {}
func (*noCopy) Unlock() {}

// ErrFreed is returned (wrapped) by Callback methods called after Free.
var ErrFreed = errors.New("callback already freed")

// ErrZeroCallback is returned (wrapped) by Set and Free on a Callback that
// was not made by NewCallback or NewCallbackFunc.
var ErrZeroCallback = errors.New("zero Callback (not made by NewCallback)")

// NewCallback returns a Callback that runs fn when C calls its pointer.
//
// decl is the C signature: a function pointer type ("int (*)(const void *,
// const void *)"), a function type ("int (const void *, const void *)"), a
// function declaration ("int cmp(const void *a, const void *b)") or a typedef
// name declared with Cdef. fn must be a func whose parameters and result
// match the C types: exact-width Go integers for C integers of the same width
// and signedness, or Go int/uint for any C integer (converted as C converts),
// uintptr for pointer-sized C integers, int8 or byte for plain char (whose
// signedness differs between targets), bool for _Bool, float32 for float,
// float64 for double, unsafe.Pointer, uintptr or any Go pointer type for any
// C pointer, string for a char pointer parameter (the C string is copied
// into a new Go string at each call; NULL gives ""), enums as their integer
// type, a Go struct with the same layout for a C struct by value, no result
// for void. Variadic and long double signatures are rejected.
func NewCallback(decl string, fn any) (*Callback, error) {
	return defaultScope.NewCallback(decl, fn)
}

// NewCallback is like the package-level NewCallback, with decl resolved in
// scope s.
func (s *Scope) NewCallback(decl string, fn any) (*Callback, error) {
	p, err := s.proto(decl)
	if err != nil {
		return nil, errfmt.Errorf("ffi: NewCallback: %w", err)
	}
	cb, err := newCallback(p, fn)
	if err != nil {
		return nil, errfmt.Errorf("ffi: NewCallback(%q): %w", decl, err)
	}
	return cb, nil
}

// NewCallbackFunc returns a Callback whose C signature is inferred from the
// Go func type of fn: int8/uint8 as signed/unsigned char, int16/uint16 as
// short/unsigned short, int32/uint32 as int/unsigned int, int64 and int as
// long long, uint64, uint and uintptr as unsigned long long, float32 as
// float, float64 as double, bool as _Bool, unsafe.Pointer and Go pointers
// as void *, Go structs as C structs of the same layout.
func NewCallbackFunc(fn any) (*Callback, error) {
	if err := upcall.CheckFunc(fn); err != nil {
		return nil, errfmt.Errorf("ffi: NewCallbackFunc: %w", err)
	}
	p, err := upcall.ProtoOfFunc(reflect.TypeOf(fn))
	if err != nil {
		return nil, errfmt.Errorf("ffi: NewCallbackFunc: %w", err)
	}
	cb, err := newCallback(p, fn)
	if err != nil {
		return nil, errfmt.Errorf("ffi: NewCallbackFunc(%s): %w", p.Decl, err)
	}
	return cb, nil
}

func newCallback(p *upcall.Proto, fn any) (*Callback, error) {
	slot, err := upcall.NewSlot(p, fn)
	if err != nil {
		return nil, err
	}
	return &Callback{callbackState: &callbackState{slot: slot}}, nil
}

// proto returns the proto of decl in scope s, cached with the parsed
// declaration in the scope itself (see Scope.decl), so a dropped Scope
// takes its protos with it.
func (s *Scope) proto(decl string) (*upcall.Proto, error) {
	e, err := s.decl(decl)
	if err != nil {
		return nil, err
	}
	if p := e.proto.Load(); p != nil {
		return p, nil
	}
	p, err := upcall.NewProto(e.ft)
	if err != nil {
		return nil, errfmt.Errorf("%s: %w", decl, err)
	}
	if !e.proto.CompareAndSwap(nil, p) {
		p = e.proto.Load()
	}
	return p, nil
}

// Ptr returns the C function pointer. It stays the same across Set and is
// valid until Free. It is 0 for the zero Callback.
func (c *Callback) Ptr() uintptr {
	if c == nil || c.callbackState == nil {
		return 0
	}
	return c.slot.Ptr
}

// String describes the callback: its C type and pointer.
func (c *Callback) String() string {
	if c == nil || c.callbackState == nil {
		return "zero callback"
	}
	return fmt.Sprintf("callback %s at %#x", c.slot.Proto.Decl, c.slot.Ptr)
}

// Set makes the callback run fn from now on, under the same pointer. fn is
// checked against the callback's C signature like NewCallback's. Calls
// already running finish with the old func; each call sees either the old or
// the new one.
func (c *Callback) Set(fn any) error {
	if c == nil || c.callbackState == nil {
		return errfmt.Errorf("ffi: Set: %w", ErrZeroCallback)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.freed {
		return errfmt.Errorf("ffi: Set on %s: %w", c, ErrFreed)
	}
	if err := c.slot.Set(fn); err != nil {
		return errfmt.Errorf("ffi: Set on %s: %w", c, err)
	}
	return nil
}

// Free releases the callback: calls that C had already started still run
// its Go func, later calls are stale, its Go func stops being referenced
// once 16,384 more callbacks were freed, and its slot is reused by a later
// callback after a quarantine of as many other freed slots (see the
// package documentation). Calling the
// pointer after Free is a bug in the C code; until the slot is reused it is
// detected (see SetStaleCallbackHandler). A second Free
// returns an error wrapping ErrFreed, also through a copy of the Callback.
func (c *Callback) Free() error {
	if c == nil || c.callbackState == nil {
		return errfmt.Errorf("ffi: Free: %w", ErrZeroCallback)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.freed {
		return errfmt.Errorf("ffi: Free on %s: %w", c, ErrFreed)
	}
	c.freed = true
	c.slot.Free()
	return nil
}

// CodeBytes reports the bytes of executable memory mapped for callback
// slots so far. Memory is added in groups as callbacks are created and
// reused after Free; it is never returned to the system.
func CodeBytes() int {
	return upcall.CodeBytes()
}

// StaleCallbackHandler is called when C calls a callback pointer whose
// callback was freed (see SetStaleCallbackHandler).
type StaleCallbackHandler func(ptr uintptr, info string)

// SetStaleCallbackHandler installs h to be called when C code calls the
// pointer of a freed callback before its slot has been reused; the call then
// returns zero (all result registers cleared). With no handler (the default,
// or h == nil) such a call ends the process with a message naming the slot.
// Detection lasts until the slot is reused, which happens only after many
// other callbacks have been freed (see the package documentation).
func SetStaleCallbackHandler(h StaleCallbackHandler) {
	if h == nil {
		upcall.SetStaleHandler(nil)
		return
	}
	upcall.SetStaleHandler(h)
}
