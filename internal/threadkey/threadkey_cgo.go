//go:build cgo && unix

package threadkey

/*
#include <stdint.h>
#include <stddef.h>

// Defined by runtime/cgo (gcc_libinit.c): the wait that cgo's export
// wrappers make before crosscall2, which also creates the thread key that
// keeps a C-created thread's M bound to it between calls.
extern size_t _cgo_wait_runtime_init_done(void);
extern uintptr_t x_cgo_pthread_key_created;

static void ffi_bind_threads(void) { _cgo_wait_runtime_init_done(); }
static int ffi_threads_bound(void) { return x_cgo_pthread_key_created != 0; }
*/
import "C"

import "sync"

// Supported reports whether BindThreads works here: with cgo on, on Unix;
// with cgo off, on Linux and macOS (amd64, arm64).
const Supported = true

var bindOnce sync.Once

// BindThreads makes the runtime keep the Go M of a thread that C created
// bound to that thread between its callbacks, as it does for cgo's
// exported functions: without it, every callback on such a thread attaches
// and detaches an M (needm, dropm: about 2 µs). The entry calls crosscall2
// directly, so the first slot made calls this instead, once, through
// runtime/cgo's own wait (which creates the thread key the runtime checks).
func BindThreads() { bindOnce.Do(func() { C.ffi_bind_threads() }) }

// ThreadsBound reports whether the runtime keeps C-created threads' Ms
// bound between callbacks (the thread key exists).
func ThreadsBound() bool { return C.ffi_threads_bound() != 0 }
