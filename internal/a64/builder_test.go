package a64

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// disasm decodes code placed at addr into GNU-syntax lines; a pc-relative
// target that names has an entry for is printed as that name, any other as
// its absolute address.
func disasm(t *testing.T, code []byte, addr uintptr, names map[uintptr]string) ([]string, []arm64asm.Inst) {
	t.Helper()
	if len(code)%4 != 0 {
		t.Fatalf("code is %d bytes, not whole instructions", len(code))
	}
	var lines []string
	var insts []arm64asm.Inst
	for off := 0; off < len(code); off += 4 {
		pc := addr + uintptr(off)
		in, err := arm64asm.Decode(code[off:])
		if err != nil {
			t.Fatalf("at %#x: cannot decode %08x: %v", pc, binary.LittleEndian.Uint32(code[off:]), err)
		}
		s := arm64asm.GNUSyntax(in)
		for _, a := range in.Args {
			if rel, ok := a.(arm64asm.PCRel); ok {
				target := pc + uintptr(rel)
				name, ok := names[target]
				if !ok {
					name = fmt.Sprintf("%#x", target)
				}
				s = strings.Replace(s, rel.String(), name, 1)
			}
		}
		lines = append(lines, s)
		insts = append(insts, in)
	}
	return lines, insts
}

func TestBuilderInstructions(t *testing.T) {
	const pc = 0x10000
	tests := []struct {
		name string
		emit func(b *Builder)
		word uint32
		asm  string
	}{
		{"movz w9 lo", func(b *Builder) { b.MovZ32(X9, 0xbeef, 0) }, 0x5297dde9, "mov w9, #0xbeef"},
		{"movz w9 hi", func(b *Builder) { b.MovZ32(X9, 0x1, 16) }, 0x52a00029, "mov w9, #0x10000"},
		{"movz w2 zero", func(b *Builder) { b.MovZ32(X2, 0, 0) }, 0x52800002, "mov w2, #0x0"},
		{"movk w9", func(b *Builder) { b.MovK32(X9, 0xffff, 16) }, 0x72bfffe9, "movk w9, #0xffff, lsl #16"},
		{"movk w0 low", func(b *Builder) { b.MovK32(X0, 7, 0) }, 0x728000e0, "movk w0, #0x7"},
		{"b forward", func(b *Builder) { b.B(pc + 0x40) }, 0x14000010, "b 0x10040"},
		{"b backward", func(b *Builder) { b.B(pc - 4) }, 0x17ffffff, "b 0xfffc"},
		{"b self", func(b *Builder) { b.B(pc) }, 0x14000000, "b 0x10000"},
		{"b farthest forward", func(b *Builder) { b.B(pc + 1<<27 - 4) }, 0x15ffffff, "b 0x800fffc"},
		{"blr", func(b *Builder) { b.BLR(X10) }, 0xd63f0140, "blr x10"},
		{"ret", func(b *Builder) { b.Ret() }, 0xd65f03c0, "ret"},
		{"brk", func(b *Builder) { b.Brk(0) }, 0xd4200000, "brk #0x0"},
		{"brk imm", func(b *Builder) { b.Brk(0xf000) }, 0xd43e0000, "brk #0xf000"},
		{"mov x29, sp", func(b *Builder) { b.AddImm(X29, SP, 0) }, 0x910003fd, "mov x29, sp"},
		{"add x10, sp", func(b *Builder) { b.AddImm(X10, SP, 224) }, 0x910383ea, "add x10, sp, #0xe0"},
		{"add max", func(b *Builder) { b.AddImm(X1, X2, 4095) }, 0x913ffc41, "add x1, x2, #0xfff"},
		{"add lsl 3", func(b *Builder) { b.AddLsl3(X11, X11, X9) }, 0x8b090d6b, "add x11, x11, x9, lsl #3"},
		{"ldr literal back", func(b *Builder) { b.LdrLit(X0, pc-0x40) }, 0x58fffe00, "ldr x0, 0xffc0"},
		{"ldr literal fwd", func(b *Builder) { b.LdrLit(X10, pc+8) }, 0x5800004a, "ldr x10, 0x10008"},
		{"str x8", func(b *Builder) { b.Str(X8, SP, 80) }, 0xf9002be8, "str x8, [sp,#80]"},
		{"str zero offset", func(b *Builder) { b.Str(X1, X2, 0) }, 0xf9000041, "str x1, [x2]"},
		{"ldr x", func(b *Builder) { b.Ldr(X3, SP, 32760) }, 0xf97fffe3, "ldr x3, [sp,#32760]"},
		{"str d", func(b *Builder) { b.StrD(7, SP, 8) }, 0xfd0007e7, "str d7, [sp,#8]"},
		{"ldr d", func(b *Builder) { b.LdrD(0, X1, 16) }, 0xfd400820, "ldr d0, [x1,#16]"},
		{"stp pre", func(b *Builder) { b.StpPre(X29, X30, SP, -224) }, 0xa9b27bfd, "stp x29, x30, [sp,#-224]!"},
		{"stp pre min", func(b *Builder) { b.StpPre(X29, X30, SP, -512) }, 0xa9a07bfd, "stp x29, x30, [sp,#-512]!"},
		{"stp", func(b *Builder) { b.Stp(X0, X1, SP, 16) }, 0xa90107e0, "stp x0, x1, [sp,#16]"},
		{"stp max", func(b *Builder) { b.Stp(X6, X7, SP, 504) }, 0xa91f9fe6, "stp x6, x7, [sp,#504]"},
		{"ldp", func(b *Builder) { b.Ldp(X0, X1, SP, 168) }, 0xa94a87e0, "ldp x0, x1, [sp,#168]"},
		{"ldp post", func(b *Builder) { b.LdpPost(X29, X30, SP, 224) }, 0xa8ce7bfd, "ldp x29, x30, [sp],#224"},
		{"stp d", func(b *Builder) { b.StpD(6, 7, SP, 136) }, 0x6d089fe6, "stp d6, d7, [sp,#136]"},
		{"ldp d", func(b *Builder) { b.LdpD(2, 3, SP, 200) }, 0x6d4c8fe2, "ldp d2, d3, [sp,#200]"},
		{"ldp d negative", func(b *Builder) { b.LdpD(0, 1, X1, -16) }, 0x6d7f0420, "ldp d0, d1, [x1,#-16]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder([]byte{0xaa}, pc)
			tt.emit(&b)
			if err := b.Err(); err != nil {
				t.Fatal(err)
			}
			out := b.Bytes()
			if len(out) != 5 || out[0] != 0xaa || b.Len() != 4 || b.PC() != pc+4 {
				t.Fatalf("appended % x (Len %d, PC %#x), want one word after the prefix", out, b.Len(), b.PC())
			}
			if w := binary.LittleEndian.Uint32(out[1:]); w != tt.word {
				t.Errorf("word %08x, want %08x", w, tt.word)
			}
			lines, _ := disasm(t, out[1:], pc, nil)
			if lines[0] != tt.asm {
				t.Errorf("decodes as %q, want %q", lines[0], tt.asm)
			}
		})
	}
}

func TestBuilderErrors(t *testing.T) {
	const pc = 0x10000000
	tests := []struct {
		name string
		emit func(b *Builder)
		want string
	}{
		{"b too far forward", func(b *Builder) { b.B(pc + 1<<27) }, "b at 0x10000000: offset 134217728 out of range"},
		{"b too far back", func(b *Builder) { b.B(pc - 1<<27 - 4) }, "b at 0x10000000: offset -134217732 out of range"},
		{"b misaligned", func(b *Builder) { b.B(pc + 2) }, "not a multiple of 4"},
		{"ldr literal too far", func(b *Builder) { b.LdrLit(X0, pc+1<<20) }, "ldr x0, literal at 0x10000000: offset 1048576 out of range"},
		{"stp offset too big", func(b *Builder) { b.Stp(X0, X1, SP, 512) }, "stp at 0x10000000: offset 512 out of range -512..504"},
		{"stp offset unaligned", func(b *Builder) { b.StpD(0, 1, SP, 12) }, "stp d at 0x10000000: offset 12 is not a multiple of 8"},
		{"str negative", func(b *Builder) { b.Str(X0, SP, -8) }, "str at 0x10000000: offset -8 out of range 0..32760"},
		{"ldr too big", func(b *Builder) { b.Ldr(X0, SP, 32768) }, "ldr at 0x10000000: offset 32768 out of range"},
		{"add too big", func(b *Builder) { b.AddImm(X0, SP, 4096) }, "add at 0x10000000: immediate 4096 out of range"},
		{"movk bad shift", func(b *Builder) { b.MovK32(X0, 1, 32) }, "shift 32 is not 0 or 16"},
		{"bad register", func(b *Builder) { b.BLR(32) }, "register number 32 out of range"},
		{"pad past", func(b *Builder) { b.Ret(); b.Ret(); b.PadBrk(4) }, "code is 8 bytes, cannot pad to 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder(nil, pc)
			tt.emit(&b)
			if err := b.Err(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			n := b.Len()
			b.Ret() // after an error nothing more is appended
			if b.Len() != n {
				t.Errorf("Builder appended after an error")
			}
		})
	}
	if b := NewBuilder(nil, 0x1002); b.Err() == nil || !strings.Contains(b.Err().Error(), "not 4-byte aligned") {
		t.Errorf("misaligned origin: err = %v", b.Err())
	}
}

func TestRegNames(t *testing.T) {
	for r, want := range map[Reg]string{X0: "x0", X9: "x9", X30: "x30", SP: "sp", 40: "reg40"} {
		if r.String() != want {
			t.Errorf("Reg(%d) = %q, want %q", uint8(r), r.String(), want)
		}
	}
	if s := VReg(3).String(); s != "d3" {
		t.Errorf("VReg(3) = %q", s)
	}
}
