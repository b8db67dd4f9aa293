package mcode

import (
	"errors"
	"os"
	"sync"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Place copies code that does not depend on its own address into
// executable memory (never writable and executable at once, never
// unmapped) and returns its address. On Linux small pieces share pages
// (pack_linux.go); elsewhere, and where packing is not available, each
// piece maps a whole number of pages of its own.
//
// Placed code lives as long as the process, so Place places each distinct
// piece once: code of the same bytes as an earlier piece gets that piece's
// address. Callers may therefore place the code of every shape they meet
// (bound-call stubs, callback movers) without bounding it themselves: the
// memory taken grows with the number of distinct pieces, not of calls.
func Place(code []byte) (uintptr, error) {
	if len(code) == 0 {
		return 0, errors.New("mcode: no code to place")
	}
	placed.Lock()
	defer placed.Unlock()
	if addr, ok := placed.byCode[string(code)]; ok {
		return addr, nil
	}
	addr, err := placeNew(code)
	if err != nil {
		return 0, err
	}
	if placed.byCode == nil {
		placed.byCode = make(map[string]uintptr)
	}
	placed.byCode[string(code)] = addr
	return addr, nil
}

// placed holds the address of every piece Place has placed, by its bytes.
var placed struct {
	sync.Mutex
	byCode map[string]uintptr
}

// placeNew places code that was not placed before.
func placeNew(code []byte) (uintptr, error) {
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
