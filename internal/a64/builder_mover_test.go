package a64

import (
	"encoding/binary"
	"strings"
	"testing"
)

// TestBuilderMoverInstructions checks the movers' loads and stores
// (builder_mover.go) word for word against GNU as (aarch64-linux-gnu-as,
// objdump -d) and decodes each back; an offset that is not a multiple of
// the access size, or too large, is an error naming the instruction.
func TestBuilderMoverInstructions(t *testing.T) {
	const pc = 0x10000
	for _, c := range []struct {
		name string
		emit func(b *Builder)
		word uint32
		asm  string
	}{
		{"ldrb", func(b *Builder) { b.Ldrb(22, 20, 3) }, 0x39400e96, "ldrb w22, [x20,#3]"},
		{"ldrsb", func(b *Builder) { b.Ldrsb(X3, 21, 255) }, 0x3983fea3, "ldrsb x3, [x21,#255]"},
		{"ldrh", func(b *Builder) { b.Ldrh(22, 20, 6) }, 0x79400e96, "ldrh w22, [x20,#6]"},
		{"ldrsh max", func(b *Builder) { b.Ldrsh(15, 20, 8190) }, 0x79bffe8f, "ldrsh x15, [x20,#8190]"},
		{"strb", func(b *Builder) { b.Strb(22, SP, 9) }, 0x390027f6, "strb w22, [sp,#9]"},
		{"strh", func(b *Builder) { b.Strh(22, SP, 10) }, 0x790017f6, "strh w22, [sp,#10]"},
		{"str w", func(b *Builder) { b.StrW(22, SP, 12) }, 0xb9000ff6, "str w22, [sp,#12]"},
		{"str w x0", func(b *Builder) { b.StrW(X0, 20, 4) }, 0xb9000680, "str w0, [x20,#4]"},
		{"str s", func(b *Builder) { b.StrS(3, 20, 212) }, 0xbd00d683, "str s3, [x20,#212]"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := NewBuilder(nil, pc)
			c.emit(&b)
			if err := b.Err(); err != nil {
				t.Fatal(err)
			}
			out := b.Bytes()
			if len(out) != 4 {
				t.Fatalf("appended % x, want one word", out)
			}
			if w := binary.LittleEndian.Uint32(out); w != c.word {
				t.Errorf("word %08x, want %08x", w, c.word)
			}
			if lines, _ := disasm(t, out, pc, nil); lines[0] != c.asm {
				t.Errorf("decodes as %q, want %q", lines[0], c.asm)
			}
		})
	}
	for _, c := range []struct {
		emit func(b *Builder)
		want string
	}{
		{func(b *Builder) { b.Ldrh(0, 20, 3) }, "ldrh at 0x10000: offset 3 is not a multiple of 2"},
		{func(b *Builder) { b.StrW(0, 20, 6) }, "str w at 0x10000: offset 6 is not a multiple of 4"},
		{func(b *Builder) { b.Strb(0, 20, 4096) }, "strb at 0x10000: offset 4096 out of range 0..4095"},
	} {
		b := NewBuilder(nil, pc)
		c.emit(&b)
		if err := b.Err(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one containing %q", err, c.want)
		}
	}
}
