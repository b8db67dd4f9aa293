package x86

import (
	"strings"
	"testing"
)

// TestCallStubDisassembly checks a stub with every kind of move against
// its listing: registers filled directly, a vector register built from two
// moves in memory, a stack word, a general move with shifts, the stack-top
// calls of a call that may call back into Go, and results through the
// spill slots.
func TestCallStubDisassembly(t *testing.T) {
	const top = 0x7f00aabbccdd
	s := CallStub{
		FrameOff: 0x40,
		FnOff:    0x40,
		NStack:   1,
		Args: []StubMove{
			{From: Loc{LocBase, 0x200}, To: Loc{LocGPR, 0}, Ext: 32, Signed: true},         // int
			{From: Loc{LocBase, 0x208}, To: Loc{LocGPR, 1}, Ext: 32},                       // unsigned
			{From: Loc{LocBase, 0x210}, To: Loc{LocGPR, 5}},                                // pointer
			{From: Loc{LocBase, 0x250}, To: Loc{LocFPR, 0}},                                // double
			{From: Loc{LocBase, 0x258}, To: Loc{LocFPR, 1}, Ext: 32},                       // float
			{From: Loc{LocBase, 0x260}, To: Loc{LocFPR, 2}, Ext: 32},                       // struct { float a, b; }
			{From: Loc{LocBase, 0x268}, To: Loc{LocFPR, 2}, Ext: 32, LShift: 32, Or: true}, //
			{From: Loc{LocBase, 0x300}, To: Loc{LocStack, 0}, Ext: 48, Signed: true},       // short on the stack
			{From: Loc{LocBase, 0x218}, To: Loc{LocGPR, 2}, RShift: 8, Ext: 56},            // a byte from a word
		},
		Results: []StubMove{
			{From: Loc{LocGPR, 0}, To: Loc{LocBase, 0x200}, Ext: 32, Signed: true},
			{From: Loc{LocFPR, 0}, To: Loc{LocBase, 0x250}, Ext: 32},
			{From: Loc{LocFPR, 0}, To: Loc{LocBase, 0x258}, RShift: 32, Ext: 32},
		},
		TopOfStack: top,
	}
	code, err := AppendCallSysV(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, testOrigin, nil)
	want := []string{
		"push rbp",
		"mov rbp, rsp",
		"push rbx",
		"push r12",
		"sub rsp, 0x50", // 8 (stack word) + 64 (staged vectors), rounded to 16
		"lea rbx, ptr [rdi-0x40]",
		"mov rax, 0x7f00aabbccdd",
		"call rax",
		"mov r12, rax",
		"movsxd rdi, dword ptr [rbx+0x200]",
		"mov esi, dword ptr [rbx+0x208]",
		"mov r9, qword ptr [rbx+0x210]",
		"movsd xmm0, qword ptr [rbx+0x250]",
		"movss xmm1, dword ptr [rbx+0x258]",
		"mov eax, dword ptr [rbx+0x260]",
		"mov qword ptr [rsp+0x18], rax",
		"mov rax, qword ptr [rbx+0x268]",
		"shl rax, 0x20",
		"shr rax, 0x20",
		"shl rax, 0x20",
		"or qword ptr [rsp+0x18], rax",
		"mov rax, qword ptr [rbx+0x300]",
		"shl rax, 0x30",
		"sar rax, 0x30",
		"mov qword ptr [rsp], rax",
		"mov rdx, qword ptr [rbx+0x218]",
		"shr rdx, 0x8",
		"shl rdx, 0x38",
		"shr rdx, 0x38",
		"movsd xmm2, qword ptr [rsp+0x18]",
		"call qword ptr [rbx+0x40]",
		"mov qword ptr [rsp], rax",
		"movsd qword ptr [rsp+0x10], xmm0",
		"mov rax, 0x7f00aabbccdd",
		"call rax",
		"sub rax, r12",
		"add rbx, rax",
		"movsxd rax, dword ptr [rsp]",
		"mov qword ptr [rbx+0x200], rax",
		"mov eax, dword ptr [rsp+0x10]",
		"mov qword ptr [rbx+0x250], rax",
		"mov rax, qword ptr [rsp+0x10]",
		"shr rax, 0x20",
		"shl rax, 0x20",
		"shr rax, 0x20",
		"mov qword ptr [rbx+0x258], rax",
		"xor eax, eax",
		"lea rsp, ptr [rbp-0x10]",
		"pop r12",
		"pop rbx",
		"pop rbp",
		"ret",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("stub:\n\t%s\nwant:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// TestCallStubLeaf checks that a leaf stub (no stack top) has no
// stack-top calls, and that a stub with no stack words or staged vector
// registers reserves only the 32 bytes of result spill slots.
func TestCallStubLeaf(t *testing.T) {
	s := CallStub{FrameOff: 8, FnOff: 8, Args: []StubMove{{From: Loc{LocBase, 16}, To: Loc{LocGPR, 0}}}}
	code, err := AppendCallSysV(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, testOrigin, nil)
	got := strings.Join(lines, "; ")
	want := "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x20; lea rbx, ptr [rdi-0x8]; " +
		"mov rdi, qword ptr [rbx+0x10]; call qword ptr [rbx+0x8]; " +
		"xor eax, eax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("leaf stub:\n%s\nwant\n%s", got, want)
	}
}

// TestCallStubErrors checks that a table the stub cannot run is an error
// naming the move, and emits nothing.
func TestCallStubErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		s    CallStub
		want string
	}{
		{"seventh integer register", CallStub{Args: []StubMove{{To: Loc{LocGPR, 6}}}}, "argument move 0: from base+0 to gpr 6"},
		{"ninth vector register", CallStub{Args: []StubMove{{To: Loc{LocFPR, 8}}}}, "to fpr 8"},
		{"stack word past NStack", CallStub{NStack: 1, Args: []StubMove{{To: Loc{LocStack, 8}}}}, "to stack+8"},
		{"unaligned stack word", CallStub{NStack: 2, Args: []StubMove{{To: Loc{LocStack, 4}}}}, "to stack+4"},
		{"argument from a register", CallStub{Args: []StubMove{{From: Loc{LocGPR, 0}, To: Loc{LocGPR, 0}}}}, "from gpr 0"},
		{"third result register", CallStub{Results: []StubMove{{From: Loc{LocGPR, 2}}}}, "result move 0: from gpr 2"},
		{"result to a register", CallStub{Results: []StubMove{{From: Loc{LocGPR, 0}, To: Loc{LocGPR, 1}}}}, "to gpr 1"},
		{"shift out of range", CallStub{Args: []StubMove{{To: Loc{LocGPR, 0}, Ext: 64}}}, "shift out of range"},
		{"negative stack words", CallStub{NStack: -1}, "-1 stack words"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, err := AppendCallSysV([]byte{1}, &c.s)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
			if len(code) != 1 {
				t.Errorf("emitted % x on error", code)
			}
		})
	}
}
