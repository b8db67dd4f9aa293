package mcode

import (
	"errors"
	"strings"
	"testing"
)

// fakeEmitter writes recognisable bytes: the header is 'H's, each slot is
// its id in 4 little-endian bytes followed by 'S's.
type fakeEmitter struct{ slot, header int }

func (e fakeEmitter) SlotSize() int   { return e.slot }
func (e fakeEmitter) HeaderSize() int { return e.header }
func (e fakeEmitter) AppendHeader(dst []byte, base, states uintptr) ([]byte, uintptr, error) {
	for i := 0; i < e.header; i++ {
		dst = append(dst, 'H')
	}
	return dst, base, nil
}
func (e fakeEmitter) AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
	dst = append(dst, byte(id), byte(id>>8), byte(id>>16), byte(id>>24))
	for i := 4; i < e.slot; i++ {
		dst = append(dst, 'S')
	}
	return dst, nil
}

func TestArenaAllocFreeQuarantine(t *testing.T) {
	a := newTestArena(fakeEmitter{16, 64}, 4096, 8)
	per := a.PerGroup()
	if per != (4096-64)/16 {
		t.Fatalf("PerGroup = %d", per)
	}
	seen := map[uintptr]uint32{}
	var ids []uint32
	for i := 0; i < per+5; i++ { // forces a second group
		id, addr, err := a.Alloc()
		if err != nil {
			t.Fatal(err)
		}
		if id != uint32(i) {
			t.Fatalf("alloc %d got id %d", i, id)
		}
		if _, dup := seen[addr]; dup {
			t.Fatalf("address %#x handed out twice", addr)
		}
		seen[addr] = id
		ids = append(ids, id)
		// the stub at addr carries its own id: slot <-> pointer arithmetic agrees with the bytes
		got := *(*[4]byte)(ptrAt(addr))
		if want := [4]byte{byte(id), byte(id >> 8), byte(id >> 16), byte(id >> 24)}; got != want {
			t.Fatalf("slot %d at %#x holds %v", id, addr, got)
		}
		back, err := a.ID(addr)
		if err != nil || back != id {
			t.Fatalf("ID(%#x) = %d, %v; want %d", addr, back, err, id)
		}
	}
	if _, _, mapped := a.Stats(); mapped != 2*4096 {
		t.Fatalf("mapped %d bytes, want two groups", mapped)
	}
	// Free 9 slots: the quarantine holds 8, so exactly the first freed comes back first.
	for _, id := range ids[:9] {
		a.Free(id)
	}
	id, _, _ := a.Alloc()
	if id != ids[0] {
		t.Fatalf("after 9 frees with quarantine 8, Alloc = %d, want the oldest freed %d", id, ids[0])
	}
	id, _, _ = a.Alloc() // quarantine now holds exactly 8: a fresh slot
	if id != uint32(per+5) {
		t.Fatalf("with a full-but-not-overflowing quarantine, Alloc = %d, want fresh %d", id, per+5)
	}
	for _, bad := range []uintptr{0, 1, a.Addr(0) + 1, a.Addr(0) - 16} {
		if _, err := a.ID(bad); !errors.Is(err, ErrForeign) {
			t.Errorf("ID(%#x) err = %v, want ErrForeign", bad, err)
		}
	}
}

func TestArenaMapFailure(t *testing.T) {
	a := newTestArena(fakeEmitter{16, 64}, 4096, 1<<20)
	a.mapFn = func(int) (region, error) { return region{}, errors.New("no memory for you") }
	if _, _, err := a.Alloc(); err == nil || !strings.Contains(err.Error(), "no memory for you") {
		t.Fatalf("Alloc with failing mmap: err = %v", err)
	}
}

func TestArenaProtectFailureFallsBackToQuarantine(t *testing.T) {
	a := newTestArena(fakeEmitter{16, 64}, 4096, 1<<20)
	id0, _, err := a.Alloc()
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i < a.PerGroup(); i++ {
		a.Alloc()
	}
	a.Free(id0)
	a.mapFn = func(n int) (region, error) {
		r, err := mapRegion(n)
		r.seal = func() error { return errors.New("W^X policy refuses exec") }
		return r, err
	}
	id, _, err := a.Alloc()
	if err != nil || id != id0 {
		t.Fatalf("with no new memory possible, Alloc = %d, %v; want quarantined %d", id, err, id0)
	}
	if _, _, err := a.Alloc(); err == nil || !strings.Contains(err.Error(), "W^X policy refuses exec") {
		t.Fatalf("with nothing left, err = %v", err)
	}
}

// liveArenas keeps every arena a test makes reachable: an arena's state
// words are pinned for good (as the process's one arena is), and the
// runtime ends a program in which a pinned Pinner becomes garbage.
var liveArenas []*Arena

// newTestArena is NewArena for tests: see liveArenas.
func newTestArena(e Emitter, groupSize, quarantine int) *Arena {
	a := NewArena(e, groupSize, quarantine)
	liveArenas = append(liveArenas, a)
	return a
}
