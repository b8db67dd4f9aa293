package ffi

import (
	"errors"
	"runtime"

	"github.com/seed5ca82032/ffi/internal/gateway"
	"github.com/seed5ca82032/ffi/internal/leaf"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// sysvEmitter writes System V AMD64 slot groups: a header with two data
// words (the Go dispatcher's code pointer and crosscall2's address) and the
// common entry, then one 16-byte stub per slot.
type sysvEmitter struct{ dispatchPC, crosscall2 uintptr }

const (
	sysvHeaderSize = 512
	sysvEntryOff   = 64
)

func newEmitter() (mcode.Emitter, error) {
	if runtime.GOOS == "windows" {
		return nil, errors.New("ffi: callbacks on windows/amd64 are not implemented yet")
	}
	cc2 := leaf.Crosscall2() // crosscall2 behind the check for callbacks from leaf calls
	if cc2 == 0 {
		return nil, errors.New("ffi: crosscall2 is not linked")
	}
	return sysvEmitter{dispatchPC: gateway.FuncPC(dispatch), crosscall2: cc2}, nil
}

func (sysvEmitter) SlotSize() int   { return x86.SlotSize }
func (sysvEmitter) HeaderSize() int { return sysvHeaderSize }

func (e sysvEmitter) AppendHeader(dst []byte, base uintptr) ([]byte, uintptr, error) {
	dst = appendUint64(dst, uint64(e.dispatchPC))
	dst = appendUint64(dst, uint64(e.crosscall2))
	dst = appendInt3(dst, sysvEntryOff-len(dst))
	entry := base + sysvEntryOff
	dst, err := x86.AppendEntrySysV(dst, entry, base, base+8)
	if err != nil {
		return nil, 0, err
	}
	return appendInt3(dst, sysvHeaderSize-len(dst)), entry, nil
}

func (sysvEmitter) AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
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
