package a64

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unsafe"
)

func TestFrameOffsets(t *testing.T) {
	var f Frame
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"GPR", unsafe.Offsetof(f.GPR), FrameGPR},
		{"FPR", unsafe.Offsetof(f.FPR), FrameFPR},
		{"StackArgs", unsafe.Offsetof(f.StackArgs), FrameStackArgs},
		{"Slot", unsafe.Offsetof(f.Slot), FrameSlot},
		{"RetGPR", unsafe.Offsetof(f.RetGPR), FrameRetGPR},
		{"RetFPR", unsafe.Offsetof(f.RetFPR), FrameRetFPR},
		{"State", unsafe.Offsetof(f.State), FrameState},
		{"size", unsafe.Sizeof(f), FrameSize},
	} {
		if c.got != c.want {
			t.Errorf("Frame.%s at %d, constant says %d", c.name, c.got, c.want)
		}
	}
	if entryStack%16 != 0 || entryStack < frameAt+FrameSize {
		t.Errorf("entry reserves %d bytes: must be a multiple of 16 holding %d", entryStack, frameAt+FrameSize)
	}
}

// entryAsm is the entry's expected disassembly (GNU syntax), with the two
// data words named.
var entryAsm = []string{
	"stp x29, x30, [sp,#-240]!",
	"mov x29, sp",
	"stp x0, x1, [sp,#16]",
	"stp x2, x3, [sp,#32]",
	"stp x4, x5, [sp,#48]",
	"stp x6, x7, [sp,#64]",
	"str x8, [sp,#80]",
	"stp d0, d1, [sp,#88]",
	"stp d2, d3, [sp,#104]",
	"stp d4, d5, [sp,#120]",
	"stp d6, d7, [sp,#136]",
	"add x10, sp, #0xf0",
	"stp x10, x9, [sp,#152]",
	"ldr x11, state",
	"add x11, x11, x9, lsl #3",
	"ldr x12, [x11]",
	"str x12, [sp,#216]",
	"ldr x0, gatewayFn",
	"add x1, sp, #0x10",
	"mov w2, #0x0",
	"mov w3, #0x0",
	"ldr x10, crosscall2",
	"blr x10",
	"ldp x0, x1, [sp,#168]",
	"ldp d0, d1, [sp,#184]",
	"ldp d2, d3, [sp,#200]",
	"ldp x29, x30, [sp],#240",
	"ret",
}

func TestAppendEntryDecodes(t *testing.T) {
	for _, c := range []struct {
		name                          string
		entry, fnWord, ccWord, stWord uintptr
	}{
		{"words before", 0x7f0000000040, 0x7f0000000000, 0x7f0000000008, 0x7f0000000010},
		{"words after", 0x7f0000000000, 0x7f0000000100, 0x7f0000000108, 0x7f0000000110},
		{"farthest back", 0x7f0000100000, 0x7f0000000050, 0x7f0000000060, 0x7f0000000034},
	} {
		t.Run(c.name, func(t *testing.T) {
			prefix := []byte{1, 2, 3, 4}
			out, err := AppendEntry(prefix, c.entry, c.fnWord, c.ccWord, c.stWord)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out[:4], prefix) {
				t.Fatal("prefix changed")
			}
			code := out[4:]
			if len(code) != EntrySize {
				t.Fatalf("entry is %d bytes, EntrySize says %d", len(code), EntrySize)
			}
			lines, _ := disasm(t, code, c.entry, map[uintptr]string{c.fnWord: "gatewayFn", c.ccWord: "crosscall2", c.stWord: "state"})
			if got, want := strings.Join(lines, "\n"), strings.Join(entryAsm, "\n"); got != want {
				t.Fatalf("decoded:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestAppendEntryErrors(t *testing.T) {
	dst := []byte{9}
	for _, c := range []struct {
		entry, fnWord, ccWord, stWord uintptr
		want                          string
	}{
		{0x7f0000000040, 0x7f0000000040 + 17*4 + 1<<20, 0x7f0000000000, 0x7f0000000010, "ldr x0, literal at 0x7f0000000084: offset 1048576 out of range"},
		{0x7f0000200000, 0x7f0000200100, 0x7f0000000000, 0x7f0000200108, "ldr x10, literal at 0x7f0000200054"},
		{0x7f0000200000, 0x7f0000200100, 0x7f0000200108, 0x7f0000000000, "ldr x11, literal at 0x7f0000200034"},
		{0x7f0000000040, 0x7f0000000006, 0x7f0000000008, 0x7f0000000010, "not a multiple of 4"},
		{0x7f0000000042, 0x7f0000000000, 0x7f0000000008, 0x7f0000000010, "not 4-byte aligned"},
	} {
		out, err := AppendEntry(dst, c.entry, c.fnWord, c.ccWord, c.stWord)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("AppendEntry(%#x, %#x, %#x) err = %v, want %q", c.entry, c.fnWord, c.ccWord, err, c.want)
		}
		if !bytes.Equal(out, dst) {
			t.Errorf("on error dst changed to % x", out)
		}
	}
}

// TestEntryRuns simulates a C call of a slot: the stub loads the id and
// branches to the entry, which must hand crosscall2 a frame holding every
// argument register, the caller's stack-argument address and the id, and
// return what the Go side left in the frame, with sp, x29 and x30
// restored and only caller-saved registers changed.
func TestEntryRuns(t *testing.T) {
	const (
		base     = 0x7f0000000000
		entryAt  = base + 64
		slotAt   = base + 256 + 5*SlotSize
		fnPC     = 0x4a11ab1e
		cc2      = 0xcc2cc2
		callerSP = 0x7ffff0001230
		retAddr  = 0x400abc
		id       = 0xabcd1234
		states   = 0x7f5500000000 - 8*id // slot id's state word at states+8*id
		stateAt  = states + 8*id
	)
	// The group: data words, padding, entry at 64, then slots from 256.
	group := le64(le64(le64(nil, fnPC), cc2), states)
	group = append(group, make([]byte, 64-24)...)
	group, err := AppendEntry(group, entryAt, base, base+8, base+16)
	if err != nil {
		t.Fatal(err)
	}
	group = append(group, make([]byte, 256+5*SlotSize-len(group))...)
	if group, err = AppendSlot(group, id, slotAt, entryAt); err != nil {
		t.Fatal(err)
	}

	s := newSim(t)
	for i := 0; i < len(group); i += 8 {
		var w [8]byte
		copy(w[:], group[i:])
		s.mem[base+uint64(i)] = uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	}
	for i := range s.x {
		s.x[i] = 0x1000_0000_0000_0000 + uint64(i)*0x0101
	}
	for i := range s.d {
		s.d[i] = 0x2000_0000_0000_0000 + uint64(i)*0x0202
	}
	s.x[31], s.x[30], s.x[29] = callerSP, retAddr, 0xf00f00
	s.mem[callerSP] = 0x57ac4      // the caller's first stack argument
	s.mem[stateAt] = 0x1_0000_0007 // live, generation 7
	before := *s
	rets := [6]uint64{0x11, 0x22, 0x33, 0x44, 0x55, 0x66}
	called := 0
	s.call = func(s *sim, target uint64) {
		called++
		if target != cc2 {
			t.Fatalf("blr to %#x, want crosscall2 %#x", target, uint64(cc2))
		}
		if s.x[31]%16 != 0 {
			t.Errorf("sp %#x not 16-byte aligned at the call", s.x[31])
		}
		if s.x[0] != fnPC || s.x[2] != 0 || s.x[3] != 0 {
			t.Errorf("crosscall2(%#x, frame, %#x, %#x), want fn %#x and zeros", s.x[0], s.x[2], s.x[3], uint64(fnPC))
		}
		f := s.x[1]
		if f < s.x[31] || f+FrameSize > callerSP {
			t.Fatalf("frame at %#x not between sp %#x and the caller's stack %#x", f, s.x[31], uint64(callerSP))
		}
		for i := 0; i < 9; i++ {
			if got := s.load(f + FrameGPR + uint64(8*i)); got != before.x[i] {
				t.Errorf("frame GPR[%d] = %#x, want x%d %#x", i, got, i, before.x[i])
			}
		}
		for i := 0; i < 8; i++ {
			if got := s.load(f + FrameFPR + uint64(8*i)); got != before.d[i] {
				t.Errorf("frame FPR[%d] = %#x, want d%d %#x", i, got, i, before.d[i])
			}
		}
		if got := s.load(f + FrameStackArgs); got != callerSP || s.load(got) != 0x57ac4 {
			t.Errorf("frame StackArgs = %#x, want the caller's sp %#x", got, uint64(callerSP))
		}
		if got := s.load(f + FrameSlot); got != id {
			t.Errorf("frame Slot = %#x, want %#x", got, uint64(id))
		}
		if got := s.load(stateAt); got != 0x1_0000_0007 {
			t.Errorf("state word = %#x, want it read, not written (0x100000007)", got)
		}
		if got := s.load(f + FrameState); got != 0x1_0000_0007 {
			t.Errorf("frame State = %#x, want the state word 0x100000007", got)
		}
		s.store(f+FrameRetGPR, rets[0])
		s.store(f+FrameRetGPR+8, rets[1])
		for i := 0; i < 4; i++ {
			s.store(f+FrameRetFPR+uint64(8*i), rets[2+i])
		}
		// crosscall2 may clobber what a C callee may.
		for i := 0; i < 18; i++ {
			s.x[i] = 0xbad
		}
		for i := 0; i < 8; i++ {
			s.d[i] = 0xbad
		}
	}
	ret := s.run(group, base, slotAt)
	if called != 1 {
		t.Fatalf("crosscall2 called %d times", called)
	}
	if ret != retAddr || s.x[31] != callerSP || s.x[29] != 0xf00f00 {
		t.Errorf("returned to %#x with sp %#x x29 %#x; want %#x, %#x, %#x", ret, s.x[31], s.x[29], uint64(retAddr), uint64(callerSP), 0xf00f00)
	}
	got := [6]uint64{s.x[0], s.x[1], s.d[0], s.d[1], s.d[2], s.d[3]}
	if got != rets {
		t.Errorf("x0 x1 d0..d3 = %#x, want %#x", got, rets)
	}
	for r := range s.written {
		var n int
		if _, err := fmt.Sscanf(r, "x%d", &n); err == nil && n <= 17 || r == "x29" || r == "x30" || r == "sp" {
			continue
		}
		if _, err := fmt.Sscanf(r, "d%d", &n); err == nil && n <= 7 {
			continue
		}
		t.Errorf("the entry writes %s, which a C callee must preserve", r)
	}
	for a := range s.mem {
		if a >= callerSP && a != callerSP && a != stateAt {
			t.Errorf("the entry wrote the caller's stack at %#x", a)
		}
	}
}
