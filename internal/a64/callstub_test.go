package a64

import (
	"bytes"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/stub"
)

// TestCallStubDisassembly checks a stub with every kind of move against
// its listing: registers filled directly (x8 too), a vector register
// built from two moves in memory, a stack word built from two shifted
// moves (a packed stack argument), general moves with shifts into and
// OR-ed into a register, the stack-top calls of a call that may call back
// into Go, and results through the spill slots, one OR-ed into its word.
func TestCallStubDisassembly(t *testing.T) {
	const top = 0x7f00aabbccdd
	s := stub.Call{
		FrameOff: 0x48,
		FnOff:    0x48,
		NStack:   1,
		Args: []stub.Move{
			{From: loc(stub.Base, 0x200), To: loc(stub.GPR, 0), Ext: 32, Signed: true},           // int
			{From: loc(stub.Base, 0x208), To: loc(stub.GPR, 1), Ext: 32},                         // unsigned
			{From: loc(stub.Base, 0x210), To: loc(stub.GPR, 8)},                                  // memory result address
			{From: loc(stub.Base, 0x250), To: loc(stub.FPR, 0)},                                  // double
			{From: loc(stub.Base, 0x258), To: loc(stub.FPR, 1), Ext: 32},                         // float
			{From: loc(stub.Base, 0x260), To: loc(stub.FPR, 2), Ext: 32},                         // struct { float a, b; }
			{From: loc(stub.Base, 0x268), To: loc(stub.FPR, 2), Ext: 32, LShift: 32, Or: true},   //
			{From: loc(stub.Base, 0x300), To: loc(stub.Stack, 0), Ext: 48, Signed: true},         // short on the stack
			{From: loc(stub.Base, 0x308), To: loc(stub.Stack, 0), Ext: 56, LShift: 16, Or: true}, // char packed after it
			{From: loc(stub.Base, 0x218), To: loc(stub.GPR, 2), RShift: 8, Ext: 56},              // a byte from a word
			{From: loc(stub.Base, 0x220), To: loc(stub.GPR, 2), Ext: 56, LShift: 8, Or: true},    // and the next byte
			{From: loc(stub.Base, 0x270), To: loc(stub.FPR, 3), Ext: 32, Signed: true},           // general move to a vector
		},
		Results: []stub.Move{
			{From: loc(stub.GPR, 0), To: loc(stub.Base, 0x200), Ext: 32, Signed: true},
			{From: loc(stub.FPR, 0), To: loc(stub.Base, 0x250), Ext: 32},
			{From: loc(stub.FPR, 0), To: loc(stub.Base, 0x258), RShift: 32, Ext: 32},
			{From: loc(stub.FPR, 3), To: loc(stub.Base, 0x260)},
			{From: loc(stub.GPR, 1), To: loc(stub.Base, 0x200), LShift: 32, Or: true},
		},
		TopOfStack: top,
	}
	code, err := AppendCallAAPCS64(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, 0x10000, nil)
	want := []string{
		"stp x29, x30, [sp,#-32]!",
		"mov x29, sp",
		"stp x19, x20, [sp,#16]",
		"sub sp, sp, #0x50",  // 8 (stack word) + 64 (staged vectors), rounded to 16
		"sub x19, x0, #0x48", // the base
		"mov x9, #0xccdd",
		"movk x9, #0xaabb, lsl #16",
		"movk x9, #0x7f00, lsl #32",
		"blr x9",
		"mov x20, x0", // the stack top before the call
		"ldrsw x0, [x19,#512]",
		"ldr w1, [x19,#520]",
		"ldr x8, [x19,#528]",
		"ldr d0, [x19,#592]",
		"ldr s1, [x19,#600]",
		"ldr w9, [x19,#608]",
		"str x9, [sp,#24]", // d2 staged at stage+16
		"ldr x9, [x19,#616]",
		"lsl x9, x9, #32",
		"lsr x9, x9, #32",
		"lsl x9, x9, #32",
		"ldr x10, [sp,#24]",
		"orr x9, x9, x10",
		"str x9, [sp,#24]",
		"ldr x9, [x19,#768]",
		"lsl x9, x9, #48",
		"asr x9, x9, #48",
		"str x9, [sp]",
		"ldr x9, [x19,#776]",
		"lsl x9, x9, #56",
		"lsr x9, x9, #56",
		"lsl x9, x9, #16",
		"ldr x10, [sp]",
		"orr x9, x9, x10",
		"str x9, [sp]",
		"ldr x2, [x19,#536]",
		"lsr x2, x2, #8",
		"lsl x2, x2, #56",
		"lsr x2, x2, #56",
		"ldr x9, [x19,#544]",
		"lsl x9, x9, #56",
		"lsr x9, x9, #56",
		"lsl x9, x9, #8",
		"orr x2, x2, x9",
		"ldrsw x9, [x19,#624]",
		"fmov d3, x9",
		"ldr d2, [sp,#24]",  // the staged vector register
		"ldr x9, [x19,#72]", // the function
		"blr x9",
		"str x0, [sp]", // spill x0 d0 d3 x1
		"str d0, [sp,#16]",
		"str d3, [sp,#40]",
		"str x1, [sp,#8]",
		"mov x9, #0xccdd",
		"movk x9, #0xaabb, lsl #16",
		"movk x9, #0x7f00, lsl #32",
		"blr x9",
		"sub x0, x0, x20",
		"add x19, x19, x0", // the base moves with the stack
		"ldrsw x9, [sp]",
		"str x9, [x19,#512]",
		"ldr w9, [sp,#16]",
		"str x9, [x19,#592]",
		"ldr x9, [sp,#16]",
		"lsr x9, x9, #32",
		"lsl x9, x9, #32",
		"lsr x9, x9, #32",
		"str x9, [x19,#600]",
		"ldr x9, [sp,#40]",
		"str x9, [x19,#608]",
		"ldr x9, [sp,#8]",
		"lsl x9, x9, #32",
		"ldr x10, [x19,#512]",
		"orr x9, x9, x10",
		"str x9, [x19,#512]",
		"mov w0, #0x0", // return 0
		"mov sp, x29",
		"ldp x19, x20, [sp,#16]",
		"ldp x29, x30, [sp],#32",
		"ret",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("stub:\n\t%s\nwant:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// TestCallStubLeaf checks that a leaf stub (no stack top) has no
// stack-top calls, and that a stub with no stack words or staged vector
// registers reserves only the 48 bytes of result spill slots.
func TestCallStubLeaf(t *testing.T) {
	s := stub.Call{FrameOff: 8, FnOff: 8,
		Args:    []stub.Move{{From: loc(stub.Base, 16), To: loc(stub.GPR, 0)}},
		Results: []stub.Move{{From: loc(stub.GPR, 0), To: loc(stub.Base, 24)}},
	}
	got := aapcsListing(t, &s)
	want := "stp x29, x30, [sp,#-32]!; mov x29, sp; stp x19, x20, [sp,#16]; sub sp, sp, #0x30; sub x19, x0, #0x8; " +
		"ldr x0, [x19,#16]; ldr x9, [x19,#8]; blr x9; " +
		"str x0, [sp]; ldr x9, [sp]; str x9, [x19,#24]; " +
		"mov w0, #0x0; mov sp, x29; ldp x19, x20, [sp,#16]; ldp x29, x30, [sp],#32; ret"
	if got != want {
		t.Errorf("leaf stub:\n%s\nwant\n%s", got, want)
	}
}

// TestCallStubLeafRecord checks a stub that records its own leaf call
// (Call.Enter): Enter called with the name in x0 once the base is set,
// the word it returns kept in x20 across the C call and cleared before the
// epilogue.
func TestCallStubLeafRecord(t *testing.T) {
	s := stub.Call{FrameOff: 8, FnOff: 8, Enter: 0xaaaa0000bbbb, Name: 0x4000123450,
		Args:    []stub.Move{{From: loc(stub.Base, 16), To: loc(stub.GPR, 0)}},
		Results: []stub.Move{{From: loc(stub.GPR, 0), To: loc(stub.Base, 24)}},
	}
	got := aapcsListing(t, &s)
	want := "stp x29, x30, [sp,#-32]!; mov x29, sp; stp x19, x20, [sp,#16]; sub sp, sp, #0x30; sub x19, x0, #0x8; " +
		"mov x0, #0x3450; movk x0, #0x12, lsl #16; movk x0, #0x40, lsl #32; " +
		"mov x9, #0xbbbb; movk x9, #0xaaaa, lsl #32; blr x9; mov x20, x0; " +
		"ldr x0, [x19,#16]; ldr x9, [x19,#8]; blr x9; " +
		"str x0, [sp]; ldr x9, [sp]; str x9, [x19,#24]; " +
		"str xzr, [x20]; mov w0, #0x0; mov sp, x29; ldp x19, x20, [sp,#16]; ldp x29, x30, [sp],#32; ret"
	if got != want {
		t.Errorf("leaf record stub:\n%s\nwant\n%s", got, want)
	}
}

// TestCallStubSRet checks a stub for a result C returns in memory: the
// buffer on the stub's stack above the spill slots (with 8 bytes more, so
// that a word may be read from its last byte), its address in x8 (or in a
// stack word), the result words read from it into Go words, one at an
// unaligned offset through its address, and a bad table refused by
// stub.Call.Check.
func TestCallStubSRet(t *testing.T) {
	s := stub.Call{
		FrameOff: 8, FnOff: 8, NStack: 1, SRetSize: 20, SRetDst: loc(stub.GPR, 8),
		Args: []stub.Move{{From: loc(stub.Base, 16), To: loc(stub.Stack, 0)}},
		Results: []stub.Move{
			{From: loc(stub.SRet, 0), To: loc(stub.Base, 32)},
			{From: loc(stub.SRet, 8), To: loc(stub.Base, 40)},
			{From: loc(stub.SRet, 16), To: loc(stub.Base, 48), Ext: 32, Signed: true},
			{From: loc(stub.SRet, 19), To: loc(stub.Base, 56), Ext: 56}, // a byte at an unaligned offset
		},
	}
	code, err := AppendCallAAPCS64(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, 0x10000, nil)
	got := strings.Join(lines, "; ")
	want := "stp x29, x30, [sp,#-32]!; mov x29, sp; stp x19, x20, [sp,#16]; sub sp, sp, #0x50; sub x19, x0, #0x8; " +
		"add x8, sp, #0x30; ldr x9, [x19,#16]; str x9, [sp]; ldr x9, [x19,#8]; blr x9; " +
		"ldr x9, [sp,#48]; str x9, [x19,#32]; " +
		"ldr x9, [sp,#56]; str x9, [x19,#40]; " +
		"ldrsw x9, [sp,#64]; str x9, [x19,#48]; " +
		"add x10, sp, #0x43; ldr x9, [x10]; lsl x9, x9, #56; lsr x9, x9, #56; str x9, [x19,#56]; " +
		"mov w0, #0x0; mov sp, x29; ldp x19, x20, [sp,#16]; ldp x29, x30, [sp],#32; ret"
	if got != want {
		t.Errorf("sret stub:\n%s\nwant\n%s", got, want)
	}

	s.NStack, s.SRetDst = 2, loc(stub.Stack, 8) // the address in a stack word
	code, err = AppendCallAAPCS64(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ = disasm(t, code, 0x10000, nil)
	if got := strings.Join(lines[5:7], "; "); got != "add x9, sp, #0x30; str x9, [sp,#8]" {
		t.Errorf("memory result address to a stack word: %s", got)
	}

	s.Results[2].From.N = 20 // past the 20 bytes of the result
	if _, err := AppendCallAAPCS64(nil, &s); err == nil || !strings.Contains(err.Error(), "result move 2: from sret+20") {
		t.Errorf("reading past the memory result: err = %v", err)
	}
}

// TestCallStubErrors checks that a Call the encoding cannot take is an
// error and appends nothing: bad tables (stub.Call.Check, with AAPCS64's
// register counts) and offsets the load and store forms cannot encode.
func TestCallStubErrors(t *testing.T) {
	arg := func(from, to stub.Loc) []stub.Move { return []stub.Move{{From: from, To: to}} }
	tests := []struct {
		name string
		c    stub.Call
		want string
	}{
		{"x9 is no argument", stub.Call{FnOff: 8, Args: arg(loc(stub.Base, 16), loc(stub.GPR, 9))}, "argument move 0: from base+16 to gpr 9"},
		{"v8 is no argument", stub.Call{FnOff: 8, Args: arg(loc(stub.Base, 16), loc(stub.FPR, 8))}, "to fpr 8"},
		{"d4 is no result", stub.Call{FnOff: 8, Results: []stub.Move{{From: loc(stub.FPR, 4), To: loc(stub.Base, 8)}}}, "result move 0: from fpr 4"},
		{"stack word past NStack", stub.Call{FnOff: 8, NStack: 1, Args: arg(loc(stub.Base, 16), loc(stub.Stack, 8))}, "to stack+8"},
		{"unaligned Go word too far", stub.Call{FnOff: 8, Args: arg(loc(stub.Base, 4100), loc(stub.FPR, 0))}, "add at 0x14: immediate 4100 out of range"},
		{"Go word too far", stub.Call{FnOff: 8, Args: arg(loc(stub.Base, 40000), loc(stub.GPR, 0))}, "offset 40000 out of range"},
		{"unaligned function word", stub.Call{FnOff: 4}, "offset 4 is not a multiple of 8"},
		{"negative frame offset", stub.Call{FrameOff: -8, FnOff: 8}, "frame offset -8 is negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte{1, 2, 3, 4}
			out, err := AppendCallAAPCS64(dst, &tt.c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
			if len(out) != len(dst) {
				t.Errorf("appended %d bytes with the error", len(out)-len(dst))
			}
		})
	}
}

// TestCallStubVariadic checks that a stub for a variadic callee is the
// same code as for a fixed one: on arm64 the plan places variadic
// arguments (on the stack on Apple platforms), and no register counts
// them.
func TestCallStubVariadic(t *testing.T) {
	s := stub.Call{FrameOff: 8, FnOff: 8,
		Args: []stub.Move{{From: loc(stub.Base, 16), To: loc(stub.GPR, 0)}, {From: loc(stub.Base, 24), To: loc(stub.FPR, 0)}},
	}
	fixed, err := AppendCallAAPCS64(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	s.Variadic, s.VecRegs = true, 1
	variadic, err := AppendCallAAPCS64(nil, &s)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fixed, variadic) {
		t.Errorf("variadic stub % x differs from the fixed one % x", variadic, fixed)
	}
}

// TestCallStubGuarded checks guarded moves (a slice's data pointer, NULL
// when its capacity is 0): into an argument register directly, and into a
// stack word through x9.
func TestCallStubGuarded(t *testing.T) {
	s := stub.Call{FrameOff: 8, FnOff: 8, NStack: 1,
		Args: []stub.Move{
			{From: loc(stub.Base, 16), To: loc(stub.GPR, 0), Guarded: true, Guard: 32},
			{From: loc(stub.Base, 40), To: loc(stub.Stack, 0), Guarded: true, Guard: 56},
		},
	}
	got := aapcsListing(t, &s)
	for _, want := range []string{
		"ldr x0, [x19,#16]; ldr x11, [x19,#32]; cmp x11, #0x0; csel x0, x0, xzr, ne; ",
		"ldr x9, [x19,#40]; ldr x11, [x19,#56]; cmp x11, #0x0; csel x9, x9, xzr, ne; str x9, [sp]; ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("guarded stub:\n%s\nlacks\n%s", got, want)
		}
	}
}

// TestMovImm64 checks the constant loads of the stack-top address: a movz
// of the lowest non-zero group, then a movk per further non-zero one.
func TestMovImm64(t *testing.T) {
	for v, want := range map[uint64]string{
		0:                     "mov x9, #0x0",
		0xffff000000000000:    "mov x9, #0xffff000000000000",
		0x0000_ffff_0000_1234: "mov x9, #0x1234; movk x9, #0xffff, lsl #32",
		0x1234_5678_9abc_def0: "mov x9, #0xdef0; movk x9, #0x9abc, lsl #16; movk x9, #0x5678, lsl #32; movk x9, #0x1234, lsl #48",
	} {
		b := NewBuilder(nil, 0)
		movImm64(&b, X9, v)
		lines, _ := disasm(t, b.Bytes(), 0, nil)
		if got := strings.Join(lines, "; "); got != want {
			t.Errorf("%#x: %s, want %s", v, got, want)
		}
	}
}

func loc(k stub.LocKind, n int32) stub.Loc { return stub.Loc{Kind: k, N: n} }

// aapcsListing encodes c with AppendCallAAPCS64 and returns its
// disassembly, one instruction after the other, separated by "; ".
func aapcsListing(t *testing.T, c *stub.Call) string {
	t.Helper()
	code, err := AppendCallAAPCS64(nil, c)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, 0x10000, nil)
	return strings.Join(lines, "; ")
}
