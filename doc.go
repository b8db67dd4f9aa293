// Package ffi turns Go functions into C function pointers for any C
// signature known at run time, and binds C functions to typed Go funcs.
//
// # Callbacks
//
// NewCallback takes a C signature and a Go func and returns a Callback
// whose Ptr is a real C function pointer: C code calls it like any other.
// NewCallbackFunc infers the C signature from the Go func type. Set
// retargets a callback under the same pointer; Free releases it.
//
// Each pointer is a slot in executable memory that jumps to a common
// entry; the entry saves the argument registers in a frame on the C stack
// and enters Go through the runtime's own path for C calling Go (the one
// cgo's //export uses), which works whether cgo is enabled or not.
// Arguments are converted by the platform's calling convention, classified
// once per signature; common signatures are called without reflection and
// without allocation.
//
// # Calling C
//
// Open loads a shared library, Library.Sym finds a symbol, and
// Library.Bind and Bind set a Go func variable that calls a C function
// given its C declaration. Cdef declares types and functions; Sizeof,
// Alignof and Offsetof report the C layout of a type.
//
// # Guarantees
//
// Threads: any number of threads may be inside callbacks at once, threads
// that C created included: the runtime attaches such a thread on its first
// callback, which costs more than later calls. Per-call state lives in the
// caller's stack frame. Each call needs one of the GOMAXPROCS Ps, so many C
// threads calling at once take turns, as with cgo's //export.
//
// Set: a call sees either the old or the new func, never a mix. Calls that
// started before Set or Free finish with the func they started with, also
// a call that C has made but whose thread is still waiting to run Go code
// when Free returns: the entry records each call before entering Go.
//
// Re-entry: a callback may call C that calls back, to any depth the C and
// Go stacks allow. A callback may block (channels, sleeps, locks) without
// stalling other goroutines.
//
// Panics: a panic in a callback that runs inside a call from Go into C
// (through Bind, cgo or purego) unwinds to that Go caller, where recover
// sees the original value, however deep in the callback it was raised and
// however many Go → C → Go re-entries lie in between. The C frames in
// between are abandoned, as cgo does: C cleanup code in them does not run,
// and C locks they hold stay held. A panic in a callback on a thread that C
// created has no Go caller to reach: the process ends with a message naming
// the callback and the panic value, also when the panic was raised further
// down a chain of re-entries that began on that thread.
//
// Callback values: a Callback is used through the *Callback that
// NewCallback returns. A copy of the struct shares the original's state, so
// its slot is freed once: the second Free, through any copy, returns
// ErrFreed. The zero Callback's Ptr is 0 and its Set and Free return
// ErrZeroCallback; the zero Library's methods return ErrNotOpen.
//
// Freed pointers: a freed slot waits in a FIFO quarantine behind 16,384
// other freed slots before it is reused. Until then, C calling the freed
// pointer is detected: the process ends with a message naming the slot, or,
// if SetStaleCallbackHandler installed a handler, the handler is called and
// the call returns zero. After reuse, a stale pointer runs the new callback:
// C code must not call a pointer after Free.
//
// Memory: the library keeps the Go func of a live callback reachable (no
// runtime.KeepAlive needed) and drops it at Free. Executable memory grows
// in 256 KiB groups as needed and is reused after Free; it is never
// unmapped, since C code may still hold pointers into it. There is no limit
// on the number of callbacks other than memory.
//
// Hardening: executable memory is never writable and executable at once.
// Where the process may not make written memory executable (Linux
// PR_SET_MDWE, seccomp policies such as systemd's MemoryDenyWriteExecute),
// groups are built in a memfd mapped read-execute and written with pwrite;
// if no executable memory can be had at all, NewCallback returns an error.
//
// Go memory in C: a union (or a struct with bitfields) passed by value
// matches only a Go type without pointers, since its bytes are whatever C
// stored: NewCallback and Bind refuse strings, interfaces, maps, channels,
// funcs, slices and pointers there, naming the part (use uintptr for a
// pointer member). For the same reason Bind refuses a slice whose elements
// hold Go pointers ([]string for char **, []*T, [][]byte, []any): C would
// read Go headers. Names passed to C (Open, Sym, declarations) may not
// contain NUL bytes.
//
// # Limits
//
// Pointers as uintptr: a uintptr argument is an integer to the compiler.
// uintptr(unsafe.Pointer(&x)) may leave x on the goroutine's stack, and a
// callback during the call may grow that stack, which copies it elsewhere
// and updates the pointers Go knows of, not the address C was given: C then
// reads and writes the old, freed stack, and its writes are lost (with
// GODEBUG=efence=1 they fault). Pass Go memory as unsafe.Pointer, a Go
// pointer type or a slice: a bound func is called through a func value, so
// the compiler moves what such an argument points to off the stack, and the
// object stays reachable for the call. uintptr is right for C memory and for
// Go memory that is pinned (runtime.Pinner) or otherwise known to be on the
// heap.
//
// Signal handlers: a callback must not be called from an asynchronous signal
// handler. The handler may have interrupted the thread anywhere, the Go
// runtime included, and entering Go there is not possible: the runtime ends
// the process ("fatal error: morestack on g0" or a similar message), or the
// thread deadlocks. Handle signals in Go with os/signal, or have the C
// handler only record the signal for a callback made later from ordinary
// code. cgo's exported functions have the same limit.
//
// Goexit: runtime.Goexit in a callback running inside a call from Go into C
// ends that goroutine, abandoning the C frames in between as a panic does.
// In a callback on a thread that C created there is no goroutine to end: the
// runtime ends the process with "fatal error: runtime.Goexit called in a
// thread that was not created by the Go runtime". This includes
// testing.T.FailNow and Fatal, which call Goexit.
//
// # Platforms
//
// Callbacks and calls work on linux/amd64 (System V AMD64), with cgo
// enabled or disabled. The AAPCS64 and Windows x64 classifiers exist and
// are tested on every host, but are not yet wired to a runtime entry.
package ffi
