//go:build linux && (amd64 || arm64)

package leaf

import (
	"sync"

	"github.com/seed5ca82032/ffi/internal/threadkey"
)

// Releasing entries at thread exit. A thread claims its entry of the
// table on its first leaf call and keeps it; when the thread exits, the
// entry must become claimable again, or a process whose threads come and
// go (goroutines that exit while locked to their thread, C threads) fills
// the table. The C library's thread keys give the hook: enter stores the
// entry it claims as the thread's value of exitKey (exitRegister in
// leaf_$GOARCH.s), and the key's destructor, release, marks the entry
// released as the thread exits. Go's own threads exit through the C
// library as well (runtime/cgo and purego's stand-in for it both create
// them with pthread_create), so their destructors run too.

// Read by the assembly.
var (
	// setspecific is pthread_setspecific, or 0 until the key exists (then
	// enter does not register entries).
	setspecific uintptr
	// exitKey is the thread key (a pthread_key_t, zero-extended).
	//lint:ignore U1000 read by enter (assembly)
	exitKey uint64
	// releasePC is the address of release (set in assembly).
	releasePC uintptr
)

var exitOnce sync.Once

// prepareExit makes the thread key whose destructor releases a thread's
// entry. It runs once, before the first leaf call can claim an entry
// (Name). If the C library's functions are not found, entries are not
// released (the table then fills as threads come and go: see the package
// documentation).
func prepareExit() {
	exitOnce.Do(func() {
		if k, set, err := threadkey.NewKey(releasePC); err == nil {
			exitKey, setspecific = k, set
		}
	})
}
