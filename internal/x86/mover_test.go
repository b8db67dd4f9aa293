package x86

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/stub"
)

// TestMoverDisassembly checks an argument mover with every kind of move
// and a result mover against their listings: the C stack pointer loaded
// once, outgoing words through rdx before any register is loaded, whole
// words, 32-bit integers sign- and zero-extended, a float and a double
// from the frame and the C stack, and result registers of both classes.
func TestMoverDisassembly(t *testing.T) {
	in := stub.Mover{StackArgs: 0x80, Moves: []stub.GoMove{
		{From: loc(stub.Base, 0x00), To: loc(stub.GPR, 0), Size: 8},
		{From: loc(stub.Base, 0x08), To: loc(stub.GPR, 3), Size: 4, Signed: true},
		{From: loc(stub.Base, 0x10), To: loc(stub.GPR, 8), Size: 4},
		{From: loc(stub.Base, 0x20), To: loc(stub.GPR, 1), Size: 1, Signed: true},
		{From: loc(stub.Base, 0x28), To: loc(stub.GPR, 2), Size: 2},
		{From: loc(stub.Stack, 0x08), To: loc(stub.Out, 0x10), Size: 8, Store: 8},
		{From: loc(stub.Stack, 0x10), To: loc(stub.GPR, 5), Size: 8},
		{From: loc(stub.Base, 0x40), To: loc(stub.FPR, 0), Size: 8},
		{From: loc(stub.Base, 0x48), To: loc(stub.FPR, 14), Size: 4},
		{From: loc(stub.Stack, 0x00), To: loc(stub.Out, 0), Size: 4, Signed: true, Store: 4},
		{From: loc(stub.Stack, 0x18), To: loc(stub.Out, 4), Size: 2, Signed: true, Store: 2},
		{From: loc(stub.Stack, 0x20), To: loc(stub.Out, 6), Size: 1, Store: 1},
		{From: loc(stub.Base, 0x18), To: loc(stub.Out, 0xf8), Size: 4, Store: 8},
	}}
	code, err := AppendMover(nil, &in)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, testOrigin, nil)
	want := []string{
		"mov r13, qword ptr [r12+0x80]",
		"mov rdx, qword ptr [r13+0x8]",
		"mov qword ptr [rsp+0x18], rdx",
		"movsxd rdx, dword ptr [r13]",
		"mov dword ptr [rsp+0x8], edx",
		"movsx rdx, word ptr [r13+0x18]",
		"mov word ptr [rsp+0xc], dx",
		"movzx edx, byte ptr [r13+0x20]",
		"mov byte ptr [rsp+0xe], dl",
		"mov edx, dword ptr [r12+0x18]",
		"mov qword ptr [rsp+0x100], rdx",
		"mov rax, qword ptr [r12]",
		"movsxd rdi, dword ptr [r12+0x8]",
		"mov r11d, dword ptr [r12+0x10]",
		"movsx rbx, byte ptr [r12+0x20]",
		"movzx ecx, word ptr [r12+0x28]",
		"mov r8, qword ptr [r13+0x10]",
		"movsd xmm0, qword ptr [r12+0x40]",
		"movss xmm14, dword ptr [r12+0x48]",
		"ret",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("argument mover:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	out := stub.Mover{Moves: []stub.GoMove{
		{From: loc(stub.GPR, 0), To: loc(stub.Base, 0x90), Size: 8},
		{From: loc(stub.GPR, 1), To: loc(stub.Base, 0x98), Size: 4},
		{From: loc(stub.GPR, 2), To: loc(stub.Base, 0x9c), Size: 2},
		{From: loc(stub.GPR, 3), To: loc(stub.Base, 0x9e), Size: 1},
		{From: loc(stub.GPR, 4), To: loc(stub.Base, 0x88), Size: 1, Extend: true, Signed: true},
		{From: loc(stub.FPR, 1), To: loc(stub.Base, 0xa8), Size: 8},
		{From: loc(stub.FPR, 2), To: loc(stub.Base, 0xa4), Size: 4},
	}}
	code, err = AppendMover(nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ = disasm(t, code, testOrigin, nil)
	want = []string{
		"mov qword ptr [r12+0x90], rax",
		"mov dword ptr [r12+0x98], ebx",
		"mov word ptr [r12+0x9c], cx",
		"mov byte ptr [r12+0x9e], dil",
		"mov qword ptr [r12+0x88], rsi",
		"movsx rdx, byte ptr [r12+0x88]",
		"mov qword ptr [r12+0x88], rdx",
		"movsd qword ptr [r12+0xa8], xmm1",
		"movss dword ptr [r12+0xa4], xmm2",
		"ret",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("result mover:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestMoverErrors checks that a bad mover table is an error naming the
// move, and that nothing is appended.
func TestMoverErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		m    stub.Mover
		want string
	}{
		{"register past Go's", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.GPR, 9), Size: 8}}}, "move 0 (base+0 to gpr 9)"},
		{"15th SSE register (X15 is zero)", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.FPR, 15), Size: 8}}}, "move 0 (base+0 to fpr 15)"},
		{"outgoing word past the frame", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.Out, 8*MoverOutWords-4), Size: 8, Store: 8}}}, "outgoing store of 8 bytes at byte 252"},
		{"outgoing store of 3 bytes", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.Out, 0), Size: 8, Store: 3}}}, "outgoing store of 3 bytes"},
		{"3-byte move", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.GPR, 0), Size: 3}}}, "size 3"},
		{"misaligned load", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 2), To: loc(stub.GPR, 0), Size: 4}}}, "source offset 2 for 4 bytes"},
		{"signed float", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.FPR, 0), Size: 4, Signed: true}}}, "unextended"},
		{"half a float", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.FPR, 0), Size: 2}}}, "4 or 8 bytes"},
		{"extended float result", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.FPR, 0), To: loc(stub.Base, 0), Size: 4, Extend: true}}}, "extends only"},
		{"extended result into half a word", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.GPR, 0), To: loc(stub.Base, 4), Size: 1, Extend: true}}}, "whole frame word"},
		{"result to a register", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.GPR, 0), To: loc(stub.GPR, 1), Size: 8}}}, "must store into a frame word"},
		{"from the memory result", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.SRet, 0), To: loc(stub.GPR, 1), Size: 8}}}, "move 0 (sret+0 to gpr 1)"},
		{"misaligned stack pointer", stub.Mover{StackArgs: 4}, "frame offset 4"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, err := AppendMover([]byte{0x90}, &c.m)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if len(code) != 1 {
				t.Errorf("%d bytes appended on error", len(code)-1)
			}
		})
	}
}
