package mcode

import (
	"errors"
	"os"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Place copies code that does not depend on its own address into
// executable memory (never writable and executable at once, never
// unmapped) and returns its address. On Linux small pieces share pages
// (pack_linux.go); elsewhere, and where packing is not available, each
// call maps a whole number of pages of its own. Callers keep what they
// place for the life of the process and share it.
func Place(code []byte) (uintptr, error) {
	if len(code) == 0 {
		return 0, errors.New("mcode: no code to place")
	}
	if addr, ok := placePacked(code); ok {
		return addr, nil
	}
	page := os.Getpagesize()
	n := (len(code) + page - 1) / page * page
	base, err := place(code, n)
	if errors.Is(err, errRetry) {
		base, err = place(code, n)
	}
	if err != nil {
		return 0, errfmt.Errorf("mcode: cannot place %d bytes of code: %w", len(code), err)
	}
	return base, nil
}

func place(code []byte, n int) (uintptr, error) {
	r, err := mapRegion(n)
	if err != nil {
		return 0, err
	}
	copy(r.write, code)
	if err := r.seal(); err != nil {
		r.drop()
		return 0, err
	}
	syncICache(r.base, uintptr(n))
	return r.base, nil
}
