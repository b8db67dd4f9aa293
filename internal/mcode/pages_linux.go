package mcode

import (
	"errors"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/errfmt"
	"golang.org/x/sys/unix"
)

// On Linux a process may run under a policy that refuses to make memory
// executable once it has been writable (prctl PR_SET_MDWE, or seccomp
// filters like systemd's MemoryDenyWriteExecute=). Then groups are made
// another way that never has a writable mapping at all: a memfd is mapped
// read-execute and shared, and the code is written into the file with
// pwrite, which the mapping sees.

//
// The policy may also be turned on while the process runs (PR_SET_MDWE is
// one-way, and any library may call it), so the choice is not final: when
// sealing a group by mprotect is refused, the memfd way is used from then
// on and the group is built again that way.

var (
	probeOnce sync.Once
	useMemfd  atomic.Bool
)

// mapRegion returns memory for one group by the way that works here.
func mapRegion(n int) (region, error) {
	probeOnce.Do(func() {
		if !mprotectExecAllowed() {
			useMemfd.Store(true)
		}
	})
	if useMemfd.Load() {
		return mapMemfd(n)
	}
	r, err := mapProtect(n)
	if err != nil {
		return r, err
	}
	seal := r.seal
	r.seal = func() error {
		err := seal()
		if errors.Is(err, unix.EACCES) || errors.Is(err, unix.EPERM) {
			useMemfd.Store(true)
			return errfmt.Errorf("%w (%w)", errRetry, err)
		}
		return err
	}
	return r, nil
}

// mprotectExecAllowed reports whether a written page may become executable.
func mprotectExecAllowed() bool {
	r, err := mapProtect(unix.Getpagesize())
	if err != nil {
		return true // let the real attempt report the error
	}
	defer r.drop()
	err = r.seal()
	return !errors.Is(err, unix.EACCES) && !errors.Is(err, unix.EPERM)
}

// mapMemfd maps a fresh memfd of n bytes read-execute; seal writes the
// code into it.
func mapMemfd(n int) (region, error) {
	fd, err := unix.MemfdCreate("ffi-callbacks", unix.MFD_CLOEXEC)
	if err != nil {
		return region{}, errfmt.Errorf("mcode: memfd_create: %w", err)
	}
	if err := unix.Ftruncate(fd, int64(n)); err != nil {
		unix.Close(fd)
		return region{}, errfmt.Errorf("mcode: ftruncate memfd: %w", err)
	}
	code, err := unix.Mmap(fd, 0, n, unix.PROT_READ|unix.PROT_EXEC, unix.MAP_SHARED)
	if err != nil {
		unix.Close(fd)
		return region{}, errfmt.Errorf("mcode: mmap memfd read+exec: %w", err)
	}
	buf := make([]byte, n)
	return region{
		write: buf,
		base:  uintptr(unsafe.Pointer(unsafe.SliceData(code))),
		seal: func() error {
			defer unix.Close(fd)
			for off := 0; off < n; {
				w, err := unix.Pwrite(fd, buf[off:], int64(off))
				if err != nil {
					return errfmt.Errorf("mcode: pwrite memfd: %w", err)
				}
				off += w
			}
			return nil
		},
		drop: func() { _ = unix.Munmap(code); unix.Close(fd) },
	}, nil
}
