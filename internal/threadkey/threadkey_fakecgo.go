//go:build !cgo && (linux || darwin) && (amd64 || arm64)

package threadkey

import (
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/gateway"
)

// Supported reports whether BindThreads works here: with cgo on, on Unix;
// with cgo off, on Linux and macOS (amd64, arm64).
const Supported = true

// The runtime's two hooks for keeping a C-created thread's M (runtime/cgo.go):
// the runtime skips dropm after a callback when *_cgo_pthread_key_created
// is not 0, and stores the thread's g0 with _cgo_bindm (called on the
// system stack as a C function of one argument) the first time. purego's
// runtime stand-in defines both (these declarations are the same symbols)
// but never makes a key, so the runtime attaches and detaches an M on every
// callback from such a thread.
//
//go:linkname _cgo_pthread_key_created _cgo_pthread_key_created
var _cgo_pthread_key_created unsafe.Pointer

//go:linkname _cgo_bindm _cgo_bindm
var _cgo_bindm unsafe.Pointer

// Read by the assembly (threadkey_fakecgo_*.s) from C.
var (
	// key is the thread key (pthread_key_t: an unsigned int on Linux, an
	// unsigned long on macOS; zero-extended here either way).
	//lint:ignore U1000 read by bindm (assembly)
	key uint64
	// setspecific is pthread_setspecific, which bindm tail-calls.
	//lint:ignore U1000 read by bindm (assembly)
	setspecific uintptr
	// crosscall2 is the entry from C into Go, which destructor tail-calls.
	//lint:ignore U1000 read by destructor (assembly)
	crosscall2 uintptr
)

// created is what _cgo_pthread_key_created points to once the key exists.
var created uintptr = 1

var bindOnce sync.Once

// BindThreads makes the runtime keep the Go M of a thread that C created
// bound to that thread between its callbacks, as runtime/cgo does for cgo's
// exported functions: without it, every callback on such a thread attaches
// and detaches an M (needm, dropm: about 2 µs). With cgo off it makes the
// thread key itself, with the destructor runtime/cgo uses (the M is dropped
// when the thread exits), and points the runtime's hooks at it. It does
// nothing if the key already exists or the runtime stand-in is missing.
func BindThreads() { bindOnce.Do(bindThreads) }

func bindThreads() {
	if _cgo_pthread_key_created == nil || *(*uintptr)(_cgo_pthread_key_created) != 0 {
		return
	}
	k, set, err := NewKey(destructorPC())
	if err != nil {
		return
	}
	key, setspecific, crosscall2 = k, set, gateway.Crosscall2()
	// The hook first, then the flag that makes the runtime use it.
	atomic.StorePointer(&_cgo_bindm, bindmAddr())
	atomic.StorePointer(&_cgo_pthread_key_created, unsafe.Pointer(&created))
}

// ThreadsBound reports whether the runtime keeps C-created threads' Ms
// bound between callbacks (the thread key exists).
func ThreadsBound() bool {
	p := atomic.LoadPointer(&_cgo_pthread_key_created)
	return p != nil && *(*uintptr)(p) != 0
}

// bindmAddr returns the address of bindm, the runtime's _cgo_bindm hook.
func bindmAddr() unsafe.Pointer

// destructorPC returns the address of destructor, the key's destructor.
func destructorPC() uintptr
