//go:build unix

package mcode

import (
	"fmt"

	"golang.org/x/sys/unix"
)

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
		return region{}, fmt.Errorf("mcode: mmap %d bytes: %w", n, err)
	}
	return region{
		write: b,
		base:  addrOf(b),
		seal: func() error {
			if err := unix.Mprotect(b, unix.PROT_READ|unix.PROT_EXEC); err != nil {
				return fmt.Errorf("mcode: mprotect read+exec: %w", err)
			}
			return nil
		},
		drop: func() { _ = unix.Munmap(b) },
	}, nil
}
