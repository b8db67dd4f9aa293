package mcode

import (
	"testing"
	"unsafe"
)

// stateEmitter records the states address each group's header is given.
type stateEmitter struct {
	fakeEmitter
	got *[]uintptr
}

func (e stateEmitter) AppendHeader(dst []byte, base, states uintptr) ([]byte, uintptr, error) {
	*e.got = append(*e.got, states)
	return e.fakeEmitter.AppendHeader(dst, base, states)
}

// TestArenaStateWords: slot id's state word is where the header was told
// (states + 8*id), in every group, and each slot has its own word.
func TestArenaStateWords(t *testing.T) {
	var got []uintptr
	a := newTestArena(stateEmitter{fakeEmitter{16, 64}, &got}, 4096, 8)
	n := 3 * a.PerGroup()
	words := map[*uint64]uint32{}
	for i := 0; i < n; i++ {
		id, _, err := a.Alloc()
		if err != nil {
			t.Fatal(err)
		}
		w := a.State(id)
		if g := int(id) / a.PerGroup(); uintptr(unsafe.Pointer(w)) != got[g]+8*uintptr(id) {
			t.Fatalf("slot %d: state word at %p, the header of group %d was told %#x + 8*id", id, w, g, got[g])
		}
		if other, dup := words[w]; dup {
			t.Fatalf("slots %d and %d share a state word", other, id)
		}
		words[w] = id
		*w = uint64(id) + 1
	}
	if len(got) != 3 {
		t.Fatalf("%d headers written, want 3", len(got))
	}
	for w, id := range words {
		if *w != uint64(id)+1 {
			t.Fatalf("slot %d's state word changed to %d", id, *w)
		}
	}
}
