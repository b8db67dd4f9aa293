package x86

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

func TestAppendSlot(t *testing.T) {
	tests := []struct {
		name            string
		id              uint32
		slotAddr, entry uintptr
	}{
		{"first slot, entry before", 0, 0x7f0000001000, 0x7f0000000000},
		{"entry after", 1, 0x7f0000000000, 0x7f0000010000},
		{"big id", 0x12345678, 0x7f0000200000, 0x7f0000000040},
		{"max id", 0xffffffff, 0x7f0000000010, 0x7f0000000010 + 10 + 1<<31 - 1},
		{"farthest back", 7, 0x7f0080000000, 0x7f0080000000 + 10 - 1<<31},
		{"jump to the next slot", 3, 0x40000, 0x40010},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte{0xAA, 0xBB}
			out, err := AppendSlot(prefix, tt.id, tt.slotAddr, tt.entry)
			if err != nil {
				t.Fatalf("AppendSlot: %v", err)
			}
			if !bytes.Equal(out[:2], prefix) {
				t.Fatalf("prefix changed: % x", out[:2])
			}
			slot := out[2:]
			if len(slot) != SlotSize {
				t.Fatalf("slot is %d bytes, want SlotSize=%d", len(slot), SlotSize)
			}
			lines, insts := disasm(t, slot, tt.slotAddr, map[uintptr]string{tt.entry: "entry"})
			want := []string{fmt.Sprintf("mov eax, %#x", int32(tt.id)), "jmp entry"}
			for range SlotSize - slotCodeSize {
				want = append(want, "int3")
			}
			if strings.Join(lines, "\n") != strings.Join(want, "\n") {
				t.Fatalf("decoded:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
			}
			// The id is the 32-bit immediate, the jump lands on the entry.
			if imm := insts[0].Args[1].(x86asm.Imm); uint32(imm) != tt.id || insts[0].Args[0] != x86asm.EAX {
				t.Errorf("mov decodes to %v, want eax <- %#x", insts[0], tt.id)
			}
			rel := insts[1].Args[0].(x86asm.Rel)
			if got := uintptr(int64(tt.slotAddr) + slotCodeSize + int64(rel)); got != tt.entry {
				t.Errorf("jmp target %#x, want %#x", got, tt.entry)
			}
			for i := slotCodeSize; i < SlotSize; i++ {
				if slot[i] != 0xCC {
					t.Errorf("padding byte %d is %#x, want int3 (0xcc)", i, slot[i])
				}
			}
		})
	}
}

func TestAppendSlotBytes(t *testing.T) {
	// mov eax, 0x01020304 ; jmp -(10+16) back to an entry just before the slot.
	out, err := AppendSlot(nil, 0x01020304, 0x1010, 0x1000)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, "b8 04 03 02 01  e9 e6 ff ff ff  cc cc cc cc cc cc")
	if !bytes.Equal(out, want) {
		t.Errorf("slot = % x, want % x", out, want)
	}
}

// TestAppendSlotPage lays out a page of slots after an entry, as the page
// allocator does, and checks that every slot decodes on its own boundary.
func TestAppendSlotPage(t *testing.T) {
	const page = 0x7f1000000000
	const entry = page
	const first = page + 256
	var code []byte
	for id := range uint32(240) {
		var err error
		code, err = AppendSlot(code, id, first+uintptr(id)*SlotSize, entry)
		if err != nil {
			t.Fatalf("slot %d: %v", id, err)
		}
	}
	if len(code) != 240*SlotSize {
		t.Fatalf("%d bytes for 240 slots", len(code))
	}
	for id := range 240 {
		addr := first + uintptr(id)*SlotSize
		lines, _ := disasm(t, code[id*SlotSize:(id+1)*SlotSize], addr, map[uintptr]string{entry: "entry"})
		if lines[0] != fmt.Sprintf("mov eax, %#x", id) || lines[1] != "jmp entry" {
			t.Fatalf("slot %d at %#x decodes to %q", id, addr, lines[:2])
		}
	}
}

func TestAppendSlotRangeErrors(t *testing.T) {
	tests := []struct {
		name            string
		slotAddr, entry uintptr
	}{
		{"entry 2 GiB ahead", 0x7f0000000000, 0x7f0000000000 + 10 + 1<<31},
		{"entry 2 GiB + 1 behind", 0x7f0080000000, 0x7f0080000000 + 10 - 1<<31 - 1},
		{"entry in another half of the address space", 0x7f0000000000, 0x1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			prefix := []byte{1, 2, 3}
			out, err := AppendSlot(prefix, 5, tt.slotAddr, tt.entry)
			if err == nil {
				t.Fatalf("no error, got % x", out)
			}
			want := fmt.Sprintf("jmp rel32 at %#x: target %#x is out of rel32 range", tt.slotAddr+5, tt.entry)
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not contain %q", err, want)
			}
			if !bytes.Equal(out, prefix) {
				t.Errorf("dst changed on error: % x", out)
			}
		})
	}
}

// TestAppendSlotNoAlloc checks that filling a page group of slots does not
// allocate beyond the destination buffer (a million callbacks means a
// million AppendSlot calls).
func TestAppendSlotNoAlloc(t *testing.T) {
	buf := make([]byte, 0, 256*SlotSize)
	allocs := testing.AllocsPerRun(100, func() {
		code := buf[:0]
		for id := range uint32(256) {
			code, _ = AppendSlot(code, id, 0x7f0000010000+uintptr(id)*SlotSize, 0x7f0000000000)
		}
		if len(code) != 256*SlotSize {
			t.Fatalf("%d bytes", len(code))
		}
	})
	if allocs != 0 {
		t.Errorf("AppendSlot allocates %v times per 256 slots", allocs)
	}
}

func BenchmarkAppendSlot(b *testing.B) {
	buf := make([]byte, 0, SlotSize)
	for i := range b.N {
		if _, err := AppendSlot(buf, uint32(i), 0x7f0000010000, 0x7f0000000000); err != nil {
			b.Fatal(err)
		}
	}
}
