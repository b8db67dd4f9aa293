package leaf

import (
	"sync"
	"syscall"
)

// Releasing entries at thread exit (see exit_linux.go): on Windows the
// hook is a fiber-local storage index whose callback, release, Windows
// calls as a thread exits with the thread's non-NULL value of the index;
// callLeaf stores the entry it claims as that value (exitRegister in
// leaf_windows_amd64.s). Go's own threads end by returning from their
// thread procedure, so the callback runs for them too.

// Read by the assembly.
var (
	// flsSetValue is FlsSetValue, or 0 until the index exists (then
	// callLeaf does not register entries).
	flsSetValue uintptr
	// exitKey is the fiber-local storage index.
	//lint:ignore U1000 read by exitRegister (assembly)
	exitKey uint64
	// releasePC is the address of release (set in assembly).
	releasePC uintptr
)

var exitOnce sync.Once

// prepareExit makes the fiber-local storage index whose callback releases
// a thread's entry. It runs once, before the first leaf call can claim an
// entry (Name). If it fails, entries are not released.
func prepareExit() {
	exitOnce.Do(func() {
		k := syscall.NewLazyDLL("kernel32.dll")
		alloc, set := k.NewProc("FlsAlloc"), k.NewProc("FlsSetValue")
		if alloc.Find() != nil || set.Find() != nil {
			return
		}
		idx, _, _ := alloc.Call(releasePC)
		if uint32(idx) == 0xFFFFFFFF { // FLS_OUT_OF_INDEXES
			return
		}
		exitKey, flsSetValue = uint64(idx), set.Addr()
	})
}
