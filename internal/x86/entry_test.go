package x86

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/arch/x86/x86asm"
)

type appendEntryFunc func(dst []byte, entryAddr, gatewayFnWord, crosscall2Word, stateWord uintptr) ([]byte, error)

// entryConv describes one convention's entry and what it must do.
type entryConv struct {
	name   string
	append appendEntryFunc
	size   int
	asm    []string // Intel syntax; data words named gatewayFn and crosscall2

	argGPR      []x86asm.Reg // saved into Frame.GPR[i]
	argFPR      int          // xmm0..xmm(argFPR-1) saved into Frame.FPR[i]
	stackArgs   int64        // first stack argument, relative to rsp at entry
	callArgs    [4]x86asm.Reg
	shadow      int64        // bytes the callee may use above its return address
	retGPR      []x86asm.Reg // loaded from Frame.RetGPR[i]
	retFPR      []x86asm.Reg // loaded from Frame.RetFPR[i]
	callerSaved []x86asm.Reg // what crosscall2 may clobber
	calleeSaved []x86asm.Reg // what the entry must preserve
}

func xmms(from, to x86asm.Reg) []x86asm.Reg {
	var r []x86asm.Reg
	for x := from; x <= to; x++ {
		r = append(r, x)
	}
	return r
}

var entryConvs = []entryConv{
	{
		name:   "sysv",
		append: AppendEntrySysV,
		size:   EntrySysVSize,
		asm: []string{
			"push rbp",
			"mov rbp, rsp",
			"sub rsp, 0xc0",
			"mov qword ptr [rsp], rdi",
			"mov qword ptr [rsp+0x8], rsi",
			"mov qword ptr [rsp+0x10], rdx",
			"mov qword ptr [rsp+0x18], rcx",
			"mov qword ptr [rsp+0x20], r8",
			"mov qword ptr [rsp+0x28], r9",
			"movsd qword ptr [rsp+0x40], xmm0",
			"movsd qword ptr [rsp+0x48], xmm1",
			"movsd qword ptr [rsp+0x50], xmm2",
			"movsd qword ptr [rsp+0x58], xmm3",
			"movsd qword ptr [rsp+0x60], xmm4",
			"movsd qword ptr [rsp+0x68], xmm5",
			"movsd qword ptr [rsp+0x70], xmm6",
			"movsd qword ptr [rsp+0x78], xmm7",
			"lea r11, ptr [rbp+0x10]",
			"mov qword ptr [rsp+0x80], r11",
			"mov qword ptr [rsp+0x88], rax",
			"mov r11, qword ptr [state]",
			"lea r11, ptr [r11+rax*8]",
			"mov r10, qword ptr [r11]",
			"mov qword ptr [rsp+0xb0], r10",
			"mov rdi, qword ptr [gatewayFn]",
			"mov rsi, rsp",
			"xor edx, edx",
			"xor ecx, ecx",
			"call qword ptr [crosscall2]",
			"mov rax, qword ptr [rsp+0x90]",
			"mov rdx, qword ptr [rsp+0x98]",
			"movsd xmm0, qword ptr [rsp+0xa0]",
			"movsd xmm1, qword ptr [rsp+0xa8]",
			"leave",
			"ret",
		},
		argGPR:    []x86asm.Reg{x86asm.RDI, x86asm.RSI, x86asm.RDX, x86asm.RCX, x86asm.R8, x86asm.R9},
		argFPR:    8,
		stackArgs: 8,
		callArgs:  [4]x86asm.Reg{x86asm.RDI, x86asm.RSI, x86asm.RDX, x86asm.RCX},
		retGPR:    []x86asm.Reg{x86asm.RAX, x86asm.RDX},
		retFPR:    []x86asm.Reg{x86asm.X0, x86asm.X1},
		callerSaved: append([]x86asm.Reg{x86asm.RAX, x86asm.RCX, x86asm.RDX, x86asm.RSI, x86asm.RDI,
			x86asm.R8, x86asm.R9, x86asm.R10, x86asm.R11}, xmms(x86asm.X0, x86asm.X15)...),
		calleeSaved: []x86asm.Reg{x86asm.RBX, x86asm.RBP, x86asm.R12, x86asm.R13, x86asm.R14, x86asm.R15},
	},
	{
		name:   "win64",
		append: AppendEntryWin64,
		size:   EntryWin64Size,
		asm: []string{
			"push rbp",
			"mov rbp, rsp",
			"sub rsp, 0xe0",
			"mov qword ptr [rsp+0x20], rcx",
			"mov qword ptr [rsp+0x28], rdx",
			"mov qword ptr [rsp+0x30], r8",
			"mov qword ptr [rsp+0x38], r9",
			"movsd qword ptr [rsp+0x60], xmm0",
			"movsd qword ptr [rsp+0x68], xmm1",
			"movsd qword ptr [rsp+0x70], xmm2",
			"movsd qword ptr [rsp+0x78], xmm3",
			"lea r11, ptr [rbp+0x10]",
			"mov qword ptr [rsp+0xa0], r11",
			"mov qword ptr [rsp+0xa8], rax",
			"mov r11, qword ptr [state]",
			"lea r11, ptr [r11+rax*8]",
			"mov r10, qword ptr [r11]",
			"mov qword ptr [rsp+0xd0], r10",
			"mov rcx, qword ptr [gatewayFn]",
			"lea rdx, ptr [rsp+0x20]",
			"xor r8d, r8d",
			"xor r9d, r9d",
			"call qword ptr [crosscall2]",
			"mov rax, qword ptr [rsp+0xb0]",
			"movsd xmm0, qword ptr [rsp+0xc0]",
			"leave",
			"ret",
		},
		argGPR:    []x86asm.Reg{x86asm.RCX, x86asm.RDX, x86asm.R8, x86asm.R9},
		argFPR:    4,
		stackArgs: 8,
		callArgs:  [4]x86asm.Reg{x86asm.RCX, x86asm.RDX, x86asm.R8, x86asm.R9},
		shadow:    ShadowSpaceWin64,
		retGPR:    []x86asm.Reg{x86asm.RAX},
		retFPR:    []x86asm.Reg{x86asm.X0},
		callerSaved: append([]x86asm.Reg{x86asm.RAX, x86asm.RCX, x86asm.RDX,
			x86asm.R8, x86asm.R9, x86asm.R10, x86asm.R11}, xmms(x86asm.X0, x86asm.X5)...),
		calleeSaved: append([]x86asm.Reg{x86asm.RBX, x86asm.RBP, x86asm.RDI, x86asm.RSI,
			x86asm.R12, x86asm.R13, x86asm.R14, x86asm.R15}, xmms(x86asm.X6, x86asm.X15)...),
	},
}

// entryPlacement is where an entry and its three data words live.
type entryPlacement struct {
	name                 string
	entry, fnW, ccW, stW uintptr
}

func entryPlacements(size int) []entryPlacement {
	const e = 0x7f5500000000
	after := e + uintptr(size+7)&^7
	return []entryPlacement{
		{"words after the code", e, after, after + 8, after + 16},
		{"words before the code", e, e - 24, e - 16, e - 8},
		{"words in swapped order", e, after + 16, after, after + 8},
		{"words almost 2 GiB away", e, e + 0x7fff0000, e - 0x7fff0000, e + 0x7ffe0000},
	}
}

func TestEntryDisassembly(t *testing.T) {
	for _, c := range entryConvs {
		for _, pl := range entryPlacements(c.size) {
			t.Run(c.name+"/"+pl.name, func(t *testing.T) {
				prefix := []byte{0xEE}
				out, err := c.append(prefix, pl.entry, pl.fnW, pl.ccW, pl.stW)
				if err != nil {
					t.Fatal(err)
				}
				if out[0] != 0xEE {
					t.Fatalf("prefix changed")
				}
				code := out[1:]
				if len(code) != c.size {
					t.Errorf("entry is %d bytes, the size constant says %d", len(code), c.size)
				}
				lines, insts := disasm(t, code, pl.entry, map[uintptr]string{pl.fnW: "gatewayFn", pl.ccW: "crosscall2", pl.stW: "state"})
				if got, want := strings.Join(lines, "\n"), strings.Join(c.asm, "\n"); got != want {
					t.Fatalf("decoded:\n%s\n\nwant:\n%s", got, want)
				}
				// The rip-relative operands resolve to the data words.
				pc := uint64(pl.entry)
				var targets []uint64
				for _, in := range insts {
					pc += uint64(in.Len)
					for _, a := range in.Args {
						if m, ok := a.(x86asm.Mem); ok && m.Base == x86asm.RIP {
							targets = append(targets, uint64(int64(pc)+m.Disp))
						}
					}
				}
				if len(targets) != 3 || targets[0] != uint64(pl.stW) || targets[1] != uint64(pl.fnW) || targets[2] != uint64(pl.ccW) {
					t.Errorf("rip-relative targets %#x, want [%#x %#x %#x]", targets, pl.stW, pl.fnW, pl.ccW)
				}
			})
		}
	}
}

// TestEntrySysVBytes pins the System V entry's bytes (the ones listed in the
// comments of AppendEntrySysV) for one placement of its data words.
func TestEntrySysVBytes(t *testing.T) {
	out, err := AppendEntrySysV(nil, 0x10000, 0x10100, 0x10108, 0x10110)
	if err != nil {
		t.Fatal(err)
	}
	want := unhex(t, strings.Join([]string{
		"55", "48 89 e5", "48 81 ec c0 00 00 00",
		"48 89 3c 24", "48 89 74 24 08", "48 89 54 24 10", "48 89 4c 24 18", "4c 89 44 24 20", "4c 89 4c 24 28",
		"f2 0f 11 44 24 40", "f2 0f 11 4c 24 48", "f2 0f 11 54 24 50", "f2 0f 11 5c 24 58",
		"f2 0f 11 64 24 60", "f2 0f 11 6c 24 68", "f2 0f 11 74 24 70", "f2 0f 11 7c 24 78",
		"4c 8d 5d 10", "4c 89 9c 24 80 00 00 00", "48 89 84 24 88 00 00 00",
		// mov r11 at offset 108, ends at 115: 0x110-115 = 0x9d
		"4c 8b 1d 9d 00 00 00", "4d 8d 1c c3", "4d 8b 13", "4c 89 94 24 b0 00 00 00",
		// mov rdi at offset 130, ends at 137: 0x100-137 = 0x77
		"48 8b 3d 77 00 00 00", "48 89 e6", "31 d2", "31 c9",
		// call at offset 144, ends at 150: 0x108-150 = 0x72
		"ff 15 72 00 00 00",
		"48 8b 84 24 90 00 00 00", "48 8b 94 24 98 00 00 00",
		"f2 0f 10 84 24 a0 00 00 00", "f2 0f 10 8c 24 a8 00 00 00",
		"c9", "c3",
	}, ""))
	if !bytes.Equal(out, want) {
		t.Errorf("entry bytes:\n% x\nwant:\n% x", out, want)
	}
}

// TestEntrySemantics runs each entry symbolically, with crosscall2 replaced
// by a stand-in that checks its arguments and the frame, then writes results
// into the frame as the Go dispatcher would.
func TestEntrySemantics(t *testing.T) {
	for _, c := range entryConvs {
		t.Run(c.name, func(t *testing.T) {
			const entry, fnW, ccW, stW = 0x7f6600000000, 0x7f6600001000, 0x7f6600001008, 0x7f6600001010
			code, err := c.append(nil, entry, fnW, ccW, stW)
			if err != nil {
				t.Fatal(err)
			}
			m := newMachine(t)
			m.words[fnW] = sym("gateway fn")
			m.words[ccW] = sym("crosscall2")
			m.words[stW] = sym("state words")
			stateAt := sym("state words+RAX@entry*8") // the slot's state word
			m.cells[stateAt] = sym("state before")
			// The caller's stack arguments (and Windows shadow space) above
			// the return address.
			for off := int64(8); off < 8+c.shadow+64; off += 8 {
				m.mem[off] = sym(fmt.Sprintf("caller stack %+d", off))
			}
			before := map[x86asm.Reg]sval{}
			for r, v := range m.reg {
				before[r] = v
			}
			called := 0
			m.callee = func(m *machine, target sval) {
				called++
				if target != sym("crosscall2") {
					t.Fatalf("call reaches %v, want crosscall2", target)
				}
				sp := m.reg[x86asm.RSP] // points at the return address
				// C ABIs: rsp+8 is 16-byte aligned at a call; rsp at our
				// entry was 8 mod 16 (the C caller's call pushed 8).
				if (8+sp.n+8)%16 != 0 {
					t.Errorf("rsp at crosscall2 entry is entry_rsp%+d: misaligned", sp.n)
				}
				if got := m.reg[c.callArgs[0]]; got != sym("gateway fn") {
					t.Errorf("fn argument in %v is %v", c.callArgs[0], got)
				}
				frame := m.reg[c.callArgs[1]]
				if frame.kind != 'p' {
					t.Fatalf("frame argument in %v is %v, not a stack address", c.callArgs[1], frame)
				}
				for _, r := range c.callArgs[2:] {
					if got := m.reg[r]; got != konst(0) {
						t.Errorf("argument in %v is %v, want 0", r, got)
					}
				}
				// The frame lies between the callee's shadow space and the
				// saved rbp (at entry_rsp-8).
				if lo, hi := sp.n+8+c.shadow, int64(-8); frame.n < lo || frame.n+FrameSize > hi {
					t.Errorf("frame [%d,%d) outside the entry's own stack [%d,%d)", frame.n, frame.n+FrameSize, lo, hi)
				}
				if frame.n%16 != 8 && frame.n%16 != -8 {
					t.Errorf("frame at entry_rsp%+d is not 16-byte aligned", frame.n)
				}
				at := func(off int) sval { return m.mem[frame.n+int64(off)] }
				for i, r := range c.argGPR {
					if got := at(FrameGPR + 8*i); got != before[r] {
						t.Errorf("Frame.GPR[%d] = %v, want %v", i, got, before[r])
					}
				}
				for i := range c.argFPR {
					x := x86asm.X0 + x86asm.Reg(i)
					if got := at(FrameFPR + 8*i); got != before[x] {
						t.Errorf("Frame.FPR[%d] = %v, want %v", i, got, before[x])
					}
				}
				if got := at(FrameStackArgs); got != stackAt(c.stackArgs) {
					t.Errorf("Frame.StackArgs = %v, want entry_rsp%+d", got, c.stackArgs)
				}
				if got := at(FrameSlot); got != before[x86asm.RAX] {
					t.Errorf("Frame.Slot = %v, want the slot stub's rax", got)
				}
				// The slot's state word was read, not written, before Go
				// runs; the frame has its value.
				if got := m.cells[stateAt]; got != sym("state before") {
					t.Errorf("state word is %v, want it unchanged", got)
				}
				if got := at(FrameState); got != sym("state before") {
					t.Errorf("Frame.State = %v, want the state word", got)
				}
				// The stand-in crosscall2: may use its shadow space and the
				// caller-saved registers; the Go side fills the results.
				for off := int64(0); off < c.shadow; off += 8 {
					m.mem[sp.n+8+off] = sym("shadow scribble")
				}
				m.clobber(c.callerSaved...)
				for i := range 2 {
					m.mem[frame.n+int64(FrameRetGPR+8*i)] = sym(fmt.Sprintf("result gpr %d", i))
					m.mem[frame.n+int64(FrameRetFPR+8*i)] = sym(fmt.Sprintf("result fpr %d", i))
				}
			}
			ret := m.run(code, entry)
			if called != 1 {
				t.Fatalf("crosscall2 called %d times", called)
			}
			if ret != sym("return address") {
				t.Errorf("ret went to %v", ret)
			}
			if sp := m.reg[x86asm.RSP]; sp != stackAt(8) {
				t.Errorf("rsp after ret is %v, want entry_rsp+8", sp)
			}
			for _, r := range c.calleeSaved {
				if m.reg[r] != before[r] {
					t.Errorf("callee-saved %v is %v after ret, want %v", r, m.reg[r], before[r])
				}
			}
			for i, r := range c.retGPR {
				if want := sym(fmt.Sprintf("result gpr %d", i)); m.reg[r] != want {
					t.Errorf("%v after ret is %v, want %v", r, m.reg[r], want)
				}
			}
			for i, r := range c.retFPR {
				if want := sym(fmt.Sprintf("result fpr %d", i)); m.reg[r] != want {
					t.Errorf("%v after ret is %v, want %v", r, m.reg[r], want)
				}
			}
			// The caller's stack arguments are untouched.
			for off := 8 + c.shadow; off < 8+c.shadow+64; off += 8 {
				if want := sym(fmt.Sprintf("caller stack %+d", off)); m.mem[off] != want {
					t.Errorf("caller stack word %+d is %v", off, m.mem[off])
				}
			}
		})
	}
}

func TestEntryRangeErrors(t *testing.T) {
	const e = 0x7f0000000000
	near := uintptr(e + 0x1000)
	// Offset of `call [rip+crosscall2Word]` in each entry (see the byte
	// comments in entry.go).
	callOff := map[string]int{"sysv": 144, "win64": 115}
	for _, c := range entryConvs {
		tests := []struct {
			name          string
			fnW, ccW, stW uintptr
			want          string
		}{
			{"state word too far behind", near, near, 0x2000, "mov r11, [rip+rel32] at"},
			{"gateway word too far ahead", e + 1<<32, near, near, fmt.Sprintf("target %#x is out of rel32 range", uintptr(e+1<<32))},
			{"gateway word too far behind", 0x1000, near, near, "target 0x1000 is out of rel32 range"},
			{"crosscall2 word too far ahead", near, e + 1<<31 + 0x1000, near, fmt.Sprintf("call [rip+rel32] at %#x: target %#x", e+callOff[c.name], uintptr(e+1<<31+0x1000))},
		}
		for _, tt := range tests {
			t.Run(c.name+"/"+tt.name, func(t *testing.T) {
				prefix := []byte{9, 9}
				out, err := c.append(prefix, e, tt.fnW, tt.ccW, tt.stW)
				if err == nil {
					t.Fatalf("no error")
				}
				if !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %q does not contain %q", err, tt.want)
				}
				if !bytes.Equal(out, prefix) {
					t.Errorf("dst changed on error: % x", out)
				}
			})
		}
	}
}

func TestFrameLayout(t *testing.T) {
	type region struct {
		name      string
		off, size int
	}
	regions := []region{
		{"GPR", FrameGPR, 8 * 8},
		{"FPR", FrameFPR, 8 * 8},
		{"StackArgs", FrameStackArgs, 8},
		{"Slot", FrameSlot, 8},
		{"RetGPR", FrameRetGPR, 2 * 8},
		{"RetFPR", FrameRetFPR, 2 * 8},
		{"State", FrameState, 8},
	}
	sort.Slice(regions, func(i, j int) bool { return regions[i].off < regions[j].off })
	end := 0
	for _, r := range regions {
		if r.off%8 != 0 {
			t.Errorf("Frame%s = %d is not 8-byte aligned", r.name, r.off)
		}
		if r.off < end {
			t.Errorf("Frame%s = %d overlaps the previous field ending at %d", r.name, r.off, end)
		}
		end = r.off + r.size
	}
	if end > FrameSize {
		t.Errorf("fields end at %d, past FrameSize %d", end, FrameSize)
	}
	if FrameSize%16 != 0 {
		t.Errorf("FrameSize %d is not a multiple of 16", FrameSize)
	}
	if (ShadowSpaceWin64+FrameSize)%16 != 0 {
		t.Errorf("Windows frame plus shadow space %d is not a multiple of 16", ShadowSpaceWin64+FrameSize)
	}
	var f Frame
	offsets := []struct {
		name      string
		got, want uintptr
	}{
		{"GPR", unsafe.Offsetof(f.GPR), FrameGPR},
		{"FPR", unsafe.Offsetof(f.FPR), FrameFPR},
		{"StackArgs", unsafe.Offsetof(f.StackArgs), FrameStackArgs},
		{"Slot", unsafe.Offsetof(f.Slot), FrameSlot},
		{"RetGPR", unsafe.Offsetof(f.RetGPR), FrameRetGPR},
		{"RetFPR", unsafe.Offsetof(f.RetFPR), FrameRetFPR},
		{"State", unsafe.Offsetof(f.State), FrameState},
		{"size", unsafe.Sizeof(f), FrameSize},
	}
	for _, o := range offsets {
		if o.got != o.want {
			t.Errorf("Frame.%s at %d, constant says %d", o.name, o.got, o.want)
		}
	}
	if len(sysvArgGPR) > len(f.GPR) || len(win64ArgGPR) > len(f.GPR) {
		t.Errorf("more argument registers than Frame.GPR entries")
	}
}
