package a64

import (
	"encoding/binary"
	"strings"
	"testing"
)

// TestBuilderCallInstructions checks the stub instructions (builder_call.go)
// word for word against GNU as (aarch64-linux-gnu-as, objdump -d) and
// decodes each back.
func TestBuilderCallInstructions(t *testing.T) {
	const pc = 0x10000
	tests := []struct {
		name string
		emit func(b *Builder)
		word uint32
		asm  string
	}{
		{"ldr w", func(b *Builder) { b.LdrW(X9, X19, 0x200) }, 0xb9420269, "ldr w9, [x19,#512]"},
		{"ldr w max", func(b *Builder) { b.LdrW(X3, SP, 16380) }, 0xb97fffe3, "ldr w3, [sp,#16380]"},
		{"ldrsw", func(b *Builder) { b.Ldrsw(X0, X19, 0x78) }, 0xb9807a60, "ldrsw x0, [x19,#120]"},
		{"ldrsw sp", func(b *Builder) { b.Ldrsw(X9, SP, 0) }, 0xb98003e9, "ldrsw x9, [sp]"},
		{"ldr s", func(b *Builder) { b.LdrS(1, X19, 0x258) }, 0xbd425a61, "ldr s1, [x19,#600]"},
		{"ldr s31", func(b *Builder) { b.LdrS(31, X2, 4) }, 0xbd40045f, "ldr s31, [x2,#4]"},
		{"lsl 32", func(b *Builder) { b.LslImm(X9, X9, 32) }, 0xd3607d29, "lsl x9, x9, #32"},
		{"lsl 1", func(b *Builder) { b.LslImm(X2, X3, 1) }, 0xd37ff862, "lsl x2, x3, #1"},
		{"lsr 8", func(b *Builder) { b.LsrImm(X9, X9, 8) }, 0xd348fd29, "lsr x9, x9, #8"},
		{"lsr 63", func(b *Builder) { b.LsrImm(X0, X1, 63) }, 0xd37ffc20, "lsr x0, x1, #63"},
		{"asr 48", func(b *Builder) { b.AsrImm(X9, X9, 48) }, 0x9370fd29, "asr x9, x9, #48"},
		{"asr 1", func(b *Builder) { b.AsrImm(X10, X11, 1) }, 0x9341fd6a, "asr x10, x11, #1"},
		{"cmp 0", func(b *Builder) { b.CmpZero(X11) }, 0xf100017f, "cmp x11, #0x0"},
		{"csel ne zero", func(b *Builder) { b.CselNEZero(X3, X3) }, 0x9a9f1063, "csel x3, x3, xzr, ne"},
		{"csel ne zero x9", func(b *Builder) { b.CselNEZero(X9, X9) }, 0x9a9f1129, "csel x9, x9, xzr, ne"},
		{"orr", func(b *Builder) { b.Orr(X3, X3, X9) }, 0xaa090063, "orr x3, x3, x9"},
		{"mov", func(b *Builder) { b.Orr(X20, ZR, X0) }, 0xaa0003f4, "mov x20, x0"},
		{"fmov d2", func(b *Builder) { b.FmovDX(2, X9) }, 0x9e670122, "fmov d2, x9"},
		{"fmov d7", func(b *Builder) { b.FmovDX(7, X10) }, 0x9e670147, "fmov d7, x10"},
		{"movz", func(b *Builder) { b.MovZ(X9, 0xabcd, 0) }, 0xd29579a9, "mov x9, #0xabcd"},
		{"movz 16", func(b *Builder) { b.MovZ(X9, 0xabcd, 16) }, 0xd2b579a9, "mov x9, #0xabcd0000"},
		{"movk 32", func(b *Builder) { b.MovK(X9, 0x7f00, 32) }, 0xf2cfe009, "movk x9, #0x7f00, lsl #32"},
		{"movk 48", func(b *Builder) { b.MovK(X10, 0xffff, 48) }, 0xf2ffffea, "movk x10, #0xffff, lsl #48"},
		{"sub reg", func(b *Builder) { b.SubReg(X0, X0, X20) }, 0xcb140000, "sub x0, x0, x20"},
		{"add reg", func(b *Builder) { b.AddReg(X19, X19, X0) }, 0x8b000273, "add x19, x19, x0"},
		{"sub sp", func(b *Builder) { b.SubImm(SP, SP, 0x50) }, 0xd10143ff, "sub sp, sp, #0x50"},
		{"sub base", func(b *Builder) { b.SubImm(X19, X0, 72) }, 0xd1012013, "sub x19, x0, #0x48"},
		{"sub sp lsl 12", func(b *Builder) { b.SubImm(SP, SP, 0x4000) }, 0xd14013ff, "sub sp, sp, #0x4, lsl #12"},
		{"sub sp max", func(b *Builder) { b.SubImm(SP, SP, 4095) }, 0xd13fffff, "sub sp, sp, #0xfff"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder(nil, pc)
			tt.emit(&b)
			if err := b.Err(); err != nil {
				t.Fatal(err)
			}
			out := b.Bytes()
			if len(out) != 4 {
				t.Fatalf("appended % x, want one word", out)
			}
			if w := binary.LittleEndian.Uint32(out); w != tt.word {
				t.Errorf("word %08x, want %08x", w, tt.word)
			}
			lines, _ := disasm(t, out, pc, nil)
			if lines[0] != tt.asm {
				t.Errorf("decodes as %q, want %q", lines[0], tt.asm)
			}
		})
	}
}

// TestBuilderCallErrors checks that the stub instructions refuse what
// their forms cannot encode, naming the instruction.
func TestBuilderCallErrors(t *testing.T) {
	const pc = 0x10000
	tests := []struct {
		name string
		emit func(b *Builder)
		want string
	}{
		{"ldr w unaligned", func(b *Builder) { b.LdrW(X0, X1, 6) }, "ldr w at 0x10000: offset 6 is not a multiple of 4"},
		{"ldrsw too far", func(b *Builder) { b.Ldrsw(X0, X1, 16384) }, "ldrsw at 0x10000: offset 16384 out of range 0..16380"},
		{"ldr s negative", func(b *Builder) { b.LdrS(0, X1, -4) }, "ldr s at 0x10000: offset -4 out of range"},
		{"lsl 0", func(b *Builder) { b.LslImm(X0, X0, 0) }, "lsl at 0x10000: shift 0 out of range 1..63"},
		{"lsr 64", func(b *Builder) { b.LsrImm(X0, X0, 64) }, "lsr at 0x10000: shift 64 out of range 1..63"},
		{"asr 200", func(b *Builder) { b.AsrImm(X0, X0, 200) }, "asr at 0x10000: shift 200 out of range"},
		{"sub odd", func(b *Builder) { b.SubImm(SP, SP, 4097) }, "sub at 0x10000: immediate 4097 is neither"},
		{"sub huge", func(b *Builder) { b.SubImm(SP, SP, 0x1000000) }, "sub at 0x10000: immediate 16777216"},
		{"movk bad shift", func(b *Builder) { b.MovK(X0, 1, 64) }, "shift 64 is not 0, 16, 32 or 48"},
		{"movz odd shift", func(b *Builder) { b.MovZ(X0, 1, 8) }, "shift 8 is not"},
		{"fmov bad register", func(b *Builder) { b.FmovDX(32, X0) }, "register number 32 out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder(nil, pc)
			tt.emit(&b)
			if err := b.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if b.Len() != 0 {
				t.Errorf("emitted % x", b.Bytes())
			}
		})
	}
}
