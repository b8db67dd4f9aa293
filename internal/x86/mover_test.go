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
		{From: loc(stub.Stack, 0x08), To: loc(stub.Out, 0x10), Size: 8},
		{From: loc(stub.Stack, 0x10), To: loc(stub.GPR, 5), Size: 8},
		{From: loc(stub.Base, 0x40), To: loc(stub.FPR, 0), Size: 8},
		{From: loc(stub.Base, 0x48), To: loc(stub.FPR, 14), Size: 4},
		{From: loc(stub.Stack, 0x00), To: loc(stub.Out, 0), Size: 4, Signed: true},
		{From: loc(stub.Base, 0x18), To: loc(stub.Out, 0xf8), Size: 4},
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
		"mov qword ptr [rsp+0x8], rdx",
		"mov edx, dword ptr [r12+0x18]",
		"mov qword ptr [rsp+0x100], rdx",
		"mov rax, qword ptr [r12]",
		"movsxd rdi, dword ptr [r12+0x8]",
		"mov r11d, dword ptr [r12+0x10]",
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
		{From: loc(stub.GPR, 1), To: loc(stub.Base, 0x98), Size: 8},
		{From: loc(stub.FPR, 1), To: loc(stub.Base, 0xa8), Size: 8},
	}}
	code, err = AppendMover(nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ = disasm(t, code, testOrigin, nil)
	want = []string{
		"mov qword ptr [r12+0x90], rax",
		"mov qword ptr [r12+0x98], rbx",
		"movsd qword ptr [r12+0xa8], xmm1",
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
		{"outgoing word past the frame", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.Out, 8*MoverOutWords), Size: 8}}}, "outgoing word at byte 256"},
		{"2-byte move", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.GPR, 0), Size: 2}}}, "size 2"},
		{"signed float", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.FPR, 0), Size: 4, Signed: true}}}, "sign extension"},
		{"narrow result", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.GPR, 0), To: loc(stub.Base, 0), Size: 4}}}, "whole word"},
		{"result to a register", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.GPR, 0), To: loc(stub.GPR, 1), Size: 8}}}, "whole word to a frame word"},
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
