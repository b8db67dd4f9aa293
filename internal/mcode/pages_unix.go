//go:build unix

package mcode

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// mapRW maps n bytes of fresh anonymous memory, readable and writable.
func mapRW(n int) ([]byte, error) {
	b, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("mcode: mmap %d bytes: %w", n, err)
	}
	return b, nil
}

// protectRX makes b readable and executable and no longer writable.
func protectRX(b []byte) error {
	if err := unix.Mprotect(b, unix.PROT_READ|unix.PROT_EXEC); err != nil {
		return fmt.Errorf("mcode: mprotect read+exec: %w", err)
	}
	return nil
}

// unmap releases b. It is used only for a group that never became
// executable, so no code pointer into it was ever handed out.
func unmap(b []byte) { _ = unix.Munmap(b) }
