package bindcall

import (
	"testing"
)

func TestMoveEncoding(t *testing.T) {
	for _, c := range []struct {
		from, to       uintptr
		rshift, ext    uint8
		signed, or     bool
		lshift         uint8
		kind           move
		in, out, outOr uint64 // out: the word stored over 0; outOr: over ^0
	}{
		{8, 16, 0, 0, false, false, 0, moveWord, 0x8877665544332211, 0x8877665544332211, 0x8877665544332211},
		{8, 16, 0, 32, true, false, 0, moveSext32, 0x11111111_80000001, 0xffffffff_80000001, 0xffffffff_80000001},
		{8, 16, 0, 32, false, false, 0, moveZext32, 0x11111111_80000001, 0x80000001, 0x80000001},
		{8, 16, 0, 56, true, false, 0, 0, 0x1111_11ff, ^uint64(0), ^uint64(0)},
		{8, 16, 0, 48, false, false, 0, 0, 0x1111_ffff, 0xffff, 0xffff},
		// a 4-byte field deposited in the high half of a register
		{1024, 0xfff8, 0, 32, false, true, 32, 0, 0xdead_beef_1234_5678, 0x1234_5678_0000_0000, ^uint64(0)},
		// a 2-byte piece extracted from the middle of a C result word
		{24, 40, 16, 48, true, false, 0, 0, 0x0000_8001_0000, 0xffff_ffff_ffff_8001, 0xffff_ffff_ffff_8001},
		{0xffff, 0, 63, 0, false, false, 63, 0, 1 << 63, 1 << 63, 1 << 63},
	} {
		m := mkMove(c.from, c.to, c.rshift, c.ext, c.signed, c.or, c.lshift)
		if m.from() != c.from || m.to() != c.to || m.rshift() != c.rshift || m.ext() != c.ext ||
			m.signed() != c.signed || m.or() != c.or || m.lshift() != c.lshift || m.kind() != c.kind {
			t.Errorf("%+v: decoded %#x as from %d to %d rshift %d ext %d signed %v or %v lshift %d kind %#x",
				c, uint64(m), m.from(), m.to(), m.rshift(), m.ext(), m.signed(), m.or(), m.lshift(), m.kind())
			continue
		}
		for _, over := range []uint64{0, ^uint64(0)} {
			want := c.out
			if over != 0 {
				want = c.outOr
				if !c.or {
					want = c.out
				}
			}
			mem := make([]byte, 1<<16+8)
			put(mem, c.from, c.in)
			put(mem, c.to, over)
			runMoves(mem, []move{m})
			if got := get(mem, c.to); got != want {
				t.Errorf("%+v over %#x: got %#x, want %#x", c, over, got, want)
			}
		}
	}
}

func put(mem []byte, off uintptr, w uint64) {
	for i := range 8 {
		mem[off+uintptr(i)] = byte(w >> (8 * i))
	}
}

func get(mem []byte, off uintptr) uint64 {
	var w uint64
	for i := range 8 {
		w |= uint64(mem[off+uintptr(i)]) << (8 * i)
	}
	return w
}
