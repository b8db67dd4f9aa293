package a64

// Frame layout of the common entry: the entry builds this frame on the C
// stack, passes its address to the Go gateway, and returns the values the
// gateway left in the result area. The Go dispatcher reads the same offsets
// (Frame mirrors them as a struct; internal/upcall's cframe too).
const (
	FrameGPR       = 0   // 9 x 8 bytes: x0..x7, and x8 (indirect result address)
	FrameFPR       = 72  // 8 x 8 bytes: low 64 bits of v0..v7
	FrameStackArgs = 136 // address of the caller's first stack argument (sp at entry)
	FrameSlot      = 144 // slot id (x9 from the slot stub)
	FrameRetGPR    = 152 // 2 x 8: x0, x1 loaded on return
	FrameRetFPR    = 168 // 4 x 8: low 64 bits of v0..v3 loaded on return
	FrameState     = 200 // the slot's state word as it was when this call entered
	FrameSize      = 216 // 8 bytes of padding after FrameState
)

// Frame is the Go view of the entry's frame; its field offsets equal the
// Frame* constants (checked by a test).
type Frame struct {
	GPR       [9]uint64 // x0..x8
	FPR       [8]uint64 // low 64 bits of v0..v7
	StackArgs uint64    // address of the caller's first stack argument
	Slot      uint64    // slot id put in x9 by the slot stub
	RetGPR    [2]uint64 // loaded into x0, x1 on return
	RetFPR    [4]uint64 // loaded into d0..d3 on return
	State     uint64    // the slot's state word when this call entered
	_         uint64    // padding to FrameSize
}

// Layout of the entry's stack area: the saved x29/x30 pair at sp, the
// frame above it, the whole rounded up to keep sp 16-byte aligned.
const (
	frameAt    = 16                               // frame offset from sp after the prologue
	entryStack = (frameAt + FrameSize + 15) &^ 15 // bytes the entry reserves: 240
)

// EntrySize is the length in bytes of the code AppendEntry appends; it does
// not depend on the addresses.
const EntrySize = 112

// AppendEntry appends the common entry for AAPCS64. gatewayFnWord,
// crosscall2Word and stateWord are the addresses of three 8-byte data words
// within ±1 MiB of the entry (written by the page allocator next to the
// code) holding the Go function to run (the ABIInternal code pointer of a
// Go func(unsafe.Pointer)), the address of crosscall2, and the address at
// which slot id's state word is found 8*id bytes further. entryAddr is
// where the entry will live. Before entering Go the entry reads the slot's
// state word and records it in the frame (see x86.AppendEntrySysV for
// why). It returns dst unchanged and an error if a data word
// is out of reach or an address is misaligned.
//
// The entry, reached by `b` from a slot stub with the slot id in x9:
//
//	stp x29, x30, [sp, #-240]!
//	mov x29, sp
//	stp x0, x1, [sp, #16] ... stp x6, x7, [sp, #64]
//	str x8, [sp, #80]
//	stp d0, d1, [sp, #88] ... stp d6, d7, [sp, #136]
//	add x10, sp, #240                 ; sp of the caller: its stack arguments
//	stp x10, x9, [sp, #152]           ; stack-argument address, slot id
//	ldr x11, stateWord
//	add x11, x11, x9, lsl #3          ; the slot's state word
//	ldr x12, [x11]
//	str x12, [sp, #216]               ; the state word
//	ldr x0, gatewayFnWord             ; crosscall2(fn, frame, 0, 0)
//	add x1, sp, #16
//	mov w2, #0
//	mov w3, #0
//	ldr x10, crosscall2Word
//	blr x10
//	ldp x0, x1, [sp, #168]
//	ldp d0, d1, [sp, #184]
//	ldp d2, d3, [sp, #200]
//	ldp x29, x30, [sp], #240
//	ret
//
// Storing d registers keeps the low 32 bits of an s register too, so a
// float argument or a member of a float HFA is in the low 4 bytes of its
// FPR word. The entry clobbers only registers a C callee may clobber
// (x0..x17, v0..v7 and the upper halves of v8..v15 through crosscall2);
// crosscall2 preserves x19..x28 and d8..d15, the entry x29 and x30.
func AppendEntry(dst []byte, entryAddr, gatewayFnWord, crosscall2Word, stateWord uintptr) ([]byte, error) {
	b := NewBuilder(dst, entryAddr)
	b.StpPre(X29, X30, SP, -entryStack) // a9b17bfd    stp x29, x30, [sp, #-240]!
	b.AddImm(X29, SP, 0)                // 910003fd    mov x29, sp

	// Argument registers into the frame.
	for i := 0; i < 8; i += 2 {
		// a90107e0    stp x0, x1, [sp, #16]
		// a9020fe2    stp x2, x3, [sp, #32]
		// a90317e4    stp x4, x5, [sp, #48]
		// a9041fe6    stp x6, x7, [sp, #64]
		b.Stp(Reg(i), Reg(i+1), SP, frameAt+FrameGPR+8*i)
	}
	b.Str(X8, SP, frameAt+FrameGPR+8*8) // f9002be8    str x8, [sp, #80]
	for i := 0; i < 8; i += 2 {
		// 6d0587e0    stp d0, d1, [sp, #88]
		// 6d068fe2    stp d2, d3, [sp, #104]
		// 6d0797e4    stp d4, d5, [sp, #120]
		// 6d089fe6    stp d6, d7, [sp, #136]
		b.StpD(VReg(i), VReg(i+1), SP, frameAt+FrameFPR+8*i)
	}
	b.AddImm(X10, SP, entryStack)                   // 9103c3ea    add x10, sp, #240
	b.Stp(X10, SlotReg, SP, frameAt+FrameStackArgs) // a909a7ea    stp x10, x9, [sp, #152]

	// The slot's state word, read (see internal/upcall's slots.go).
	b.LdrLit(X11, stateWord)           // 5800000b | imm19<<5    ldr x11, stateWord
	b.AddLsl3(X11, X11, SlotReg)       // 8b090d6b               add x11, x11, x9, lsl #3
	b.Ldr(X12, X11, 0)                 // f940016c               ldr x12, [x11]
	b.Str(X12, SP, frameAt+FrameState) // f9006fec               str x12, [sp, #216]

	// crosscall2(fn, frame, 0, 0) in the C convention.
	b.LdrLit(X0, gatewayFnWord)   // 58000000 | imm19<<5    ldr x0, gatewayFnWord
	b.AddImm(X1, SP, frameAt)     // 910043e1               add x1, sp, #16
	b.MovZ32(X2, 0, 0)            // 52800002               mov w2, #0
	b.MovZ32(X3, 0, 0)            // 52800003               mov w3, #0
	b.LdrLit(X10, crosscall2Word) // 5800000a | imm19<<5    ldr x10, crosscall2Word
	b.BLR(X10)                    // d63f0140               blr x10

	// Results out of the frame.
	b.Ldp(X0, X1, SP, frameAt+FrameRetGPR)   // a94a87e0    ldp x0, x1, [sp, #168]
	b.LdpD(0, 1, SP, frameAt+FrameRetFPR)    // 6d4b87e0    ldp d0, d1, [sp, #184]
	b.LdpD(2, 3, SP, frameAt+FrameRetFPR+16) // 6d4c8fe2    ldp d2, d3, [sp, #200]
	b.LdpPost(X29, X30, SP, entryStack)      // a8cf7bfd    ldp x29, x30, [sp], #240
	b.Ret()                                  // d65f03c0    ret
	if err := b.Err(); err != nil {
		return dst, err
	}
	return b.Bytes(), nil
}
