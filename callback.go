package ffi

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
)

// Callback is a Go func that C code can call through a C function pointer.
//
// A Callback is created by NewCallback or NewCallbackFunc, retargeted by Set
// and released by Free. Until Free, the library keeps the Go func alive and
// the pointer valid, whatever happens to the *Callback value itself: there is
// no finalizer, because only the program knows when C code stops using the
// pointer. Its methods are safe for concurrent use, also while C code on
// other threads is calling the pointer.
type Callback struct {
	mu    sync.Mutex
	id    uint32
	ptr   uintptr
	proto *proto // the C signature and its plan
	decl  string // the C signature, spelled in C
	rec   *record
	freed bool
}

// ErrFreed is returned (wrapped) by Callback methods called after Free.
var ErrFreed = errors.New("callback already freed")

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
		return nil, fmt.Errorf("ffi: NewCallback: %w", err)
	}
	cb, err := newCallback(p, fn)
	if err != nil {
		return nil, fmt.Errorf("ffi: NewCallback(%q): %w", decl, err)
	}
	return cb, nil
}

// NewCallbackFunc returns a Callback whose C signature is inferred from the
// Go func type of fn: int8/uint8 as signed/unsigned char, int16/uint16 as
// short, int32/uint32 as int, int64/uint64 (and int, uint, uintptr) as long
// long, float32 as float, float64 as double, bool as _Bool, unsafe.Pointer
// and Go pointers as void *, Go structs as C structs of the same layout.
func NewCallbackFunc(fn any) (*Callback, error) {
	if err := checkFunc(fn); err != nil {
		return nil, fmt.Errorf("ffi: NewCallbackFunc: %w", err)
	}
	p, err := protoOfFunc(reflect.TypeOf(fn))
	if err != nil {
		return nil, fmt.Errorf("ffi: NewCallbackFunc: %w", err)
	}
	cb, err := newCallback(p, fn)
	if err != nil {
		return nil, fmt.Errorf("ffi: NewCallbackFunc(%s): %w", p.decl, err)
	}
	return cb, nil
}

func checkFunc(fn any) error {
	if fn == nil {
		return errors.New("fn is nil")
	}
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func {
		return fmt.Errorf("fn is a %T, not a func", fn)
	}
	if v.IsNil() {
		return fmt.Errorf("fn is a nil %T", fn)
	}
	return nil
}

func newCallback(p *proto, fn any) (*Callback, error) {
	cb := &Callback{proto: p, decl: p.decl}
	b, err := p.bind(cb, fn)
	if err != nil {
		return nil, err
	}
	a, err := slots()
	if err != nil {
		return nil, err
	}
	id, ptr, err := a.Alloc()
	if err != nil {
		return nil, err
	}
	cb.id, cb.ptr = id, ptr
	cb.rec = table.ensure(id)
	cb.rec.gen.Add(1)
	cb.rec.last.Store(&cb.decl)
	cb.rec.b.Store(b)
	return cb, nil
}

// Ptr returns the C function pointer. It stays the same across Set and is
// valid until Free.
func (c *Callback) Ptr() uintptr { return c.ptr }

// String describes the callback: its C type and pointer.
func (c *Callback) String() string {
	return fmt.Sprintf("callback %s at %#x", c.decl, c.ptr)
}

// Set makes the callback run fn from now on, under the same pointer. fn is
// checked against the callback's C signature like NewCallback's. Calls
// already running finish with the old func; each call sees either the old or
// the new one.
func (c *Callback) Set(fn any) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.freed {
		return fmt.Errorf("ffi: Set on %s: %w", c, ErrFreed)
	}
	b, err := c.proto.bind(c, fn)
	if err != nil {
		return fmt.Errorf("ffi: Set on %s: %w", c, err)
	}
	c.rec.b.Store(b)
	return nil
}

// Free releases the callback: its Go func is no longer referenced, and its
// slot is reused by a later callback after a quarantine of many other freed
// slots. Calling the pointer after Free is a bug in the C code; until the
// slot is reused it is detected (see SetStaleCallbackHandler). A second Free
// returns an error wrapping ErrFreed.
func (c *Callback) Free() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.freed {
		return fmt.Errorf("ffi: Free on %s: %w", c, ErrFreed)
	}
	c.freed = true
	c.rec.b.Store(nil)
	arena.Free(c.id)
	return nil
}

// CodeBytes reports the bytes of executable memory mapped for callback
// slots so far. Memory is added in groups as callbacks are created and
// reused after Free; it is never returned to the system.
func CodeBytes() int {
	a, err := slots()
	if err != nil {
		return 0
	}
	_, _, mapped := a.Stats()
	return mapped
}
