package upcall

import (
	"errors"
	"runtime"

	"github.com/seed5ca82032/ffi/internal/gateway"
	"github.com/seed5ca82032/ffi/internal/leaf"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// x86Emitter writes x86-64 slot groups: a header with three data words
// (the Go dispatcher's code pointer, the gateway's address and where the
// slots' state words are) and the common entry, then one 16-byte stub per
// slot. The entry follows the host's C convention: System V, or Microsoft
// x64 on Windows, where the gateway is the runtime's own C-to-Go path (see
// package gateway).
type x86Emitter struct{ dispatchPC, crosscall2 uintptr }

const (
	x86HeaderSize = 512
	x86EntryOff   = 64
)

// appendEntry is the common entry encoder of the host's convention.
var appendEntry = x86.AppendEntrySysV

func init() {
	if runtime.GOOS == "windows" {
		appendEntry = x86.AppendEntryWin64
	}
}

func newEmitter() (mcode.Emitter, error) {
	cc2 := leaf.Crosscall2() // crosscall2 behind the check for callbacks from leaf calls
	if cc2 == 0 {
		return nil, errors.New("ffi: crosscall2 is not linked")
	}
	return x86Emitter{dispatchPC: gateway.FuncPC(dispatch), crosscall2: cc2}, nil
}

func (x86Emitter) SlotSize() int   { return x86.SlotSize }
func (x86Emitter) HeaderSize() int { return x86HeaderSize }

func (e x86Emitter) AppendHeader(dst []byte, base, states uintptr) ([]byte, uintptr, error) {
	dst = appendUint64(dst, uint64(e.dispatchPC))
	dst = appendUint64(dst, uint64(e.crosscall2))
	dst = appendUint64(dst, uint64(states))
	dst = appendInt3(dst, x86EntryOff-len(dst))
	entry := base + x86EntryOff
	dst, err := appendEntry(dst, entry, base, base+8, base+16)
	if err != nil {
		return nil, 0, err
	}
	return appendInt3(dst, x86HeaderSize-len(dst)), entry, nil
}

func (x86Emitter) AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
	return x86.AppendSlot(dst, id, slotAddr, entryAddr)
}

func appendUint64(b []byte, v uint64) []byte {
	for i := 0; i < 8; i++ {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}

func appendInt3(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, 0xcc)
	}
	return b
}
