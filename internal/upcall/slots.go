package upcall

import (
	"sync"
	"sync/atomic"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/threadkey"
)

// The slot table maps a slot id (what the slot stub loads before jumping to
// the common entry) to the callback currently bound to it. Lookups on the
// per-call path are lock-free: the table is a copy-on-write list of
// fixed-size chunks that never move, and a record's binding is one atomic
// pointer, so Set is a single store and a concurrent call sees the old or
// the new binding, never a mix.

const chunkBits = 12

type chunk [1 << chunkBits]record

// A call that has entered a slot but not yet reached dispatch (its thread
// may be waiting for a P, or being attached to the runtime) must finish
// with the func it started with, even if Free runs meanwhile. The common
// entry therefore reads the slot's state word (mcode.Arena.State) before
// entering Go and records it in the frame. The word holds
//
//	bits 0..31  the generation of the slot's binding (record.gen)
//	bit 32      stateLive: the slot is bound to a callback
//
// Free clears stateLive and keeps the binding it removes in prev, for
// retainFreed more Frees of any slot (or until the slot is handed out
// again, if sooner): a call whose recorded word says the slot was live, in
// the current generation, finds it there; a call recorded as not live is
// stale; a call recorded in an older generation (it waited in the window
// while the slot was freed and handed out again) is stale too, never run
// with another callback's func, and so is one that reaches dispatch only
// after retainFreed other Frees.
//
// The entry only reads the word: no atomic read-modify-write on the call
// path, no count of the calls in the window to wait for. The price is that
// the Go funcs of the last retainFreed freed callbacks stay reachable.
const stateLive = 1 << 32

// retainFreed is the number of freed callbacks whose Go funcs Free keeps
// for the calls in their window.
const retainFreed = 16 << 10

// retired is the FIFO of the records whose removed binding is kept, with
// the generation each was freed in.
var retired struct {
	sync.Mutex
	recs []*record
	gens []uint32
	next int
}

// retire records that r's binding of generation gen was removed, and
// drops the removed binding of the record retainFreed Frees older. The
// caller holds no record's mutex.
func retire(r *record, gen uint32) {
	retired.Lock()
	defer retired.Unlock()
	if retired.recs == nil {
		retired.recs, retired.gens = make([]*record, retainFreed), make([]uint32, retainFreed)
	}
	i := retired.next
	if old := retired.recs[i]; old != nil {
		old.dropPrev(retired.gens[i])
	}
	retired.recs[i], retired.gens[i] = r, gen
	retired.next = (i + 1) % retainFreed
}

// dropPrev drops the binding removed in generation gen, if the slot was
// not handed out again since (bind has dropped it then).
func (r *record) dropPrev(gen uint32) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.gen.Load() == gen {
		r.prev.Store(nil)
	}
}

// record is the state of one slot.
type record struct {
	b     atomic.Pointer[binding]  // nil while the slot is free
	prev  atomic.Pointer[binding]  // the binding Free removed, while calls that entered before it are in the window
	state *uint64                  // the slot's state word (see above)
	mu    sync.Mutex               // serializes bind, release and drained
	gen   atomic.Uint32            // bumped each time the slot is handed out
	last  atomic.Pointer[slotInfo] // what the slot was last bound to, for stale calls
}

// bind makes b the slot's callback, as NewSlot hands the slot out: a new
// generation, published in the state word last.
func (r *record) bind(state *uint64, b *binding, info *slotInfo) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = state
	g := r.gen.Add(1)
	r.last.Store(info)
	r.prev.Store(nil)
	r.b.Store(b)
	atomic.StoreUint64(r.state, stateLive|uint64(g))
}

// release unbinds the slot's callback, as Free does, keeping it in prev
// for the calls already in the window (see retire).
func (r *record) release() {
	r.mu.Lock()
	g := r.gen.Load()
	r.prev.Store(r.b.Load())
	atomic.StoreUint64(r.state, uint64(g))
	r.b.Store(nil)
	r.mu.Unlock()
	retire(r, g)
}

// lookup returns the binding for a call that found the slot's state word
// as entered, or nil for a stale call. The generation is checked again
// after the loads: a slot handed out again meanwhile (bind bumps gen
// first) makes the call stale rather than run the new binding.
func (r *record) lookup(entered uint64) *binding {
	if uint32(entered) != r.gen.Load() {
		return nil
	}
	b := r.b.Load()
	if b == nil && entered&stateLive != 0 {
		b = r.prev.Load() // the call started before Free
	}
	if uint32(entered) != r.gen.Load() {
		return nil
	}
	return b
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

// Slot is one callback's slot: its id, its C function pointer and the C
// signature it was made for. The caller serializes Set and Free and calls
// Free once.
type Slot struct {
	ID    uint32
	Ptr   uintptr
	Proto *Proto
	rec   *record
}

// NewSlot hands out a slot whose calls run fn, matched against p.
func NewSlot(p *Proto, fn any) (*Slot, error) {
	s := &Slot{Proto: p}
	b, err := p.bind(s, fn)
	if err != nil {
		return nil, err
	}
	a, err := slots()
	if err != nil {
		return nil, err
	}
	id, ptr, err := a.Alloc()
	if err != nil {
		return nil, err
	}
	s.ID, s.Ptr = id, ptr
	// Keep a C-created thread's M bound to it between callbacks (cgo on).
	threadkey.BindThreads()
	s.rec = table.ensure(id)
	s.rec.bind(a.State(id), b, &slotInfo{decl: p.Decl, plan: p.plan})
	return s, nil
}

// Set makes the slot run fn, matched against its proto, from the next call
// on.
func (s *Slot) Set(fn any) error {
	b, err := s.Proto.bind(s, fn)
	if err != nil {
		return err
	}
	s.rec.b.Store(b)
	return nil
}

// Free unbinds the slot and returns it to the arena.
func (s *Slot) Free() {
	s.rec.release()
	arena.Free(s.ID)
}

// Fast reports whether the slot's calls take the fast path (movers, an
// erased func type or callGo) rather than reflection.
func (s *Slot) Fast() bool {
	b := s.rec.b.Load()
	return b != nil && b.shape.fast
}

// CodeBytes reports the bytes of executable memory mapped for slots so far.
func CodeBytes() int {
	a, err := slots()
	if err != nil {
		return 0
	}
	_, _, mapped := a.Stats()
	return mapped
}
