package x86

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/stub"
)

// TestCallStubDisassembly checks a stub with every kind of move against
// its listing: registers filled directly, a vector register built from two
// moves in memory, a stack word, a general move with shifts, the stack-top
// calls of a call that may call back into Go, and results through the
// spill slots.
func TestCallStubDisassembly(t *testing.T) {
	const top = 0x7f00aabbccdd
	s := stub.Call{
		FrameOff: 0x40,
		FnOff:    0x40,
		NStack:   1,
		Args: []stub.Move{
			{From: loc(stub.Base, 0x200), To: loc(stub.GPR, 0), Ext: 32, Signed: true},         // int
			{From: loc(stub.Base, 0x208), To: loc(stub.GPR, 1), Ext: 32},                       // unsigned
			{From: loc(stub.Base, 0x210), To: loc(stub.GPR, 5)},                                // pointer
			{From: loc(stub.Base, 0x250), To: loc(stub.FPR, 0)},                                // double
			{From: loc(stub.Base, 0x258), To: loc(stub.FPR, 1), Ext: 32},                       // float
			{From: loc(stub.Base, 0x260), To: loc(stub.FPR, 2), Ext: 32},                       // struct { float a, b; }
			{From: loc(stub.Base, 0x268), To: loc(stub.FPR, 2), Ext: 32, LShift: 32, Or: true}, //
			{From: loc(stub.Base, 0x300), To: loc(stub.Stack, 0), Ext: 48, Signed: true},       // short on the stack
			{From: loc(stub.Base, 0x218), To: loc(stub.GPR, 2), RShift: 8, Ext: 56},            // a byte from a word
		},
		Results: []stub.Move{
			{From: loc(stub.GPR, 0), To: loc(stub.Base, 0x200), Ext: 32, Signed: true},
			{From: loc(stub.FPR, 0), To: loc(stub.Base, 0x250), Ext: 32},
			{From: loc(stub.FPR, 0), To: loc(stub.Base, 0x258), RShift: 32, Ext: 32},
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
// stack-top calls, that a stub with no stack words or staged vector
// registers reserves only the 32 bytes of result spill slots, and that a
// leaf stub reads its results from the result registers directly, with
// rcx as the scratch register: whole words, extended halves, shifted
// halves ORed into a word, and a double stored as it is.
func TestCallStubLeaf(t *testing.T) {
	s := stub.Call{FrameOff: 8, FnOff: 8, Args: []stub.Move{{From: loc(stub.Base, 16), To: loc(stub.GPR, 0)}}}
	s.Results = []stub.Move{
		{From: loc(stub.GPR, 0), To: loc(stub.Base, 0x20), Ext: 32},                          // unsigned int
		{From: loc(stub.GPR, 1), To: loc(stub.Base, 0x28)},                                   // second word
		{From: loc(stub.FPR, 0), To: loc(stub.Base, 0x30)},                                   // double
		{From: loc(stub.FPR, 1), To: loc(stub.Base, 0x38), Ext: 32},                          // struct { float a, b; } in one word:
		{From: loc(stub.FPR, 1), To: loc(stub.Base, 0x38), RShift: 32, LShift: 32, Or: true}, // both halves
		{From: loc(stub.GPR, 0), To: loc(stub.Base, 0x40), RShift: 8, Ext: 56, Signed: true}, // a signed byte
	}
	got := sysvListing(t, &s)
	want := "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x20; lea rbx, ptr [rdi-0x8]; " +
		"mov rdi, qword ptr [rbx+0x10]; call qword ptr [rbx+0x8]; " +
		"mov ecx, eax; mov qword ptr [rbx+0x20], rcx; " +
		"mov rcx, rdx; mov qword ptr [rbx+0x28], rcx; " +
		"movsd qword ptr [rbx+0x30], xmm0; " +
		"movq rcx, xmm1; shl rcx, 0x20; shr rcx, 0x20; mov qword ptr [rbx+0x38], rcx; " +
		"movq rcx, xmm1; shr rcx, 0x20; shl rcx, 0x20; or qword ptr [rbx+0x38], rcx; " +
		"mov rcx, rax; shr rcx, 0x8; shl rcx, 0x38; sar rcx, 0x38; mov qword ptr [rbx+0x40], rcx; " +
		"xor eax, eax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("leaf stub with results:\n%s\nwant\n%s", got, want)
	}
	s.Results = nil
	got = sysvListing(t, &s)
	want = "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x20; lea rbx, ptr [rdi-0x8]; " +
		"mov rdi, qword ptr [rbx+0x10]; call qword ptr [rbx+0x8]; " +
		"xor eax, eax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("leaf stub:\n%s\nwant\n%s", got, want)
	}
}

// TestCallStubLeafRecord checks a stub that records its own leaf call
// (Call.Enter): Enter called with the name in rdi before the moves, the
// word it returns kept in r12 across the C call and cleared with the
// return value; and that a stub of a call that may call back cannot have
// one.
func TestCallStubLeafRecord(t *testing.T) {
	s := stub.Call{FrameOff: 8, FnOff: 8, Enter: 0x7f0011223344, Name: 0xc000123450,
		Args:    []stub.Move{{From: loc(stub.Base, 16), To: loc(stub.GPR, 0), Ext: 32, Signed: true}},
		Results: []stub.Move{{From: loc(stub.GPR, 0), To: loc(stub.Base, 24), Ext: 32, Signed: true}},
	}
	got := sysvListing(t, &s)
	want := "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x20; lea rbx, ptr [rdi-0x8]; " +
		"mov rdi, 0xc000123450; mov rax, 0x7f0011223344; call rax; mov r12, rax; " +
		"movsxd rdi, dword ptr [rbx+0x10]; call qword ptr [rbx+0x8]; " +
		"movsxd rcx, eax; mov qword ptr [rbx+0x18], rcx; " +
		"xor eax, eax; mov qword ptr [r12], rax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("leaf record stub:\n%s\nwant\n%s", got, want)
	}
	s.TopOfStack = 0x7f00aabbccdd
	if _, err := AppendCallSysV(nil, &s); err == nil || !strings.Contains(err.Error(), "not a leaf call") {
		t.Errorf("leaf record with a stack top: err = %v", err)
	}
}

// TestCallStubSRet checks a stub for a result C returns in memory: the
// buffer on the stub's stack, its address in rdi, the result words read
// from it into Go words, and a bad table refused by stub.Call.Check.
func TestCallStubSRet(t *testing.T) {
	s := stub.Call{
		FrameOff: 8, FnOff: 8, NStack: 1, SRetSize: 20, SRetDst: stub.Loc{Kind: stub.GPR, N: 0},
		Args: []stub.Move{{From: stub.Loc{Kind: stub.Base, N: 16}, To: stub.Loc{Kind: stub.Stack, N: 0}}},
		Results: []stub.Move{
			{From: stub.Loc{Kind: stub.SRet, N: 0}, To: stub.Loc{Kind: stub.Base, N: 32}},
			{From: stub.Loc{Kind: stub.SRet, N: 8}, To: stub.Loc{Kind: stub.Base, N: 40}},
			{From: stub.Loc{Kind: stub.SRet, N: 16}, To: stub.Loc{Kind: stub.Base, N: 48}, Ext: 32, Signed: true},
		},
	}
	got := sysvListing(t, &s)
	want := "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x40; lea rbx, ptr [rdi-0x8]; " +
		"lea rdi, ptr [rsp+0x20]; mov rax, qword ptr [rbx+0x10]; mov qword ptr [rsp], rax; call qword ptr [rbx+0x8]; " +
		"mov rcx, qword ptr [rsp+0x20]; mov qword ptr [rbx+0x20], rcx; " +
		"mov rcx, qword ptr [rsp+0x28]; mov qword ptr [rbx+0x28], rcx; " +
		"movsxd rcx, dword ptr [rsp+0x30]; mov qword ptr [rbx+0x30], rcx; " +
		"xor eax, eax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("sret stub:\n%s\nwant\n%s", got, want)
	}
	s.Results[2].From.N = 20 // past the 20 bytes of the result
	if _, err := AppendCallSysV(nil, &s); err == nil || !strings.Contains(err.Error(), "result move 2: from sret+20") {
		t.Errorf("reading past the memory result: err = %v", err)
	}
}

func loc(k stub.LocKind, n int32) stub.Loc { return stub.Loc{Kind: k, N: n} }

// sysvListing encodes c with AppendCallSysV and returns its disassembly,
// one instruction after the other, separated by "; ".
func sysvListing(t *testing.T, c *stub.Call) string {
	t.Helper()
	code, err := AppendCallSysV(nil, c)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, testOrigin, nil)
	return strings.Join(lines, "; ")
}

// TestCallStubWin64 checks the Microsoft x64 encoding: the argument in
// rcx, registers by position, stack words past the shadow space that is
// always reserved, and the result registers spilled above the shadow space
// of the stack-top call.
func TestCallStubWin64(t *testing.T) {
	s := stub.Call{
		FrameOff: 8, FnOff: 8, NStack: 5,
		Args: []stub.Move{
			{From: loc(stub.Base, 16), To: loc(stub.GPR, 0), Ext: 32, Signed: true},
			{From: loc(stub.Base, 24), To: loc(stub.FPR, 1)},
			{From: loc(stub.Base, 32), To: loc(stub.GPR, 3)},
			{From: loc(stub.Base, 40), To: loc(stub.Stack, 32)},
		},
		Results:    []stub.Move{{From: loc(stub.FPR, 0), To: loc(stub.Base, 48)}},
		TopOfStack: 0x7f00aabbccdd,
	}
	code, err := AppendCallWin64(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, testOrigin, nil)
	got := strings.Join(lines, "; ")
	want := "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x40; lea rbx, ptr [rcx-0x8]; " +
		"mov rax, 0x7f00aabbccdd; call rax; mov r12, rax; " +
		"movsxd rcx, dword ptr [rbx+0x10]; movsd xmm1, qword ptr [rbx+0x18]; mov r9, qword ptr [rbx+0x20]; " +
		"mov rax, qword ptr [rbx+0x28]; mov qword ptr [rsp+0x20], rax; call qword ptr [rbx+0x8]; " +
		"movsd qword ptr [rsp+0x30], xmm0; mov rax, 0x7f00aabbccdd; call rax; sub rax, r12; add rbx, rax; " +
		"mov rax, qword ptr [rsp+0x30]; mov qword ptr [rbx+0x30], rax; " +
		"xor eax, eax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("win64 stub:\n%s\nwant\n%s", got, want)
	}
	// rdx is not a Microsoft x64 result register, r8 no fifth argument.
	for _, bad := range []stub.Call{
		{Results: []stub.Move{{From: loc(stub.GPR, 1)}}},
		{Args: []stub.Move{{To: loc(stub.GPR, 4)}}},
		{Args: []stub.Move{{To: loc(stub.FPR, 4)}}},
	} {
		if _, err := AppendCallWin64(nil, &bad); err == nil {
			t.Errorf("AppendCallWin64(%+v) took a move Microsoft x64 has no register for", bad)
		}
	}
}

// TestCallStubVariadic checks that a System V stub for a variadic callee
// loads al with the number of vector registers right before the call, a
// Microsoft x64 one does not (its variadic doubles are repeated in integer
// registers by moves), and that a count past the vector argument registers
// is refused.
func TestCallStubVariadic(t *testing.T) {
	s := stub.Call{
		FrameOff: 8, FnOff: 8, Variadic: true, VecRegs: 1,
		Args: []stub.Move{
			{From: loc(stub.Base, 16), To: loc(stub.GPR, 0)},
			{From: loc(stub.Base, 24), To: loc(stub.FPR, 0)},
		},
	}
	got := sysvListing(t, &s)
	want := "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x20; lea rbx, ptr [rdi-0x8]; " +
		"mov rdi, qword ptr [rbx+0x10]; movsd xmm0, qword ptr [rbx+0x18]; mov eax, 0x1; call qword ptr [rbx+0x8]; " +
		"xor eax, eax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("variadic stub:\n%s\nwant\n%s", got, want)
	}
	s.Args[1].To = loc(stub.FPR, 1)
	s.VecRegs = 2
	code, err := AppendCallWin64(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, testOrigin, nil)
	if got := strings.Join(lines, "; "); strings.Contains(got, "mov eax") {
		t.Errorf("Microsoft x64 variadic stub loads eax: %s", got)
	}
	s.VecRegs = 9
	if _, err := AppendCallSysV(nil, &s); err == nil || !strings.Contains(err.Error(), "9 vector registers") {
		t.Errorf("9 vector registers: err %v", err)
	}
}

// TestCallStubGuarded checks guarded moves (a slice's data pointer, NULL
// when its capacity is 0): into an argument register directly, and into a
// stack word through rax.
func TestCallStubGuarded(t *testing.T) {
	s := stub.Call{
		FrameOff: 8, FnOff: 8, NStack: 1,
		Args: []stub.Move{
			{From: loc(stub.Base, 16), To: loc(stub.GPR, 0), Guarded: true, Guard: 32},
			{From: loc(stub.Base, 40), To: loc(stub.Stack, 0), Guarded: true, Guard: 56},
		},
	}
	got := sysvListing(t, &s)
	want := "push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, 0x20; lea rbx, ptr [rdi-0x8]; " +
		"mov rdi, qword ptr [rbx+0x20]; test rdi, rdi; cmovnz rdi, qword ptr [rbx+0x10]; " +
		"mov rax, qword ptr [rbx+0x38]; test rax, rax; cmovnz rax, qword ptr [rbx+0x28]; mov qword ptr [rsp], rax; " +
		"call qword ptr [rbx+0x8]; xor eax, eax; lea rsp, ptr [rbp-0x10]; pop r12; pop rbx; pop rbp; ret"
	if got != want {
		t.Errorf("guarded stub:\n%s\nwant\n%s", got, want)
	}
}
