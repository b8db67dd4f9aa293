// Package leaf runs leaf calls, calls into C on the system stack without
// the runtime's system-call transition, and catches the one misuse that
// would otherwise corrupt the runtime: C calling back into Go through a
// callback slot from inside a leaf call.
//
// A leaf call (Call) goes through runtime·asmcgocall, which switches to the
// thread's system stack (g0) and calls a C-ABI function there; the
// goroutine keeps its P and stays "running" for the runtime. If C then
// called a callback, runtime·cgocallback would treat the thread as one in a
// system call and fail in exitsyscall with a runtime error, or worse. So a
// leaf call records, for the thread it runs on, the name of the bound C
// function; the callback entry calls Crosscall2 instead of crosscall2, and
// Crosscall2 checks that record before entering the runtime. A callback
// found inside a leaf call ends the process with a message naming the bound
// function and the callback, without entering the runtime.
//
// # The thread table
//
// threads is an open-addressed table of OS threads that have made a leaf
// call, keyed by a thread identity that both sides read from the thread
// itself: on amd64 the g in thread-local storage (during C code, the M's
// g0; on Windows read through the runtime's TLS slot, see
// leaf_windows_amd64.go), on arm64 the thread pointer TPIDR_EL0. A thread claims its entry
// with one compare-and-swap on its first leaf call and keeps it; after that
// a leaf call costs two plain stores (the name, then zero). An entry is
// only ever read by its own thread, so program order is all the
// synchronization the check needs. A thread's entry is released when the
// thread exits (a thread key's destructor on Linux, exit_linux.go; a
// fiber-local storage callback on Windows, exit_windows_amd64.go), and a
// later thread claims it again, so a process whose threads come and go
// does not fill the table. A thread looks for its own entry up to the
// first never used one, then claims the first unused or released one. If
// the probe window of a thread is full (more than probes live threads
// that made leaf calls hash to it), its leaf calls run unrecorded, and a
// misuse on it is not caught before the runtime's own check.
//
// The check in Crosscall2 costs one load and a branch until the first leaf
// call of the process, and a hash and one or two loads after that.
package leaf

import (
	"sync"
	"unsafe"

	_ "github.com/ebitengine/purego" // links crosscall2 with cgo on and off
)

// thread is one entry of the thread table. Its layout is used by the
// assembly through go_asm.h; 64 bytes keep each entry on its own cache line.
type thread struct {
	key  uintptr // thread identity; 0 while the entry is free
	name uintptr // *string naming the bound function during a leaf call, 0 otherwise
	//lint:ignore U1000 written and read by leaf_arm64.s
	g uintptr // arm64: the g register (the M's g0) during the leaf call
	_ [5]uintptr
}

const (
	tableBits = 12
	probes    = 8 // entries a thread may try, from its hash on
	// released is the key of an entry whose thread has exited (exit.go):
	// never a thread identity (those are aligned addresses), and
	// claimable like a never used entry (key 0).
	released = 1
)

var (
	threads [1 << tableBits]thread
	// used is set once a thread has claimed an entry: until then
	// Crosscall2 goes straight to crosscall2.
	used uint8
)

// Call calls the C-ABI function fn(frame) on the system stack of the
// current thread without the system-call transition, recording name as the
// function running there. fn must be callC of package downcall (or a
// function with its contract): it must not block and must not call into Go.
// name must not be nil and must stay reachable for the life of the
// process (use Name).
func Call(fn uintptr, frame unsafe.Pointer, name *string) {
	if raceEnabled {
		raceSync()
	}
	call(fn, frame, name)
	if raceEnabled {
		raceSync()
	}
}

// RaceEnabled reports whether the race detector is on: Call then tells it
// about the call (callers that enter the stub themselves must not).
const RaceEnabled = raceEnabled

// StubPC returns the address of the system-stack half of Call: a C-ABI
// function taking a pointer to the three words (fn, frame, name), for
// callers that run it through runtime·asmcgocall themselves. It is 0 where
// Supported is false, and on Windows (whose stub takes Microsoft x64
// arguments).
func StubPC() uintptr { return stubPC }

// EnterPC returns the address of the thread-record routine that Call's
// system-stack half runs before the C function, for compiled leaf stubs
// that record the leaf call themselves (stub.Call.Enter), or 0 where there
// is none (Supported false, Windows). It is called on the system stack
// inside runtime·asmcgocall with the C ABI: the bound function's name (a
// *string from Name) in the first integer argument register; it returns
// in the first integer result register the address of a word that the
// caller sets to 0 once the C function has returned, and keeps the
// callee-saved registers.
func EnterPC() uintptr { return enterPC }

var (
	namesMu sync.Mutex
	names   = map[string]*string{}
)

// Name returns a pointer to a copy of s that stays valid for the life of
// the process, the same pointer for equal strings, for Call's name
// argument.
func Name(s string) *string {
	prepareExit()
	namesMu.Lock()
	defer namesMu.Unlock()
	p := names[s]
	if p == nil {
		p = new(string)
		*p = s
		names[s] = p
	}
	return p
}

// Reporter adds to m a description of the callback whose entry frame is
// frame, for the misuse message. It runs on the system stack of a thread
// that is inside a leaf call, with no Go runtime services: it must be
// //go:norace, must not allocate, lock, use sync/atomic or call anything
// but Msg's methods.
type Reporter func(m *Msg, frame unsafe.Pointer)

var reporter Reporter

// SetReporter installs the description of callbacks used by the misuse
// message. Call it from an init function, before any callback can run.
func SetReporter(r Reporter) { reporter = r }

// Msg is a fixed buffer for the misuse message: it is built without
// allocating, on the system stack.
type Msg struct {
	b [1024]byte
	n int
}

// Str appends s, as much as fits.
//
//go:norace
//go:nosplit
func (m *Msg) Str(s string) {
	for i := 0; i < len(s) && m.n < len(m.b); i++ {
		m.b[m.n] = s[i]
		m.n++
	}
}

// Uint appends v in decimal.
//
//go:norace
//go:nosplit
func (m *Msg) Uint(v uint64) {
	var d [20]byte
	i := len(d)
	for {
		i--
		d[i] = byte('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	for ; i < len(d) && m.n < len(m.b); i++ {
		m.b[m.n] = d[i]
		m.n++
	}
}

// String returns the text so far (for tests; it allocates).
func (m *Msg) String() string { return string(m.b[:m.n]) }

var msg Msg

// misuse is called by Crosscall2 when a callback entered from inside a leaf
// call: frame is the callback's entry frame and name the bound function of
// the leaf call. It runs on the system stack (g0) with the goroutine's P
// held, so it touches nothing of the runtime: it formats into a static
// buffer, writes it to standard error with a raw system call (WriteFile on
// Windows) and ends the process with exit status 2.
//
//go:norace
func misuse(frame unsafe.Pointer, name *string) {
	m := &msg
	m.Str("ffi: ")
	if reporter != nil {
		reporter(m, frame)
	} else {
		m.Str("a callback")
	}
	m.Str(" was called from inside the leaf call of ")
	m.Str(*name)
	m.Str(": a C function bound with ffi.Leaf must not call back into Go; bind ")
	m.Str(*name)
	m.Str(" without ffi.Leaf\n")
	if m.n == len(m.b) {
		m.b[m.n-1] = '\n'
	}
	writeErr(&m.b[0], m.n)
	exit2()
}
