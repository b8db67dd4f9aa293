package upcall

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
)

// TestSlotGroupLayout builds the header and a slot stub of every
// supported target's slot group, on every host (the encoders are plain
// Go), and checks what the Arena and the entry rely on: the three data
// words first, trapping padding up to the entry and after it, the header
// and stub sizes.
func TestSlotGroupLayout(t *testing.T) {
	const base, states, dispatchPC, cc2 = 0x7f00_0000_0000, 0x7f00_1000_0000, 0x4a_1234, 0x4b_5678
	for _, c := range []struct {
		goos, goarch string
		headerSize   int
		trap         []byte
	}{
		{"linux", "amd64", 512, []byte{0xcc}},
		{"darwin", "amd64", 512, []byte{0xcc}},
		{"windows", "amd64", 512, []byte{0xcc}},
		{"linux", "arm64", 256, []byte{0x00, 0x00, 0x20, 0xd4}},
	} {
		a, err := entryFor(c.goos, c.goarch)
		if err != nil {
			t.Fatalf("%s/%s: %v", c.goos, c.goarch, err)
		}
		e := emitter{arch: a, dispatchPC: dispatchPC, crosscall2: cc2}
		if e.HeaderSize() != c.headerSize || e.HeaderSize()%e.SlotSize() != 0 {
			t.Errorf("%s/%s: header %d bytes, slot %d bytes", c.goos, c.goarch, e.HeaderSize(), e.SlotSize())
		}
		h, entry, err := e.AppendHeader(nil, base, states)
		if err != nil {
			t.Fatalf("%s/%s: %v", c.goos, c.goarch, err)
		}
		if len(h) != c.headerSize || entry != base+64 {
			t.Errorf("%s/%s: header of %d bytes with the entry at %#x, want %d at %#x", c.goos, c.goarch, len(h), entry, c.headerSize, base+64)
		}
		for i, want := range []uint64{dispatchPC, cc2, states} {
			if got := binary.LittleEndian.Uint64(h[8*i:]); got != want {
				t.Errorf("%s/%s: data word %d is %#x, want %#x", c.goos, c.goarch, i, got, want)
			}
		}
		if pad := h[24:64]; !bytes.Equal(pad, bytes.Repeat(c.trap, len(pad)/len(c.trap))) {
			t.Errorf("%s/%s: padding before the entry is % x", c.goos, c.goarch, pad)
		}
		if end := h[len(h)-len(c.trap):]; !bytes.Equal(end, c.trap) {
			t.Errorf("%s/%s: the header ends with % x, not padding", c.goos, c.goarch, end)
		}
		s, err := e.AppendSlot(nil, 7, base+uintptr(c.headerSize), entry)
		if err != nil || len(s) != e.SlotSize() {
			t.Errorf("%s/%s: slot stub of %d bytes (%v), want %d", c.goos, c.goarch, len(s), err, e.SlotSize())
		}
	}
	for _, target := range [][2]string{{"darwin", "arm64"}, {"windows", "arm64"}, {"linux", "riscv64"}} {
		_, err := entryFor(target[0], target[1])
		if err == nil || !strings.Contains(err.Error(), target[0]+"/"+target[1]+" are not implemented") {
			t.Errorf("%s/%s: %v, want an error naming the target", target[0], target[1], err)
		}
	}
}
