// Package mcode owns the executable memory that holds callback slots.
//
// Memory comes in groups. A group is mapped read-write, filled with a header
// (data words and the common entry, written by an Emitter) and one stub per
// slot, then switched to read-execute: a group is never writable and
// executable at once. A slot's C function pointer is computed from its id by
// arithmetic, and back. Groups are added when slots run out and are never
// unmapped, because C code may still hold pointers into them; freed slots go
// to a FIFO quarantine and are reused only after many others, so that a call
// through a stale pointer reaches a freed slot (and can be reported) for as
// long as possible.
package mcode

import (
	"errors"
	"runtime"
	"sync"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Emitter writes one architecture's machine code into a group.
type Emitter interface {
	// SlotSize is the number of bytes of one slot stub.
	SlotSize() int
	// HeaderSize is the number of bytes at the start of every group reserved
	// for the header: a multiple of SlotSize.
	HeaderSize() int
	// AppendHeader appends the header for a group mapped at base and
	// returns the address of the common entry within it. The state word of
	// slot id (see Arena.State) is at states + 8*id for every slot of the
	// group; the entry updates it when C calls the slot.
	AppendHeader(dst []byte, base, states uintptr) ([]byte, uintptr, error)
	// AppendSlot appends the stub of slot id living at slotAddr.
	AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error)
}

// DefaultGroupSize is the bytes of machine code mapped at a time.
const DefaultGroupSize = 256 << 10

// DefaultQuarantine is the number of freed slots that wait before the oldest
// of them is reused.
const DefaultQuarantine = 16 << 10

// ErrForeign is returned by ID for an address that is not a slot.
var ErrForeign = errors.New("mcode: address is not a callback slot")

// Arena hands out slots. Its methods are safe for concurrent use.
type Arena struct {
	emit       Emitter
	groupSize  int
	perGroup   int
	quarantine int

	mu     sync.Mutex
	groups []uintptr  // base address of each group, in id order
	states [][]uint64 // the slots' state words, one slice per group
	pin    runtime.Pinner
	next   uint32 // ids below next have been handed out at least once
	free   fifo
	// mapFn is replaceable in tests.
	mapFn func(int) (region, error)
}

// NewArena returns an arena of groups of groupSize bytes (rounded up to a
// whole number of slots) that reuses a freed slot once quarantine others are
// waiting. The arena must stay reachable for the life of the process: its
// groups are never unmapped and its state words stay pinned (the runtime
// ends a program in which a Pinner that still pins becomes garbage).
func NewArena(e Emitter, groupSize, quarantine int) *Arena {
	ss := e.SlotSize()
	if groupSize < e.HeaderSize()+ss {
		groupSize = e.HeaderSize() + ss
	}
	return &Arena{
		emit:       e,
		groupSize:  groupSize,
		perGroup:   (groupSize - e.HeaderSize()) / ss,
		quarantine: quarantine,
		mapFn:      mapRegion,
	}
}

// PerGroup is the number of slots in one group.
func (a *Arena) PerGroup() int { return a.perGroup }

// Alloc returns a slot id and its C function pointer. It maps a new group
// when no slot is free and the quarantine is not yet full; if mapping fails
// it falls back to the oldest quarantined slot, and only fails when there is
// none.
func (a *Arena) Alloc() (uint32, uintptr, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.free.len() > a.quarantine {
		id := a.free.pop()
		return id, a.addrLocked(id), nil
	}
	if int(a.next) >= len(a.groups)*a.perGroup {
		if err := a.growLocked(); err != nil {
			if a.free.len() > 0 {
				id := a.free.pop()
				return id, a.addrLocked(id), nil
			}
			return 0, 0, err
		}
	}
	id := a.next
	a.next++
	return id, a.addrLocked(id), nil
}

// Free puts slot id into the quarantine. The caller guarantees id is live.
func (a *Arena) Free(id uint32) {
	a.mu.Lock()
	a.free.push(id)
	a.mu.Unlock()
}

// State returns the state word of slot id: an 8-byte word, per slot, that
// the group's entry reads when C calls the slot, before entering Go, and
// that the Go side writes with sync/atomic (see internal/upcall/slots.go).
// Its memory never moves and is never freed.
func (a *Arena) State(id uint32) *uint64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return &a.states[int(id)/a.perGroup][int(id)%a.perGroup]
}

// Addr returns the C function pointer of slot id.
func (a *Arena) Addr(id uint32) uintptr {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.addrLocked(id)
}

func (a *Arena) addrLocked(id uint32) uintptr {
	g, i := int(id)/a.perGroup, int(id)%a.perGroup
	return a.groups[g] + uintptr(a.emit.HeaderSize()+i*a.emit.SlotSize())
}

// ID returns the slot id whose C function pointer is addr.
func (a *Arena) ID(addr uintptr) (uint32, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	hs, ss := uintptr(a.emit.HeaderSize()), uintptr(a.emit.SlotSize())
	for g, base := range a.groups {
		if addr < base+hs || addr >= base+hs+uintptr(a.perGroup)*ss {
			continue
		}
		off := addr - base - hs
		if off%ss != 0 {
			return 0, ErrForeign
		}
		id := uint32(g*a.perGroup) + uint32(off/ss)
		if id >= a.next {
			return 0, ErrForeign
		}
		return id, nil
	}
	return 0, ErrForeign
}

// Stats reports the slots handed out at least once, the slots waiting in
// the quarantine, and the bytes of machine code mapped.
func (a *Arena) Stats() (used, free, mapped int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return int(a.next), a.free.len(), len(a.groups) * a.groupSize
}

// errRetry is returned by a region's seal when the way the region was made
// stopped working (see pages_linux.go) and the next region will be made
// another way: the group is built again.
var errRetry = errors.New("mcode: executable memory policy changed")

// growLocked maps, fills and seals one more group, building it a second
// time if the first way of making executable memory was refused.
func (a *Arena) growLocked() error {
	err := a.buildGroupLocked()
	if errors.Is(err, errRetry) {
		err = a.buildGroupLocked()
	}
	return err
}

// buildGroupLocked maps, fills and seals one group.
func (a *Arena) buildGroupLocked() error {
	r, err := a.mapFn(a.groupSize)
	if err != nil {
		return err
	}
	mem, base := r.write, r.base
	first := uint32(len(a.groups) * a.perGroup)
	// Go memory, pinned so that it provably never moves; the entry reaches
	// it through the address written into the header.
	states := make([]uint64, a.perGroup)
	statesAt := uintptr(unsafe.Pointer(&states[0])) - 8*uintptr(first)
	code, entry, err := a.emit.AppendHeader(mem[:0], base, statesAt)
	if err == nil && len(code) > a.emit.HeaderSize() {
		err = errfmt.Errorf("mcode: header of %d bytes exceeds %d", len(code), a.emit.HeaderSize())
	}
	for i := 0; err == nil && i < a.perGroup; i++ {
		at := a.emit.HeaderSize() + i*a.emit.SlotSize()
		var stub []byte
		stub, err = a.emit.AppendSlot(mem[at:at], first+uint32(i), base+uintptr(at), entry)
		if err == nil && len(stub) != a.emit.SlotSize() {
			err = errfmt.Errorf("mcode: slot stub of %d bytes, want %d", len(stub), a.emit.SlotSize())
		}
	}
	if err == nil {
		err = r.seal()
	}
	if err != nil {
		r.drop()
		return errfmt.Errorf("mcode: cannot add executable memory for callbacks: %w", err)
	}
	// Through the executable mapping, now readable and executable: the
	// memfd way wrote the same physical pages from the kernel.
	syncICache(base, uintptr(a.groupSize))
	a.pin.Pin(&states[0])
	a.states = append(a.states, states)
	a.groups = append(a.groups, base)
	return nil
}
