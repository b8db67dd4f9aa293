package upcall

import (
	"encoding/binary"
	"errors"
	"runtime"

	"github.com/seed5ca82032/ffi/internal/a64"
	"github.com/seed5ca82032/ffi/internal/gateway"
	"github.com/seed5ca82032/ffi/internal/leaf"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// emitter writes the slot groups of the host: a header with three data
// words (the Go dispatcher's code pointer, crosscall2's address and where
// the slots' state words are) and the common entry, then one stub per slot.
// What differs per architecture (sizes, padding, and the encoders of
// internal/x86 and internal/a64) is its archEntry.
type emitter struct {
	arch                   archEntry
	dispatchPC, crosscall2 uintptr
}

// archEntry is an architecture's part of a slot group.
type archEntry struct {
	headerSize int // bytes reserved for the header, a multiple of slotSize
	entryOff   int // offset of the common entry in the header, after the data words
	slotSize   int
	// pad appends n bytes of trapping instructions.
	pad func(dst []byte, n int) []byte
	// appendEntry appends the common entry living at entry, which loads
	// the dispatcher, crosscall2 and the state words from the three data
	// words at the addresses given.
	appendEntry func(dst []byte, entry, dispatchWord, crosscall2Word, statesWord uintptr) ([]byte, error)
	// appendSlot appends the stub of slot id living at slotAddr.
	appendSlot func(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error)
}

// The slot groups of each architecture: a header with the entry at 64,
// 16-byte stubs, padding that traps. On x86-64 the entry follows the
// host's C convention: System V, or Microsoft x64 on Windows, where the
// gateway is the runtime's own C-to-Go path (see package gateway). On
// arm64 the Arena synchronizes the instruction cache once a group is
// sealed.
var (
	sysvEntry  = archEntry{headerSize: 512, entryOff: 64, slotSize: x86.SlotSize, pad: appendInt3, appendEntry: x86.AppendEntrySysV, appendSlot: x86.AppendSlot}
	win64Entry = archEntry{headerSize: 512, entryOff: 64, slotSize: x86.SlotSize, pad: appendInt3, appendEntry: x86.AppendEntryWin64, appendSlot: x86.AppendSlot}
	a64Entry   = archEntry{headerSize: 256, entryOff: 64, slotSize: a64.SlotSize, pad: appendBrk, appendEntry: a64.AppendEntry, appendSlot: a64.AppendSlot}
)

// entryFor returns the slot group of goos/goarch.
func entryFor(goos, goarch string) (archEntry, error) {
	switch {
	case goarch == "amd64" && goos == "windows":
		return win64Entry, nil
	case goarch == "amd64":
		return sysvEntry, nil
	case goarch == "arm64" && goos == "linux":
		return a64Entry, nil
	}
	return archEntry{}, errors.New("ffi: callbacks on " + goos + "/" + goarch + " are not implemented yet")
}

func newEmitter() (mcode.Emitter, error) {
	a, err := entryFor(runtime.GOOS, runtime.GOARCH)
	if err != nil {
		return nil, err
	}
	cc2 := leaf.Crosscall2() // crosscall2 behind the check for callbacks from leaf calls
	if cc2 == 0 {
		return nil, errors.New("ffi: crosscall2 is not linked")
	}
	return emitter{arch: a, dispatchPC: gateway.FuncPC(dispatch), crosscall2: cc2}, nil
}

func (e emitter) SlotSize() int   { return e.arch.slotSize }
func (e emitter) HeaderSize() int { return e.arch.headerSize }

func (e emitter) AppendHeader(dst []byte, base, states uintptr) ([]byte, uintptr, error) {
	dst = binary.LittleEndian.AppendUint64(dst, uint64(e.dispatchPC))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(e.crosscall2))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(states))
	dst = e.arch.pad(dst, e.arch.entryOff-len(dst))
	entry := base + uintptr(e.arch.entryOff)
	dst, err := e.arch.appendEntry(dst, entry, base, base+8, base+16)
	if err != nil {
		return nil, 0, err
	}
	return e.arch.pad(dst, e.arch.headerSize-len(dst)), entry, nil
}

func (e emitter) AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
	return e.arch.appendSlot(dst, id, slotAddr, entryAddr)
}

// appendInt3 appends n bytes of `int3`.
func appendInt3(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, 0xcc)
	}
	return b
}

// appendBrk appends n bytes (a multiple of 4) of `brk #0`.
func appendBrk(b []byte, n int) []byte {
	for ; n > 0; n -= 4 {
		b = binary.LittleEndian.AppendUint32(b, 0xd4200000) // brk #0
	}
	return b
}
