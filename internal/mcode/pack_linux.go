package mcode

import (
	"fmt"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"
)

// On Linux, Place packs code: each piece is appended, at a multiple of
// packAlign, to a shared memfd of packSize bytes mapped read-execute (a
// pack), by writing into the file with pwrite. No mapping of a pack is ever
// writable, so this obeys the strictest write-xor-execute policies (the
// same way mapMemfd builds groups under them); the bytes written are ones
// no thread has been given the address of yet. Without packing every
// compiled call stub took a page of its own (64 KB on some arm64 kernels),
// and a variadic function up to one per sequence of argument types.
//
// A pack's file stays open for the life of the process. After a fork the
// child shares the packs' pages with its parent, so a child that goes on
// running Go code (which the Go runtime does not support anyway) must not
// place code.

const (
	// packSize is the size of one pack (or a page, if larger).
	packSize = 64 << 10
	// packAlign keeps pieces on separate cache lines.
	packAlign = 64
)

// pack is one shared read-execute memfd mapping being filled.
type pack struct {
	fd   int
	base uintptr
	size int
	used int
}

var packs struct {
	sync.Mutex
	cur *pack
	off bool // packing failed once (no memfd here): Place maps pages
}

// placePacked places code in the current pack, or a new one when it is
// full, and returns its address; ok is false when code is too large for a
// pack or packing is not available (then Place maps pages of its own).
func placePacked(code []byte) (addr uintptr, ok bool) {
	packs.Lock()
	defer packs.Unlock()
	size := max(packSize, os.Getpagesize())
	if packs.off || len(code) > size/4 {
		return 0, false
	}
	p := packs.cur
	if p == nil || alignUp(p.used, packAlign)+len(code) > p.size {
		np, err := newPack(size)
		if err != nil {
			packs.off = true
			return 0, false
		}
		p, packs.cur = np, np
	}
	off := alignUp(p.used, packAlign)
	for n := 0; n < len(code); {
		w, err := unix.Pwrite(p.fd, code[n:], int64(off+n))
		if err != nil {
			// The pack's end may hold part of the code: leave it unused.
			p.used = p.size
			return 0, false
		}
		n += w
	}
	p.used = off + len(code)
	syncICache(p.base+uintptr(off), uintptr(len(code)))
	return p.base + uintptr(off), true
}

// newPack makes a memfd of size bytes and maps it read-execute, shared.
func newPack(size int) (*pack, error) {
	fd, err := unix.MemfdCreate("ffi-code", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("mcode: memfd_create: %w", err)
	}
	if err := unix.Ftruncate(fd, int64(size)); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("mcode: ftruncate memfd: %w", err)
	}
	m, err := unix.Mmap(fd, 0, size, unix.PROT_READ|unix.PROT_EXEC, unix.MAP_SHARED)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("mcode: mmap memfd read+exec: %w", err)
	}
	return &pack{fd: fd, base: uintptr(unsafe.Pointer(unsafe.SliceData(m))), size: size}, nil
}

func alignUp(n, a int) int { return (n + a - 1) &^ (a - 1) }
