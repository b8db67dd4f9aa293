package mcode

import (
	"testing"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi/internal/a64"
)

// retEmitter writes slots that return their own id:
// movz w0, #lo ; movk w0, #hi, lsl #16 ; ret ; brk #0.
type retEmitter struct{}

func (retEmitter) SlotSize() int   { return 16 }
func (retEmitter) HeaderSize() int { return 16 }
func (retEmitter) AppendHeader(dst []byte, base, states uintptr) ([]byte, uintptr, error) {
	b := a64.NewBuilder(dst, base)
	b.PadBrk(16)
	return b.Bytes(), base, b.Err()
}
func (retEmitter) AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
	b := a64.NewBuilder(dst, slotAddr)
	b.MovZ32(a64.X0, uint16(id), 0)
	b.MovK32(a64.X0, uint16(id>>16), 16)
	b.Ret()
	b.PadBrk(16)
	return b.Bytes(), b.Err()
}

// TestGroupsRunOnARM64 calls freshly written slots of several groups, made
// both ways (mprotect and memfd): after syncICache every slot runs the code
// written for it.
func TestGroupsRunOnARM64(t *testing.T) {
	for _, way := range []struct {
		name string
		fn   func(int) (region, error)
	}{{"mprotect", mapProtect}, {"memfd", mapMemfd}} {
		t.Run(way.name, func(t *testing.T) {
			a := newTestArena(retEmitter{}, 1<<14, 0)
			a.mapFn = way.fn
			for i := 0; i < 3*a.PerGroup(); i++ {
				id, addr, err := a.Alloc()
				if err != nil {
					t.Fatal(err)
				}
				if r, _, _ := purego.SyscallN(addr); uint32(r) != id {
					t.Fatalf("slot %d at %#x returned %d", id, addr, uint32(r))
				}
			}
		})
	}
}
