package x86

import (
	"bytes"
	"encoding/hex"
	"strings"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// testOrigin is where the builder tests pretend their code lives.
const testOrigin = 0x7f0012340000

// symbols returns an x86asm.SymLookup that names the exact addresses in m.
func symbols(m map[uintptr]string) x86asm.SymLookup {
	return func(addr uint64) (string, uint64) {
		if s, ok := m[uintptr(addr)]; ok {
			return s, addr
		}
		return "", 0
	}
}

// disasm decodes code placed at addr into Intel-syntax lines, failing the
// test on bytes that do not decode. x86asm keeps a 32-bit displacement
// zero-extended in Mem.Disp; the CPU sign-extends it, so disasm does too
// (then [rsp-0x81] and backward rip-relative targets print as such).
func disasm(t *testing.T, code []byte, addr uintptr, syms map[uintptr]string) ([]string, []x86asm.Inst) {
	t.Helper()
	var lines []string
	var insts []x86asm.Inst
	for p := 0; p < len(code); {
		in, err := x86asm.Decode(code[p:], 64)
		if err != nil {
			t.Fatalf("decode at offset %d (% x): %v", p, code[p:], err)
		}
		for i, a := range in.Args {
			if m, ok := a.(x86asm.Mem); ok {
				m.Disp = int64(int32(m.Disp))
				in.Args[i] = m
			}
		}
		lines = append(lines, x86asm.IntelSyntax(in, uint64(addr)+uint64(p), symbols(syms)))
		insts = append(insts, in)
		p += in.Len
	}
	return lines, insts
}

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func TestBuilderInstructions(t *testing.T) {
	const (
		fwd  = testOrigin + 0x1000     // a data word / target after the code
		back = testOrigin - 0x7fff0000 // far before the code, still in range
	)
	syms := map[uintptr]string{fwd: "fwd", back: "back"}
	tests := []struct {
		name string
		emit func(b *Builder)
		hex  string
		asm  string
	}{
		{"push rbp", func(b *Builder) { b.Push(RBP) }, "55", "push rbp"},
		{"push rax", func(b *Builder) { b.Push(RAX) }, "50", "push rax"},
		{"push r12", func(b *Builder) { b.Push(R12) }, "41 54", "push r12"},
		{"push r15", func(b *Builder) { b.Push(R15) }, "41 57", "push r15"},

		{"mov rbp, rsp", func(b *Builder) { b.MovRegReg(RBP, RSP) }, "48 89 e5", "mov rbp, rsp"},
		{"mov rsi, rsp", func(b *Builder) { b.MovRegReg(RSI, RSP) }, "48 89 e6", "mov rsi, rsp"},
		{"mov r11, rax", func(b *Builder) { b.MovRegReg(R11, RAX) }, "49 89 c3", "mov r11, rax"},
		{"mov rax, r15", func(b *Builder) { b.MovRegReg(RAX, R15) }, "4c 89 f8", "mov rax, r15"},
		{"mov r9, r10", func(b *Builder) { b.MovRegReg(R9, R10) }, "4d 89 d1", "mov r9, r10"},

		{"sub rsp, 176", func(b *Builder) { b.SubImm32(RSP, 176) }, "48 81 ec b0 00 00 00", "sub rsp, 0xb0"},
		{"sub rsp, 8 (still imm32)", func(b *Builder) { b.SubImm32(RSP, 8) }, "48 81 ec 08 00 00 00", "sub rsp, 0x8"},
		{"sub r9, -1", func(b *Builder) { b.SubImm32(R9, -1) }, "49 81 e9 ff ff ff ff", "sub r9, -0x1"},
		{"sub rax, 0x7fffffff", func(b *Builder) { b.SubImm32(RAX, 0x7fffffff) }, "48 81 e8 ff ff ff 7f", "sub rax, 0x7fffffff"},

		{"store [rsp], rdi", func(b *Builder) { b.Store64(RSP, 0, RDI) }, "48 89 3c 24", "mov qword ptr [rsp], rdi"},
		{"store [rsp+8], rsi", func(b *Builder) { b.Store64(RSP, 8, RSI) }, "48 89 74 24 08", "mov qword ptr [rsp+0x8], rsi"},
		{"store [rsp+127], r9", func(b *Builder) { b.Store64(RSP, 127, R9) }, "4c 89 4c 24 7f", "mov qword ptr [rsp+0x7f], r9"},
		{"store [rsp+128], r11", func(b *Builder) { b.Store64(RSP, 128, R11) }, "4c 89 9c 24 80 00 00 00", "mov qword ptr [rsp+0x80], r11"},
		{"store [rsp-128], rax", func(b *Builder) { b.Store64(RSP, -128, RAX) }, "48 89 44 24 80", "mov qword ptr [rsp-0x80], rax"},
		{"store [rsp-129], rax", func(b *Builder) { b.Store64(RSP, -129, RAX) }, "48 89 84 24 7f ff ff ff", "mov qword ptr [rsp-0x81], rax"},
		{"store [rbp], rax (rbp needs disp8)", func(b *Builder) { b.Store64(RBP, 0, RAX) }, "48 89 45 00", "mov qword ptr [rbp], rax"},
		{"store [r13], rdx (r13 needs disp8)", func(b *Builder) { b.Store64(R13, 0, RDX) }, "49 89 55 00", "mov qword ptr [r13], rdx"},
		{"store [r12], rcx (r12 needs SIB)", func(b *Builder) { b.Store64(R12, 0, RCX) }, "49 89 0c 24", "mov qword ptr [r12], rcx"},
		{"store [rax-8], rcx", func(b *Builder) { b.Store64(RAX, -8, RCX) }, "48 89 48 f8", "mov qword ptr [rax-0x8], rcx"},
		{"store [r15+0x7fffffff], r8", func(b *Builder) { b.Store64(R15, 0x7fffffff, R8) }, "4d 89 87 ff ff ff 7f", "mov qword ptr [r15+0x7fffffff], r8"},

		{"load rax, [rsp+144]", func(b *Builder) { b.Load64(RAX, RSP, 144) }, "48 8b 84 24 90 00 00 00", "mov rax, qword ptr [rsp+0x90]"},
		{"load rdx, [rsp+152]", func(b *Builder) { b.Load64(RDX, RSP, 152) }, "48 8b 94 24 98 00 00 00", "mov rdx, qword ptr [rsp+0x98]"},
		{"load r10, [rbp+16]", func(b *Builder) { b.Load64(R10, RBP, 16) }, "4c 8b 55 10", "mov r10, qword ptr [rbp+0x10]"},
		{"load rdi, [rbx]", func(b *Builder) { b.Load64(RDI, RBX, 0) }, "48 8b 3b", "mov rdi, qword ptr [rbx]"},
		{"load r14, [r12+8]", func(b *Builder) { b.Load64(R14, R12, 8) }, "4d 8b 74 24 08", "mov r14, qword ptr [r12+0x8]"},

		{"lea r11, [rbp+16]", func(b *Builder) { b.Lea(R11, RBP, 16) }, "4c 8d 5d 10", "lea r11, ptr [rbp+0x10]"},
		{"lea rdx, [rsp+32]", func(b *Builder) { b.Lea(RDX, RSP, 32) }, "48 8d 54 24 20", "lea rdx, ptr [rsp+0x20]"},
		{"lea rax, [r12-256]", func(b *Builder) { b.Lea(RAX, R12, -256) }, "49 8d 84 24 00 ff ff ff", "lea rax, ptr [r12-0x100]"},

		{"lea r11, [r11+rax*8]", func(b *Builder) { b.LeaIndex8(R11, R11, RAX) }, "4d 8d 1c c3", "lea r11, ptr [r11+rax*8]"},
		{"lea rax, [rsp+r9*8]", func(b *Builder) { b.LeaIndex8(RAX, RSP, R9) }, "4a 8d 04 cc", "lea rax, ptr [rsp+r9*8]"},
		{"lea rdx, [rbx+rcx*8]", func(b *Builder) { b.LeaIndex8(RDX, RBX, RCX) }, "48 8d 14 cb", "lea rdx, ptr [rbx+rcx*8]"},

		{"movsd [rsp+64], xmm0", func(b *Builder) { b.StoreSD(RSP, 64, X0) }, "f2 0f 11 44 24 40", "movsd qword ptr [rsp+0x40], xmm0"},
		{"movsd [rsp+120], xmm7", func(b *Builder) { b.StoreSD(RSP, 120, X7) }, "f2 0f 11 7c 24 78", "movsd qword ptr [rsp+0x78], xmm7"},
		{"movsd [rsp], xmm1", func(b *Builder) { b.StoreSD(RSP, 0, X1) }, "f2 0f 11 0c 24", "movsd qword ptr [rsp], xmm1"},
		{"movsd [r8+8], xmm9", func(b *Builder) { b.StoreSD(R8, 8, X9) }, "f2 45 0f 11 48 08", "movsd qword ptr [r8+0x8], xmm9"},
		{"movsd [rbp], xmm15", func(b *Builder) { b.StoreSD(RBP, 0, X15) }, "f2 44 0f 11 7d 00", "movsd qword ptr [rbp], xmm15"},

		{"movsd xmm0, [rsp+160]", func(b *Builder) { b.LoadSD(X0, RSP, 160) }, "f2 0f 10 84 24 a0 00 00 00", "movsd xmm0, qword ptr [rsp+0xa0]"},
		{"movsd xmm1, [rsp+168]", func(b *Builder) { b.LoadSD(X1, RSP, 168) }, "f2 0f 10 8c 24 a8 00 00 00", "movsd xmm1, qword ptr [rsp+0xa8]"},
		{"movsd xmm12, [r13]", func(b *Builder) { b.LoadSD(X12, R13, 0) }, "f2 45 0f 10 65 00", "movsd xmm12, qword ptr [r13]"},

		// rip-relative: disp32 counts from the end of the 7-byte instruction.
		{"mov rdi, [rip+fwd]", func(b *Builder) { b.LoadRIP64(RDI, fwd) }, "48 8b 3d f9 0f 00 00", "mov rdi, qword ptr [fwd]"},
		{"mov rcx, [rip+fwd]", func(b *Builder) { b.LoadRIP64(RCX, fwd) }, "48 8b 0d f9 0f 00 00", "mov rcx, qword ptr [fwd]"},
		{"mov r10, [rip+back]", func(b *Builder) { b.LoadRIP64(R10, back) }, "4c 8b 15 f9 ff 00 80", "mov r10, qword ptr [back]"},
		{"call [rip+fwd]", func(b *Builder) { b.CallRIP(fwd) }, "ff 15 fa 0f 00 00", "call qword ptr [fwd]"},
		{"call [rip+back]", func(b *Builder) { b.CallRIP(back) }, "ff 15 fa ff 00 80", "call qword ptr [back]"},

		{"xor edx, edx", func(b *Builder) { b.XorReg32(RDX, RDX) }, "31 d2", "xor edx, edx"},
		{"xor ecx, ecx", func(b *Builder) { b.XorReg32(RCX, RCX) }, "31 c9", "xor ecx, ecx"},
		{"xor r8d, r8d", func(b *Builder) { b.XorReg32(R8, R8) }, "45 31 c0", "xor r8d, r8d"},
		{"xor r9d, r9d", func(b *Builder) { b.XorReg32(R9, R9) }, "45 31 c9", "xor r9d, r9d"},
		{"xor eax, r9d", func(b *Builder) { b.XorReg32(RAX, R9) }, "44 31 c8", "xor eax, r9d"},

		{"mov eax, 0", func(b *Builder) { b.MovImm32(RAX, 0) }, "b8 00 00 00 00", "mov eax, 0x0"},
		{"mov eax, 0x12345678", func(b *Builder) { b.MovImm32(RAX, 0x12345678) }, "b8 78 56 34 12", "mov eax, 0x12345678"},
		{"mov r10d, 0xffffffff", func(b *Builder) { b.MovImm32(R10, 0xffffffff) }, "41 ba ff ff ff ff", "mov r10d, -0x1"},

		{"jmp fwd", func(b *Builder) { b.JmpRel32(fwd) }, "e9 fb 0f 00 00", "jmp fwd"},
		{"jmp back", func(b *Builder) { b.JmpRel32(back) }, "e9 fb ff 00 80", "jmp back"},
		{"jmp to itself", func(b *Builder) { b.JmpRel32(testOrigin) }, "e9 fb ff ff ff", "jmp 0x7f0012340000"},

		{"leave", func(b *Builder) { b.Leave() }, "c9", "leave"},
		{"ret", func(b *Builder) { b.Ret() }, "c3", "ret"},
		{"int3", func(b *Builder) { b.Int3() }, "cc", "int3"},
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
			lines, _ := disasm(t, b.Bytes(), testOrigin, syms)
			if len(lines) != 1 || lines[0] != tt.asm {
				t.Errorf("decoded as %q, want [%q]", lines, tt.asm)
			}
		})
	}
}

func TestBuilderAppendsAfterPrefix(t *testing.T) {
	prefix := []byte{0x90, 0x90, 0x90}
	b := NewBuilder(prefix, testOrigin)
	if b.PC() != testOrigin || b.Len() != 0 {
		t.Fatalf("fresh builder: PC %#x Len %d, want %#x 0", b.PC(), b.Len(), uintptr(testOrigin))
	}
	b.Push(RBP)
	b.JmpRel32(testOrigin) // back to the push
	if b.Len() != 6 || b.PC() != testOrigin+6 {
		t.Fatalf("after 6 bytes: PC %#x Len %d", b.PC(), b.Len())
	}
	want := unhex(t, "909090 55 e9 fa ff ff ff")
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("bytes = % x, want % x", b.Bytes(), want)
	}
	b.PadInt3(8)
	if got := b.Bytes()[len(prefix):]; !bytes.Equal(got, unhex(t, "55 e9 fa ff ff ff cc cc")) {
		t.Errorf("after PadInt3(8): % x", got)
	}
}

func TestBuilderErrors(t *testing.T) {
	const at = 0x7f0000000000
	tests := []struct {
		name string
		emit func(b *Builder)
		want string // substring of the error
	}{
		{"jmp too far forward", func(b *Builder) { b.JmpRel32(at + 5 + 1<<31) }, "jmp rel32 at 0x7f0000000000: target 0x7f0080000005 is out of rel32 range"},
		{"jmp too far back", func(b *Builder) { b.JmpRel32(at + 5 - 1<<31 - 1) }, "out of rel32 range (distance -2147483649 bytes)"},
		{"call too far", func(b *Builder) { b.CallRIP(at + 6 + 1<<31) }, "call [rip+rel32] at 0x7f0000000000"},
		{"load too far", func(b *Builder) { b.LoadRIP64(RDI, 0x1000) }, "mov rdi, [rip+rel32] at 0x7f0000000000: target 0x1000"},
		{"bad register", func(b *Builder) { b.Store64(RSP, 0, Reg(16)) }, "register number 16 out of range"},
		{"bad xmm register", func(b *Builder) { b.LoadSD(XReg(99), RSP, 0) }, "register number 99 out of range"},
		{"lea without SIB form", func(b *Builder) { b.LeaIndex8(RAX, R13, RCX) }, "[r13+rcx*8] has no SIB encoding"},
		{"lea with rsp index", func(b *Builder) { b.LeaIndex8(RAX, RBX, RSP) }, "[rbx+rsp*8] has no SIB encoding"},
		{"pad below length", func(b *Builder) { b.MovImm32(RAX, 1); b.PadInt3(4) }, "code is 5 bytes, more than the 4 to pad to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBuilder([]byte{1, 2}, at)
			tt.emit(&b)
			err := b.Err()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Err() = %v, want it to contain %q", err, tt.want)
			}
			n := len(b.Bytes())
			// The error is sticky: nothing more is appended, the first error stays.
			b.Ret()
			b.JmpRel32(at + 1<<40)
			if len(b.Bytes()) != n || b.Err() != err {
				t.Errorf("builder kept going after error: len %d -> %d, err %v", n, len(b.Bytes()), b.Err())
			}
		})
	}
}

func TestRel32Boundaries(t *testing.T) {
	const at = 0x7f0000000000
	tests := []struct {
		target uintptr
		ok     bool
	}{
		{at + 5 + 1<<31 - 1, true},
		{at + 5 + 1<<31, false},
		{at + 5 - 1<<31, true},
		{at + 5 - 1<<31 - 1, false},
	}
	for _, tt := range tests {
		b := NewBuilder(nil, at)
		b.JmpRel32(tt.target)
		if (b.Err() == nil) != tt.ok {
			t.Errorf("jmp from %#x to %#x: err %v, want ok=%v", uintptr(at), tt.target, b.Err(), tt.ok)
			continue
		}
		if !tt.ok {
			continue
		}
		_, insts := disasm(t, b.Bytes(), at, nil)
		rel, isRel := insts[0].Args[0].(x86asm.Rel)
		if !isRel || uintptr(int64(at+5)+int64(rel)) != tt.target {
			t.Errorf("jmp to %#x decodes to %v", tt.target, insts[0])
		}
	}
}

func TestRegString(t *testing.T) {
	if RDI.String() != "rdi" || R11.String() != "r11" || Reg(20).String() != "reg20" || X9.String() != "xmm9" {
		t.Errorf("register names: %v %v %v %v", RDI, R11, Reg(20), X9)
	}
}
