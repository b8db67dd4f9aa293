package x86

import (
	"bytes"
	"testing"
)

// TestBuilderMoverInstructions checks the movers' loads and stores
// (builder_mover.go) byte for byte against GNU as (as -msyntax=intel,
// objdump -d -M intel) and decodes each back.
func TestBuilderMoverInstructions(t *testing.T) {
	for _, c := range []struct {
		name  string
		emit  func(b *Builder)
		bytes []byte
		asm   string
	}{
		{"movsx byte", func(b *Builder) { b.Load8Sext(RDX, R13, 8) }, []byte{0x49, 0x0f, 0xbe, 0x55, 0x08}, "movsx rdx, byte ptr [r13+0x8]"},
		{"movsx byte r12", func(b *Builder) { b.Load8Sext(RAX, R12, 0) }, []byte{0x49, 0x0f, 0xbe, 0x04, 0x24}, "movsx rax, byte ptr [r12]"},
		{"movzx byte", func(b *Builder) { b.Load8(RDX, R12, 0x10) }, []byte{0x41, 0x0f, 0xb6, 0x54, 0x24, 0x10}, "movzx edx, byte ptr [r12+0x10]"},
		{"movsx word", func(b *Builder) { b.Load16Sext(RDI, R12, 8) }, []byte{0x49, 0x0f, 0xbf, 0x7c, 0x24, 0x08}, "movsx rdi, word ptr [r12+0x8]"},
		{"movzx word", func(b *Builder) { b.Load16(R11, R13, 0) }, []byte{0x45, 0x0f, 0xb7, 0x5d, 0x00}, "movzx r11d, word ptr [r13]"},
		{"mov dword", func(b *Builder) { b.Store32(RSP, 0x10, RDX) }, []byte{0x89, 0x54, 0x24, 0x10}, "mov dword ptr [rsp+0x10], edx"},
		{"mov dword r12", func(b *Builder) { b.Store32(R12, 0x94, RAX) }, []byte{0x41, 0x89, 0x84, 0x24, 0x94, 0x00, 0x00, 0x00}, "mov dword ptr [r12+0x94], eax"},
		{"mov word", func(b *Builder) { b.Store16(RSP, 0x12, RDX) }, []byte{0x66, 0x89, 0x54, 0x24, 0x12}, "mov word ptr [rsp+0x12], dx"},
		{"mov byte", func(b *Builder) { b.Store8(RSP, 9, RDX) }, []byte{0x88, 0x54, 0x24, 0x09}, "mov byte ptr [rsp+0x9], dl"},
		{"mov byte sil", func(b *Builder) { b.Store8(R12, 9, RSI) }, []byte{0x41, 0x88, 0x74, 0x24, 0x09}, "mov byte ptr [r12+0x9], sil"},
		{"mov byte dil", func(b *Builder) { b.Store8(RSP, 0, RDI) }, []byte{0x40, 0x88, 0x3c, 0x24}, "mov byte ptr [rsp], dil"},
		{"movss store", func(b *Builder) { b.StoreSS(R12, 0xa4, X1) }, []byte{0xf3, 0x41, 0x0f, 0x11, 0x8c, 0x24, 0xa4, 0x00, 0x00, 0x00}, "movss dword ptr [r12+0xa4], xmm1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := NewBuilder(nil, testOrigin)
			c.emit(&b)
			if err := b.Err(); err != nil {
				t.Fatal(err)
			}
			if got := b.Bytes(); !bytes.Equal(got, c.bytes) {
				t.Errorf("bytes % x, want % x", got, c.bytes)
			}
			lines, _ := disasm(t, b.Bytes(), testOrigin, nil)
			if len(lines) != 1 || lines[0] != c.asm {
				t.Errorf("decodes as %q, want %q", lines, c.asm)
			}
		})
	}
}
