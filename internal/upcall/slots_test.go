package upcall

import (
	"reflect"
	"sync/atomic"
	"testing"
	"unsafe"
)

// TestRecordWindow walks one slot through the states of its state word
// (slots.go): a call that entered before Free still finds the binding
// Free removed, one that entered after does not, and the last call to
// leave the window drops the removed binding.
func TestRecordWindow(t *testing.T) {
	var word uint64
	var r record
	b1, b2 := &binding{}, &binding{}
	enter := func() uint64 { return atomic.AddUint64(&word, 1) - 1 }
	leave := func() {
		if n := atomic.AddUint64(&word, ^uint64(0)); uint32(n) == 0 && n&stateLive == 0 {
			r.drained()
		}
	}
	r.bind(&word, b1, &slotInfo{decl: "void (*)(void)"})
	for _, step := range []struct {
		name     string
		do       func() *binding
		want     *binding
		prevKept bool
	}{
		{"call on a live slot", func() *binding { e := enter(); defer leave(); return r.lookup(e) }, b1, false},
		{"Set", func() *binding { r.b.Store(b2); e := enter(); defer leave(); return r.lookup(e) }, b2, false},
		{"Free with no call in the window", func() *binding { r.release(); e := enter(); defer leave(); return r.lookup(e) }, nil, false},
		{"handed out again", func() *binding {
			r.bind(&word, b1, &slotInfo{})
			e := enter()
			defer leave()
			return r.lookup(e)
		}, b1, false},
		{"Free while a call is in the window", func() *binding {
			e := enter()
			r.release()
			return r.lookup(e) // leaves below
		}, b1, true},
		{"a call entering after Free", func() *binding { e := enter(); defer leave(); return r.lookup(e) }, nil, true},
		{"the last call leaves", func() *binding { leave(); return nil }, nil, false},
	} {
		if got := step.do(); got != step.want {
			t.Errorf("%s: lookup gave %p, want %p", step.name, got, step.want)
		}
		if kept := r.prev.Load() != nil; kept != step.prevKept {
			t.Errorf("%s: removed binding kept is %v, want %v", step.name, kept, step.prevKept)
		}
	}
	if w := atomic.LoadUint64(&word); w != 0 {
		t.Errorf("state word %#x at the end, want 0", w)
	}
	if g := r.gen.Load(); g != 2 {
		t.Errorf("generation %d, want 2", g)
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

// TestSlotCallsInWindow checks that a slot reports the calls its entry has
// counted in its state word and dispatch has not yet uncounted.
func TestSlotCallsInWindow(t *testing.T) {
	p, err := ProtoOfFunc(reflect.TypeFor[func(int32) int32]())
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSlot(p, func(x int32) int32 { return x })
	if err != nil {
		t.Fatal(err)
	}
	defer s.Free()
	if n := s.CallsInWindow(); n != 0 {
		t.Fatalf("%d calls in the window of a new slot", n)
	}
	old := atomic.AddUint64(s.rec.state, 2) - 2 // what two entries do
	if n := s.CallsInWindow(); n != 2 {
		t.Errorf("%d calls in the window, want 2", n)
	}
	for range 2 { // what dispatch does for each
		f := cframe{slot: uint64(s.ID), state: old, stateAddr: unsafe.Pointer(s.rec.state)}
		dispatch(unsafe.Pointer(&f))
	}
	if n := s.CallsInWindow(); n != 0 {
		t.Errorf("%d calls in the window after dispatch, want 0", n)
	}
}
