package x86

import (
	"bytes"
	"strings"
	"testing"
)

// TestBuilderCallInstructions checks the stub instructions (builder_call.go)
// byte for byte against GNU as and decodes each back.
func TestBuilderCallInstructions(t *testing.T) {
	tests := []struct {
		name string
		emit func(b *Builder)
		hex  string
		asm  string
	}{
		{"pop rbx", func(b *Builder) { b.Pop(RBX) }, "5b", "pop rbx"},
		{"pop r12", func(b *Builder) { b.Pop(R12) }, "41 5c", "pop r12"},
		{"mov eax, [rbx+0x10]", func(b *Builder) { b.Load32(RAX, RBX, 0x10) }, "8b 43 10", "mov eax, dword ptr [rbx+0x10]"},
		{"mov r9d, [rbx+0x200]", func(b *Builder) { b.Load32(R9, RBX, 0x200) }, "44 8b 8b 00 02 00 00", "mov r9d, dword ptr [rbx+0x200]"},
		{"movsxd rdi, [rbx+0x78]", func(b *Builder) { b.Load32Sext(RDI, RBX, 0x78) }, "48 63 7b 78", "movsxd rdi, dword ptr [rbx+0x78]"},
		{"movsxd r8, [r12]", func(b *Builder) { b.Load32Sext(R8, R12, 0) }, "4d 63 04 24", "movsxd r8, dword ptr [r12]"},
		{"shl rax, 32", func(b *Builder) { b.ShlImm(RAX, 32) }, "48 c1 e0 20", "shl rax, 0x20"},
		{"shr r9, 8", func(b *Builder) { b.ShrImm(R9, 8) }, "49 c1 e9 08", "shr r9, 0x8"},
		{"sar rax, 63", func(b *Builder) { b.SarImm(RAX, 63) }, "48 c1 f8 3f", "sar rax, 0x3f"},
		{"or rdi, rax", func(b *Builder) { b.OrRegReg(RDI, RAX) }, "48 09 c7", "or rdi, rax"},
		{"or r9, rax", func(b *Builder) { b.OrRegReg(R9, RAX) }, "49 09 c1", "or r9, rax"},
		{"add rbx, rax", func(b *Builder) { b.AddRegReg(RBX, RAX) }, "48 01 c3", "add rbx, rax"},
		{"sub rax, r12", func(b *Builder) { b.SubRegReg(RAX, R12) }, "4c 29 e0", "sub rax, r12"},
		{"or [rsp+8], rax", func(b *Builder) { b.OrStore64(RSP, 8, RAX) }, "48 09 44 24 08", "or qword ptr [rsp+0x8], rax"},
		{"or [rbx+0x100], r10", func(b *Builder) { b.OrStore64(RBX, 0x100, R10) }, "4c 09 93 00 01 00 00", "or qword ptr [rbx+0x100], r10"},
		{"test rax", func(b *Builder) { b.TestReg(RAX) }, "48 85 c0", "test rax, rax"},
		{"test r9", func(b *Builder) { b.TestReg(R9) }, "4d 85 c9", "test r9, r9"},
		{"cmovnz rax, [rbx+0x200]", func(b *Builder) { b.CmovNZLoad64(RAX, RBX, 0x200) }, "48 0f 45 83 00 02 00 00", "cmovnz rax, qword ptr [rbx+0x200]"},
		{"cmovnz r9, [rbx+8]", func(b *Builder) { b.CmovNZLoad64(R9, RBX, 8) }, "4c 0f 45 4b 08", "cmovnz r9, qword ptr [rbx+0x8]"},
		{"cmovnz rdi, [rsp+0x10]", func(b *Builder) { b.CmovNZLoad64(RDI, RSP, 0x10) }, "48 0f 45 7c 24 10", "cmovnz rdi, qword ptr [rsp+0x10]"},
		{"movss xmm3, [rbx+0x40]", func(b *Builder) { b.LoadSS(X3, RBX, 0x40) }, "f3 0f 10 5b 40", "movss xmm3, dword ptr [rbx+0x40]"},
		{"movss xmm9, [r13]", func(b *Builder) { b.LoadSS(X9, R13, 0) }, "f3 45 0f 10 4d 00", "movss xmm9, dword ptr [r13]"},
		{"movq xmm0, rax", func(b *Builder) { b.MovqXR(X0, RAX) }, "66 48 0f 6e c0", "movq xmm0, rax"},
		{"movq xmm7, r11", func(b *Builder) { b.MovqXR(X7, R11) }, "66 49 0f 6e fb", "movq xmm7, r11"},
		{"movq rcx, xmm0", func(b *Builder) { b.MovqRX(RCX, X0) }, "66 48 0f 7e c1", "movq rcx, xmm0"},
		{"movq r9, xmm12", func(b *Builder) { b.MovqRX(R9, X12) }, "66 4d 0f 7e e1", "movq r9, xmm12"},
		{"mov ecx, eax", func(b *Builder) { b.Mov32RegReg(RCX, RAX) }, "89 c1", "mov ecx, eax"},
		{"mov r10d, edx", func(b *Builder) { b.Mov32RegReg(R10, RDX) }, "41 89 d2", "mov r10d, edx"},
		{"movsxd rcx, eax", func(b *Builder) { b.MovsxdRegReg(RCX, RAX) }, "48 63 c8", "movsxd rcx, eax"},
		{"movsxd r8, r11d", func(b *Builder) { b.MovsxdRegReg(R8, R11) }, "4d 63 c3", "movsxd r8, r11d"},
		{"movabs rax", func(b *Builder) { b.MovImm64(RAX, 0x123456789abcdef0) }, "48 b8 f0 de bc 9a 78 56 34 12", "mov rax, 0x123456789abcdef0"},
		{"movabs r11", func(b *Builder) { b.MovImm64(R11, 0x1122334455667788) }, "49 bb 88 77 66 55 44 33 22 11", "mov r11, 0x1122334455667788"},
		{"call rax", func(b *Builder) { b.CallReg(RAX) }, "ff d0", "call rax"},
		{"call r11", func(b *Builder) { b.CallReg(R11) }, "41 ff d3", "call r11"},
		{"call [rbx+0x30]", func(b *Builder) { b.CallMem(RBX, 0x30) }, "ff 53 30", "call qword ptr [rbx+0x30]"},
		{"call [r12+0x400]", func(b *Builder) { b.CallMem(R12, 0x400) }, "41 ff 94 24 00 04 00 00", "call qword ptr [r12+0x400]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder(nil, testOrigin)
			tt.emit(&b)
			if err := b.Err(); err != nil {
				t.Fatalf("Err() = %v", err)
			}
			want := unhex(t, tt.hex)
			if got := b.Bytes(); !bytes.Equal(got, want) {
				t.Errorf("bytes = % x, want % x", got, want)
			}
			lines, _ := disasm(t, b.Bytes(), testOrigin, nil)
			if len(lines) != 1 || lines[0] != tt.asm {
				t.Errorf("decoded as %q, want [%q]", lines, tt.asm)
			}
		})
	}
}

func TestBuilderShiftRange(t *testing.T) {
	for _, n := range []uint8{0, 64, 200} {
		b := NewBuilder(nil, testOrigin)
		b.ShlImm(RAX, n)
		if err := b.Err(); err == nil || !strings.Contains(err.Error(), "shift count") {
			t.Errorf("shl rax, %d: Err() = %v, want a shift count error", n, err)
		}
		if b.Len() != 0 {
			t.Errorf("shl rax, %d emitted % x", n, b.Bytes())
		}
	}
}
