//go:build unix

package mcode

import (
	"sync/atomic"

	"github.com/seed5ca82032/ffi/internal/errfmt"
	"golang.org/x/sys/unix"
)

// denyExec: see DenyWriteExecute.
var denyExec atomic.Bool

// DenyWriteExecute makes every later mprotect of written memory to
// executable in this process fail with EACCES, the answer of Linux under
// prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN). It is for tests of what the
// package does under that policy where the kernel or the emulator refuses
// the prctl itself (qemu-user, Linux before 6.3); it cannot be undone, like
// the policy.
func DenyWriteExecute() { denyExec.Store(true) }

// region is memory for one group: code is written into write, computed for
// (and later executed at) base, then seal makes it executable and not
// writable.
type region struct {
	write []byte
	base  uintptr
	seal  func() error
	drop  func()
}

// mapProtect maps n bytes read-write, to be switched to read-execute by
// mprotect once written: the group is never writable and executable at once.
func mapProtect(n int) (region, error) {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return region{}, errfmt.Errorf("mcode: mmap %d bytes: %w", n, err)
	}
	return region{
		write: b,
		base:  addrOf(b),
		seal: func() error {
			if denyExec.Load() {
				return errfmt.Errorf("mcode: mprotect read+exec: %w", unix.EACCES)
			}
			if err := unix.Mprotect(b, unix.PROT_READ|unix.PROT_EXEC); err != nil {
				return errfmt.Errorf("mcode: mprotect read+exec: %w", err)
			}
			return nil
		},
		drop: func() { _ = unix.Munmap(b) },
	}, nil
}
