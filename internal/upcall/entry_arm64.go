package upcall

import (
	"encoding/binary"
	"errors"
	"runtime"

	"github.com/seed5ca82032/ffi/internal/a64"
	"github.com/seed5ca82032/ffi/internal/gateway"
	"github.com/seed5ca82032/ffi/internal/leaf"
	"github.com/seed5ca82032/ffi/internal/mcode"
)

// aapcs64Emitter writes AAPCS64 slot groups: a header with three data
// words (the Go dispatcher's code pointer, crosscall2's address and where
// the slots' state words are) and the common entry, then one 16-byte stub per slot. The Arena synchronizes the
// instruction cache once a group is sealed.
type aapcs64Emitter struct{ dispatchPC, crosscall2 uintptr }

const (
	a64HeaderSize = 256
	a64EntryOff   = 64
)

func newEmitter() (mcode.Emitter, error) {
	if runtime.GOOS != "linux" {
		return nil, errors.New("ffi: callbacks on " + runtime.GOOS + "/arm64 are not implemented yet")
	}
	cc2 := leaf.Crosscall2() // crosscall2 behind the check for callbacks from leaf calls
	if cc2 == 0 {
		return nil, errors.New("ffi: crosscall2 is not linked")
	}
	return aapcs64Emitter{dispatchPC: gateway.FuncPC(dispatch), crosscall2: cc2}, nil
}

func (aapcs64Emitter) SlotSize() int   { return a64.SlotSize }
func (aapcs64Emitter) HeaderSize() int { return a64HeaderSize }

func (e aapcs64Emitter) AppendHeader(dst []byte, base, states uintptr) ([]byte, uintptr, error) {
	dst = binary.LittleEndian.AppendUint64(dst, uint64(e.dispatchPC))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(e.crosscall2))
	dst = binary.LittleEndian.AppendUint64(dst, uint64(states))
	dst = appendBrk(dst, a64EntryOff-len(dst))
	entry := base + a64EntryOff
	dst, err := a64.AppendEntry(dst, entry, base, base+8, base+16)
	if err != nil {
		return nil, 0, err
	}
	return appendBrk(dst, a64HeaderSize-len(dst)), entry, nil
}

func (aapcs64Emitter) AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
	return a64.AppendSlot(dst, id, slotAddr, entryAddr)
}

// appendBrk appends n bytes (a multiple of 4) of `brk #0`.
func appendBrk(b []byte, n int) []byte {
	for ; n > 0; n -= 4 {
		b = binary.LittleEndian.AppendUint32(b, 0xd4200000) // brk #0
	}
	return b
}
