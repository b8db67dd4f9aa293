package ffi

import (
	"sync"
	"sync/atomic"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/mcode"
)

// The slot table maps a slot id (what the slot stub loads before jumping to
// the common entry) to the callback currently bound to it. Lookups on the
// per-call path are lock-free: the table is a copy-on-write list of
// fixed-size chunks that never move, and a record's binding is one atomic
// pointer, so Set is a single store and a concurrent call sees the old or
// the new binding, never a mix.

const chunkBits = 12

type chunk [1 << chunkBits]record

// record is the state of one slot.
type record struct {
	b    atomic.Pointer[binding]  // nil while the slot is free
	gen  atomic.Uint32            // bumped each time the slot is handed out
	last atomic.Pointer[slotInfo] // what the slot was last bound to, for stale calls
}

// slotInfo is what a stale call needs to know about the callback a slot was
// last bound to: its C signature, for the message, and its placement, to
// return as the calling convention requires.
type slotInfo struct {
	decl string
	plan *abi.Plan
}

type slotTable struct {
	mu     sync.Mutex
	chunks atomic.Pointer[[]*chunk]
}

// get returns the record of slot id, or nil if the id was never handed out.
func (t *slotTable) get(id uint64) *record {
	cs := t.chunks.Load()
	if cs == nil || id>>chunkBits >= uint64(len(*cs)) {
		return nil
	}
	return &(*cs)[id>>chunkBits][id&(1<<chunkBits-1)]
}

// ensure makes room for slot id and returns its record.
func (t *slotTable) ensure(id uint32) *record {
	if r := t.get(uint64(id)); r != nil {
		return r
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var cs []*chunk
	if p := t.chunks.Load(); p != nil {
		cs = *p
	}
	for uint64(len(cs)) <= uint64(id)>>chunkBits {
		cs = append(cs[:len(cs):len(cs)], new(chunk))
	}
	t.chunks.Store(&cs)
	return t.get(uint64(id))
}

var (
	table slotTable

	arenaOnce sync.Once
	arena     *mcode.Arena
	arenaErr  error
)

// slots returns the process-wide slot arena, creating it on first use.
func slots() (*mcode.Arena, error) {
	arenaOnce.Do(func() {
		e, err := newEmitter()
		if err != nil {
			arenaErr = err
			return
		}
		arena = mcode.NewArena(e, mcode.DefaultGroupSize, mcode.DefaultQuarantine)
	})
	return arena, arenaErr
}
