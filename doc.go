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
// A bound call, like a cgo call, tells the scheduler that the goroutine is
// in a system call, so that C may block and may call back into Go. Binding
// with the Leaf option skips that transition for C functions that do
// neither: a leaf call runs on the thread's system stack while the
// goroutine keeps its P, and costs a few nanoseconds instead of a few tens.
// Its contract, with the reasons: the C function must return quickly (its
// goroutine cannot be preempted meanwhile, so a long call delays garbage
// collection and other goroutines like a tight Go loop does), must not
// block (the scheduler does not know, and keeps the P idle), and must not
// call back into Go (the runtime's way in expects a thread in a system
// call). A Callback called from inside a leaf call ends the process with a
// message naming the callback and the bound function, before it enters the
// runtime.
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
// started before Set or Free finish with the func they started with.
//
// Re-entry: a callback may call C that calls back, to any depth the C and
// Go stacks allow. A callback may block (channels, sleeps, locks) without
// stalling other goroutines.
//
// Panics: a panic in a callback that runs inside a call from Go into C
// (through Bind, cgo or purego) unwinds to that Go caller, where recover
// sees the original value. The C frames in between are abandoned, as cgo
// does: C cleanup code in them does not run, and C locks they hold stay
// held. A panic in a callback on a thread that C created has no Go caller
// to reach: the process ends with a message naming the callback and the
// panic value.
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
// # Platforms
//
// Callbacks and calls work on linux/amd64 (System V AMD64), with cgo
// enabled or disabled. The AAPCS64 and Windows x64 classifiers exist and
// are tested on every host, but are not yet wired to a runtime entry.
package ffi
