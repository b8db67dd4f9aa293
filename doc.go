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
// once per signature: a signature of scalars and small structs runs on
// machine code made once for it that loads Go's argument registers
// straight from that frame. Calls use no reflection (unless the Go
// arguments take more than 8 KB of stack or there are more than four
// string parameters) and allocate nothing but the Go strings made for
// char * parameters.
//
// # Calling C
//
// Open loads a shared library, Library.Sym finds a symbol, Library.Var a
// C global variable, and Library.Bind and Bind set a Go func variable that
// calls a C function given its C declaration. Cdef declares types,
// functions and constants; Sizeof, Alignof and Offsetof report the C layout
// of a type, and Const the value of an enum or #define constant. A Scope
// keeps declarations apart from the default scope; Scope.Open opens a
// library whose Bind resolves names in that scope.
//
// # C headers
//
// A library's header can be the only declaration, in one of two ways.
//
// At run time: give Cdef (or Scope.Cdef) the C preprocessor's output of the
// header — cc -E -P for the declarations, cc -E -dD to keep the #define
// lines — pasted or embedded with go:embed, then bind functions by name
// and read constants with Const. Real headers are tested this way (glibc's
// stdio.h, stdlib.h, string.h, pthread.h; zlib.h, sqlite3.h, expat.h,
// curl/curl.h, libxml/parser.h, glib.h). What Cdef does with what such a
// header holds besides plain declarations:
//
//   - #define NAME <constant expression> defines a constant: integers
//     with suffixes, floating and character constants, string literals
//     (concatenated), earlier constants and enum values, casts to integer
//     types (also through a macro naming the type), arithmetic, and
//     invocations of function-like macros (glibc's UINT64_MAX is
//     (__UINT64_C(18446744073709551615)), with "#define __UINT64_C(c)
//     c ## UL"), expanded as the preprocessor would, ## included and #
//     (stringizing) not. Function-like macros themselves and macros that
//     are not constant expressions are kept; Const on one is an error.
//   - Skipped: # line markers, #pragma (but #pragma pack is followed),
//     #undef (it removes a macro), _Static_assert, __extension__,
//     attributes that do not change layout, and __asm__ labels, which name
//     the symbol Library.Bind looks up (glibc's sscanf is __isoc99_sscanf).
//   - Skipped and recorded: static and inline function bodies and static
//     data with an initializer. They have no symbol to bind; using one is
//     an error naming it, why, and the line:col of its declaration.
//   - Kept with gcc's size and alignment but refused by value (an error
//     naming the type and where it was written): __int128, _Float128,
//     _Float16, _Decimal32/64/128, _Complex T and __builtin_va_list, so
//     that structs holding them are laid out right and functions taking
//     them are refused only when bound.
//   - Laid out as gcc does: packed and aligned(N) on structs, unions,
//     members and typedefs, #pragma pack (N, push, pop, with names; the
//     value at a definition's closing brace applies), mode(QI, HI, SI, DI,
//     TI, word, pointer, byte, SF, DF) and vector_size(N) (a vector of N bytes is aligned to N, as
//     gcc places it in structs and reports with __alignof__; vectors are
//     refused by value). Attributes
//     that change layout in other ways (scalar_storage_order, ms_struct)
//     are errors.
//   - Anything else the parser does not know (#include, #if: text that was
//     not preprocessed; typeof, _Atomic, _BitInt) is an error naming it and
//     its line and column.
//
// At build time: cmd/ffigen runs the preprocessor on a header once and
// writes Go bindings — constants, Go structs mirroring the C structs (their
// layout checked against C when the bindings load), a func variable per
// function and a Load function — that build with CGO_ENABLED=0 and need no
// C toolchain at run time. examples/zlib and examples/sqlite are generated
// with it.
// # Strings, C memory and handles
//
// A Go string passed for a C char pointer is copied to a NUL-terminated
// buffer that lives for the call; a []byte is passed as the address of its
// first element, with no NUL added. Memory C keeps after a call must be C
// memory: Malloc and CString allocate it with the C library's malloc
// (found at run time, no cgo) and Free releases it, C's own allocations
// included. GoString, GoStringN and GoBytes copy C data into Go values.
// NewHandle turns a Go value into an integer that C can hold as void *
// user data and hand back to a callback, which gets the value with
// Handle.Value.
//
// # Passing pointers to C
//
// The rules are cgo's (https://pkg.go.dev/cmd/cgo#hdr-Passing_pointers),
// for the same reasons: Go may pass C a pointer to Go memory for the
// duration of a call, provided that the Go memory it points to holds no Go
// pointers (unless their targets are pinned with runtime.Pinner), and C may
// not keep a Go pointer after the call returns. Any Go pointer type is
// accepted for a C pointer parameter, so the compiler does not enforce
// this: a Go struct that mirrors a C struct must not hold Go pointers that
// C reads or writes. The classic failure is zlib's z_stream mirrored with
// Go pointer fields (next_in *byte): zlib advances next_in to one past the
// end of the input buffer and keeps the stream between calls, and a later
// garbage collection stops the program with "found bad pointer in Go heap"
// far from the mistake. Mirror such fields as uintptr (the collector
// ignores them; keep the buffers alive and pinned while C holds them), or
// put the struct and its buffers in C memory (Malloc).
//
// Setting the environment variable FFICHECK=1 makes every bound call check
// the rule, as GODEBUG=cgocheck=1 does for cgo: a call whose pointer,
// unsafe.Pointer or slice arguments point to Go memory holding Go pointers
// panics with an error naming the argument and the field
// ("z_stream.next_in holds Go pointer ..."). Structs passed by value and
// variadic arguments are not checked. The variable is read once at
// start-up (a Bind made while it is set checks its calls); when it is not
// set the check costs nothing. It uses the runtime's own cgo pointer check,
// so GODEBUG=cgocheck=0 disables it (the call then panics saying so).
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
// that C created included: the runtime attaches such a thread to an M (its
// record of a thread) on its first callback, which costs more than later
// calls. On Linux and macOS, with cgo on or off, and on other Unix systems
// with cgo on, the thread keeps that M until it exits, as it does for cgo's
// //export functions (the first Callback made creates the runtime's thread
// key). On Windows, as with cgo, every callback on such a thread attaches
// and detaches an M. Per-call state lives in the caller's stack frame. Each
// call needs one of the GOMAXPROCS Ps, so many C threads calling at once
// take turns, as with cgo's //export.
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
// C code must not call a pointer after Free. A call that C started before
// Free (another thread had already called the pointer, and had not yet
// reached Go) runs the func it started with, unless it reaches Go only
// after 16,384 further Frees: then it is reported as stale, never run with
// another callback's func.
//
// Memory: the library keeps the Go func of a live callback reachable (no
// runtime.KeepAlive needed). After Free it stays reachable, for the calls
// C started before Free, until 16,384 more callbacks were freed: the funcs
// of the last 16,384 freed callbacks (and what they capture) are not
// collected yet. Executable memory grows
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
// longjmp: C code must not longjmp (or throw a C++ exception) out of a
// callback, across its Go frames: Lua's lua_error and luaL_error called
// from a Go lua_CFunction, libpng's and libjpeg's error handlers that
// longjmp back to a setjmp in C. The Go frames are abandoned without the
// runtime knowing, their deferred functions do not run, and the runtime
// ends the process, at once or only later ("fatal error: exitsyscall:
// syscall frame is no longer valid"). Report the error to C through the
// callback's result and let C code raise it (a small C wrapper, or the
// library's own protected call that checks a status). cgo's exported
// functions have the same limit.
//
// # Platforms
//
// Callbacks and calls work on linux/amd64 (System V AMD64) and linux/arm64
// (AAPCS64), with cgo enabled or disabled; linux/arm64 is tested under
// qemu-user. darwin/arm64 (Apple's AAPCS64 variant, with the linux/arm64
// call stub and callback entry, and MAP_JIT pages) and darwin/amd64 build
// but are not tested: nothing here runs macOS. On darwin a leaf call
// switches to the system stack without the scheduler transition but has no
// misuse check.
//
// On windows/amd64 (Microsoft x64; tested under wine) callbacks enter Go
// through syscall.NewCallback's path and need no cgo; Open loads DLLs with
// LoadLibraryW, and Open("") is the program's own module (a Go program
// exports nothing: open msvcrt.dll for the C library). C long is 4 bytes
// there. A callback from inside a leaf call is caught there as on Linux.
package ffi
