package upcall

import (
	"reflect"
	"sync/atomic"
	"testing"
	"unsafe"
)

// TestRecordWindow walks one slot through the states of its state word
// (slots.go): a call that entered before Free still finds the binding
// Free removed, one that entered after does not, the removed binding is
// kept until the slot is handed out again, and a call that entered in an
// earlier generation is stale even if the slot is live again.
func TestRecordWindow(t *testing.T) {
	var word uint64
	var r record
	b1, b2, b3 := &binding{}, &binding{}, &binding{}
	enter := func() uint64 { return atomic.LoadUint64(&word) } // what the entry does
	r.bind(&word, b1, &slotInfo{decl: "void (*)(void)"})
	var early uint64
	for _, step := range []struct {
		name     string
		do       func() *binding
		want     *binding
		prevKept bool
	}{
		{"call on a live slot", func() *binding { return r.lookup(enter()) }, b1, false},
		{"Set", func() *binding { r.b.Store(b2); return r.lookup(enter()) }, b2, false},
		{"Free while a call is in the window", func() *binding {
			e := enter()
			r.release()
			return r.lookup(e)
		}, b2, true},
		{"a call entering after Free", func() *binding { return r.lookup(enter()) }, nil, true},
		{"handed out again", func() *binding {
			early = enter() // entered while freed: stale whatever happens next
			r.bind(&word, b3, &slotInfo{})
			return r.lookup(enter())
		}, b3, false},
		{"a call that entered before the slot was handed out again", func() *binding { return r.lookup(early) }, nil, false},
		{"a call in the window across Free and a new binding", func() *binding {
			e := enter()
			r.release()
			r.bind(&word, b1, &slotInfo{})
			return r.lookup(e)
		}, nil, false},
	} {
		if got := step.do(); got != step.want {
			t.Errorf("%s: lookup gave %p, want %p", step.name, got, step.want)
		}
		if kept := r.prev.Load() != nil; kept != step.prevKept {
			t.Errorf("%s: removed binding kept is %v, want %v", step.name, kept, step.prevKept)
		}
	}
	if w, g := atomic.LoadUint64(&word), r.gen.Load(); g != 3 || w != stateLive|3 {
		t.Errorf("state word %#x, generation %d at the end; want %#x, 3", w, g, stateLive|3)
	}
}

// TestSlotTable checks the copy-on-write chunk list: ids far apart get
// their own records, ids never handed out have none.
func TestSlotTable(t *testing.T) {
	var tb slotTable
	if tb.get(0) != nil {
		t.Fatal("record of an empty table")
	}
	for _, id := range []uint32{0, 1, 1<<chunkBits - 1, 1 << chunkBits, 3<<chunkBits + 5} {
		r := tb.ensure(id)
		if r == nil || tb.get(uint64(id)) != r {
			t.Errorf("id %d: ensure gave %p, get %p", id, r, tb.get(uint64(id)))
		}
	}
	if tb.ensure(1) == tb.ensure(2) {
		t.Error("ids 1 and 2 share a record")
	}
	if tb.get(4<<chunkBits) != nil || tb.get(1<<40) != nil {
		t.Error("a record for an id past the table")
	}
}

// TestSlotFreeInWindow runs dispatch as the entry would for calls of a real
// slot: one that read the state word before Free runs the func, one that
// read it after is stale, and neither touches the word.
func TestSlotFreeInWindow(t *testing.T) {
	p, err := ProtoOfFunc(reflect.TypeFor[func(int32) int32]())
	if err != nil {
		t.Fatal(err)
	}
	var ran atomic.Int32
	s, err := NewSlot(p, func(x int32) int32 { ran.Add(1); return x + 1 })
	if err != nil {
		t.Fatal(err)
	}
	var stale atomic.Int32
	SetStaleHandler(func(uintptr, string) { stale.Add(1) })
	defer SetStaleHandler(nil)
	call := func(state uint64) (int32, bool) {
		f := cframe{slot: uint64(s.ID), state: state}
		f.gpr[0] = 41
		before := ran.Load()
		dispatch(unsafe.Pointer(&f))
		return int32(f.retGPR[0]), ran.Load() > before
	}
	entered := atomic.LoadUint64(s.rec.state)
	s.Free()
	if got, ok := call(entered); !ok || got != 42 {
		t.Errorf("call that entered before Free: ran %v, returned %d; want true, 42", ok, got)
	}
	after := atomic.LoadUint64(s.rec.state)
	if _, ok := call(after); ok || stale.Load() != 1 {
		t.Errorf("call that entered after Free: ran %v, %d stale calls reported; want false, 1", ok, stale.Load())
	}
	if w := atomic.LoadUint64(s.rec.state); w != after || w&stateLive != 0 {
		t.Errorf("state word %#x after the calls, want %#x (not live)", w, after)
	}
}

// TestRetireKeepsTheLastFreed checks the bound on what Free keeps: the
// binding a Free removed stays in prev for retainFreed more Frees, then is
// dropped, but a slot freed again in a later generation keeps its own.
func TestRetireKeepsTheLastFreed(t *testing.T) {
	var words [2]uint64
	var r, again record
	r.bind(&words[0], &binding{}, &slotInfo{})
	r.release()
	again.bind(&words[1], &binding{}, &slotInfo{})
	again.release()
	again.bind(&words[1], &binding{}, &slotInfo{}) // handed out again and
	again.release()                                // freed in generation 2
	// r has seen 2 more Frees; these make retainFreed, then one more
	// evicts again's generation-1 entry.
	others := make([]record, retainFreed-1)
	for i := range others {
		var w uint64
		others[i].bind(&w, &binding{}, &slotInfo{})
		others[i].release()
		if since := 3 + i; since < retainFreed && r.prev.Load() == nil {
			t.Fatalf("removed binding dropped after %d more Frees, want %d", since, retainFreed)
		}
	}
	if r.prev.Load() != nil {
		t.Errorf("removed binding kept after %d more Frees", retainFreed)
	}
	if again.prev.Load() == nil {
		t.Error("the binding removed in a later generation was dropped with the older one")
	}
}
