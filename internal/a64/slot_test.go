package a64

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

func TestAppendSlot(t *testing.T) {
	tests := []struct {
		name            string
		id              uint32
		slotAddr, entry uintptr
	}{
		{"first slot, entry before", 0, 0x7f0000001000, 0x7f0000000040},
		{"entry after", 1, 0x7f0000000000, 0x7f0000010000},
		{"id with both halves", 0x12345678, 0x7f0000200000, 0x7f0000000040},
		{"max id", 0xffffffff, 0x7f0000000010, 0x7f0000000010 + 8 + 1<<27 - 4},
		{"farthest back", 7, 0x7f0080000000, 0x7f0080000000 + 8 - 1<<27},
		{"branch to the next slot", 3, 0x40000, 0x40010},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte{0xaa, 0xbb, 0xcc, 0xdd}
			out, err := AppendSlot(prefix, tt.id, tt.slotAddr, tt.entry)
			if err != nil {
				t.Fatalf("AppendSlot: %v", err)
			}
			if !bytes.Equal(out[:4], prefix) {
				t.Fatalf("prefix changed: % x", out[:4])
			}
			slot := out[4:]
			if len(slot) != SlotSize {
				t.Fatalf("slot is %d bytes, want SlotSize=%d", len(slot), SlotSize)
			}
			lines, insts := disasm(t, slot, tt.slotAddr, map[uintptr]string{tt.entry: "entry"})
			want := []string{
				fmt.Sprintf("mov w9, #%#x", tt.id&0xffff),
				fmt.Sprintf("movk w9, #%#x, lsl #16", tt.id>>16),
				"b entry",
				"brk #0x0",
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Fatalf("decoded:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
			}
			// What x9 holds when the branch lands: movz then movk, read
			// from the decoded operands.
			lo := uint32(insts[0].Args[1].(arm64asm.Imm).Imm)
			hi := insts[1].Args[1].(arm64asm.ImmShift)
			if insts[0].Args[0] != arm64asm.W9 || insts[1].Args[0] != arm64asm.W9 {
				t.Errorf("slot writes %v and %v, want w9", insts[0].Args[0], insts[1].Args[0])
			}
			if got := lo | uint32(hiImm(t, hi))<<16; got != tt.id {
				t.Errorf("x9 = %#x, want id %#x", got, tt.id)
			}
		})
	}
}

// hiImm returns the 16-bit immediate of a `movk ..., lsl #16` operand.
func hiImm(t *testing.T, is arm64asm.ImmShift) uint16 {
	t.Helper()
	var imm uint16
	var sh int
	if _, err := fmt.Sscanf(is.String(), "#%v, LSL #%d", &imm, &sh); err != nil || sh != 16 {
		t.Fatalf("movk operand %q: %v", is.String(), err)
	}
	return imm
}

func TestAppendSlotBytes(t *testing.T) {
	// movz w9, #0x0304 ; movk w9, #0x0102, lsl #16 ; b back 24 bytes ; brk #0
	out, err := AppendSlot(nil, 0x01020304, 0x1010, 0x1000)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x89, 0x60, 0x80, 0x52,
		0x49, 0x20, 0xa0, 0x72,
		0xfa, 0xff, 0xff, 0x17,
		0x00, 0x00, 0x20, 0xd4,
	}
	if !bytes.Equal(out, want) {
		t.Errorf("slot = % x, want % x", out, want)
	}
}

func TestAppendSlotErrors(t *testing.T) {
	dst := []byte{1, 2, 3}
	for _, c := range []struct {
		slot, entry uintptr
		want        string
	}{
		{0x7f0000000000, 0x7f0000000000 + 8 + 1<<27, "b at 0x7f0000000008: offset 134217728 out of range"},
		{0x7f0000000000, 0x7f0000000000 + 8 - 1<<27 - 4, "out of range"},
		{0x7f0000000002, 0x7f0000001000, "not 4-byte aligned"},
	} {
		out, err := AppendSlot(dst, 5, c.slot, c.entry)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("AppendSlot(slot %#x, entry %#x) err = %v, want %q", c.slot, c.entry, err, c.want)
		}
		if !bytes.Equal(out, dst) {
			t.Errorf("on error dst changed to % x", out)
		}
	}
}

// TestAppendSlotPage lays out slots after an entry, as the page allocator
// does, and checks that every slot decodes on its own boundary and branches
// to the entry.
func TestAppendSlotPage(t *testing.T) {
	const base = 0x7f1000000000
	const entry = base + 64
	const header = 256
	var page []byte
	for i := 0; i < 256; i++ {
		var err error
		page, err = AppendSlot(page, uint32(i)*0x10001, base+header+uintptr(len(page)), entry)
		if err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 256; i++ {
		at := base + header + uintptr(i*SlotSize)
		lines, _ := disasm(t, page[i*SlotSize:(i+1)*SlotSize], at, map[uintptr]string{entry: "entry"})
		id := uint32(i) * 0x10001
		if lines[0] != fmt.Sprintf("mov w9, #%#x", id&0xffff) || lines[2] != "b entry" {
			t.Fatalf("slot %d at %#x decodes as %q", i, at, lines)
		}
	}
}
