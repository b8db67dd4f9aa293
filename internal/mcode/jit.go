package mcode

import "runtime"

// jitOps are the calls that fill a MAP_JIT mapping on Apple silicon (see
// pages_darwin_arm64.go); plain functions, so that the sequence in
// jitRegion is tested on every host.
type jitOps struct {
	// writeProtect is pthread_jit_write_protect_np: true makes every
	// MAP_JIT mapping executable and not writable for the calling thread,
	// false writable and not executable for it. Other threads keep their
	// own setting (executable by default), so code keeps running on them
	// while one thread writes.
	writeProtect func(protect bool)
	// unmap releases the mapping.
	unmap func()
}

// jitRegion returns the region for the MAP_JIT mapping code at base. The
// group is built in a Go buffer, as for a memfd; seal copies it into the
// mapping on one locked thread with that thread's write protection lifted
// for the copy only, then puts it back, so the mapping is never writable
// and executable at once for any thread. The caller flushes the
// instruction cache afterwards (syncICache), as for every group.
func jitRegion(code []byte, base uintptr, ops jitOps) region {
	buf := make([]byte, len(code))
	return region{
		write: buf,
		base:  base,
		seal: func() error {
			// The setting belongs to the thread: lift it, write and put
			// it back without leaving this thread.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			ops.writeProtect(false)
			copy(code, buf)
			ops.writeProtect(true)
			return nil
		},
		drop: ops.unmap,
	}
}
