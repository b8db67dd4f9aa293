package x86

// Frame layout of the common entry: the entry builds this frame on the C
// stack, passes its address to the Go gateway, and returns the values the
// gateway left in the result area. The Go dispatcher reads the same offsets
// (Frame mirrors them as a struct). Both conventions use the same layout;
// Windows x64 fills GPR[0..3] (rcx rdx r8 r9) and FPR[0..3] (xmm0..xmm3)
// and returns only RetGPR[0] (rax) and RetFPR[0] (xmm0).
const (
	FrameGPR       = 0   // 8 x 8 bytes: rdi rsi rdx rcx r8 r9 (6 used, 2 spare)
	FrameFPR       = 64  // 8 x 8 bytes: low 64 bits of xmm0..xmm7
	FrameStackArgs = 128 // address of the caller's first stack argument (rbp+16)
	FrameSlot      = 136 // slot id (zero-extended eax)
	FrameRetGPR    = 144 // 2 x 8: rax, rdx loaded on return
	FrameRetFPR    = 160 // 2 x 8: xmm0, xmm1 (low 64 bits) loaded on return
	FrameState     = 176 // the slot's state word as it was when this call entered
	FrameSize      = 192 // 8 bytes of padding after FrameState
)

// Frame is the Go view of the entry's frame; its field offsets equal the
// Frame* constants (checked by a test), so the dispatcher may convert the
// frame pointer it receives to *Frame.
type Frame struct {
	GPR       [8]uint64 // argument registers in convention order
	FPR       [8]uint64 // low 64 bits of the argument SSE registers
	StackArgs uint64    // address of the caller's first stack argument
	Slot      uint64    // slot id put in eax by the slot stub
	RetGPR    [2]uint64 // loaded into rax, rdx on return
	RetFPR    [2]uint64 // loaded into xmm0, xmm1 (low 64 bits) on return
	State     uint64    // the slot's state word when this call entered
	_         uint64    // padding to FrameSize
}

// EntrySysVSize is the length in bytes of the code AppendEntrySysV appends;
// it does not depend on the addresses.
const EntrySysVSize = 186

// EntryWin64Size is the length in bytes of the code AppendEntryWin64
// appends; it does not depend on the addresses.
const EntryWin64Size = 140

// ShadowSpaceWin64 is the 32 bytes a Windows x64 caller reserves just above
// the return address for the callee's four register arguments.
const ShadowSpaceWin64 = 32

// sysvArgGPR are the System V AMD64 integer argument registers in order.
var sysvArgGPR = [6]Reg{RDI, RSI, RDX, RCX, R8, R9}

// win64ArgGPR are the Windows x64 integer argument registers in order.
var win64ArgGPR = [4]Reg{RCX, RDX, R8, R9}

// AppendEntrySysV appends the common entry for System V AMD64. gatewayFnWord,
// crosscall2Word and stateWord are the addresses of three 8-byte data words
// (written by the page allocator next to the code, within rel32 reach)
// holding: the Go function to run (the ABIInternal code pointer of a Go
// func(unsafe.Pointer)), the address of crosscall2, and the address at which
// slot id's state word is found 8*id bytes further. entryAddr is where the
// entry will live.
//
// Before entering Go, the entry reads the slot's state word and records it
// in the frame: the Go side learns what the slot was when C called it
// (however long the thread then waits to run Go code).
// It returns dst unchanged and an error if a data word is out of rel32
// reach of the instruction that reads it.
//
// The entry, reached by `jmp` from a slot stub with the slot id in eax:
//
//	push rbp
//	mov rbp, rsp
//	sub rsp, 192                      ; rsp stays 16-byte aligned
//	mov [rsp+0..40], rdi rsi rdx rcx r8 r9
//	movsd [rsp+64..120], xmm0..xmm7
//	lea r11, [rbp+16] ; mov [rsp+128], r11
//	mov [rsp+136], rax                ; slot id
//	mov r11, [rip+stateWord]
//	lea r11, [r11+rax*8]              ; the slot's state word
//	mov r10, [r11]
//	mov [rsp+176], r10
//	mov rdi, [rip+gatewayFnWord]      ; crosscall2(fn, frame, 0, 0)
//	mov rsi, rsp
//	xor edx, edx
//	xor ecx, ecx
//	call [rip+crosscall2Word]
//	mov rax, [rsp+144] ; mov rdx, [rsp+152]
//	movsd xmm0, [rsp+160] ; movsd xmm1, [rsp+168]
//	leave
//	ret
//
// It clobbers only caller-saved registers (rax rcx rdx rsi rdi r10 r11,
// the SSE registers); crosscall2 preserves the C callee-saved ones.
func AppendEntrySysV(dst []byte, entryAddr, gatewayFnWord, crosscall2Word, stateWord uintptr) ([]byte, error) {
	b := NewBuilder(dst, entryAddr)
	// The C caller's call pushed 8 bytes (the slot stub only jumps) and
	// `push rbp` 8 more, so rsp is 16-byte aligned here; FrameSize is a
	// multiple of 16, so it stays aligned for the call to crosscall2.
	b.Push(RBP)                // 55                      push rbp
	b.MovRegReg(RBP, RSP)      // 48 89 e5                mov rbp, rsp
	b.SubImm32(RSP, FrameSize) // 48 81 ec c0 00 00 00    sub rsp, 192

	// Argument registers into the frame.
	for i, r := range sysvArgGPR {
		// 48 89 3c 24         mov [rsp], rdi
		// 48 89 74 24 08      mov [rsp+8], rsi
		// 48 89 54 24 10      mov [rsp+16], rdx
		// 48 89 4c 24 18      mov [rsp+24], rcx
		// 4c 89 44 24 20      mov [rsp+32], r8
		// 4c 89 4c 24 28      mov [rsp+40], r9
		b.Store64(RSP, int32(FrameGPR+8*i), r)
	}
	for i := range 8 {
		// f2 0f 11 44 24 40   movsd [rsp+64], xmm0
		// f2 0f 11 4c 24 48   movsd [rsp+72], xmm1
		// f2 0f 11 54 24 50   movsd [rsp+80], xmm2
		// f2 0f 11 5c 24 58   movsd [rsp+88], xmm3
		// f2 0f 11 64 24 60   movsd [rsp+96], xmm4
		// f2 0f 11 6c 24 68   movsd [rsp+104], xmm5
		// f2 0f 11 74 24 70   movsd [rsp+112], xmm6
		// f2 0f 11 7c 24 78   movsd [rsp+120], xmm7
		b.StoreSD(RSP, int32(FrameFPR+8*i), XReg(i))
	}
	b.Lea(R11, RBP, 16)                 // 4c 8d 5d 10                lea r11, [rbp+16]
	b.Store64(RSP, FrameStackArgs, R11) // 4c 89 9c 24 80 00 00 00    mov [rsp+128], r11
	b.Store64(RSP, FrameSlot, RAX)      // 48 89 84 24 88 00 00 00    mov [rsp+136], rax
	appendStateEntry(&b, 0, stateWord)

	// crosscall2(fn, frame, 0, 0) in the C convention.
	b.LoadRIP64(RDI, gatewayFnWord) // 48 8b 3d rel32    mov rdi, [rip+gatewayFnWord]
	b.MovRegReg(RSI, RSP)           // 48 89 e6          mov rsi, rsp
	b.XorReg32(RDX, RDX)            // 31 d2             xor edx, edx
	b.XorReg32(RCX, RCX)            // 31 c9             xor ecx, ecx
	b.CallRIP(crosscall2Word)       // ff 15 rel32       call [rip+crosscall2Word]

	// Results out of the frame.
	b.Load64(RAX, RSP, FrameRetGPR)   // 48 8b 84 24 90 00 00 00       mov rax, [rsp+144]
	b.Load64(RDX, RSP, FrameRetGPR+8) // 48 8b 94 24 98 00 00 00       mov rdx, [rsp+152]
	b.LoadSD(X0, RSP, FrameRetFPR)    // f2 0f 10 84 24 a0 00 00 00    movsd xmm0, [rsp+160]
	b.LoadSD(X1, RSP, FrameRetFPR+8)  // f2 0f 10 8c 24 a8 00 00 00    movsd xmm1, [rsp+168]
	b.Leave()                         // c9                            leave
	b.Ret()                           // c3                            ret
	if err := b.Err(); err != nil {
		return dst, err
	}
	return b.Bytes(), nil
}

// AppendEntryWin64 appends the common entry for Windows x64, with the same
// parameters and frame layout as AppendEntrySysV. It saves rcx rdx r8 r9
// into GPR[0..3] and xmm0..xmm3 into FPR[0..3] (GPR[4..5] and FPR[4..7] are
// left unset), stores rbp+16 (the caller's rsp at the call: the shadow
// space, then the fifth argument slot at +32, as package win64 counts stack
// offsets) as the stack-argument address, and calls
// crosscall2(fn, frame, 0, 0) with fn in rcx, frame in rdx, 0 in r8 and r9,
// reserving 32 bytes of shadow space below the frame for that call. On
// return it loads rax and xmm0 only, the Windows x64 result registers.
//
//	push rbp
//	mov rbp, rsp
//	sub rsp, 224                      ; 32 shadow + 192 frame; aligned
//	mov [rsp+32+0..24], rcx rdx r8 r9
//	movsd [rsp+32+64..88], xmm0..xmm3
//	lea r11, [rbp+16] ; mov [rsp+32+128], r11
//	mov [rsp+32+136], rax             ; slot id
//	(the state word read of AppendEntrySysV, into [rsp+32+176])
//	mov rcx, [rip+gatewayFnWord]
//	lea rdx, [rsp+32]
//	xor r8d, r8d
//	xor r9d, r9d
//	call [rip+crosscall2Word]
//	mov rax, [rsp+32+144]
//	movsd xmm0, [rsp+32+160]
//	leave
//	ret
//
// The entry has no unwind information registered with the OS; exceptions
// that unwind through it are not supported.
func AppendEntryWin64(dst []byte, entryAddr, gatewayFnWord, crosscall2Word, stateWord uintptr) ([]byte, error) {
	const f = ShadowSpaceWin64 // frame offset from rsp
	b := NewBuilder(dst, entryAddr)
	b.Push(RBP)                  // 55                      push rbp
	b.MovRegReg(RBP, RSP)        // 48 89 e5                mov rbp, rsp
	b.SubImm32(RSP, f+FrameSize) // 48 81 ec e0 00 00 00    sub rsp, 224

	for i, r := range win64ArgGPR {
		// 48 89 4c 24 20      mov [rsp+32], rcx
		// 48 89 54 24 28      mov [rsp+40], rdx
		// 4c 89 44 24 30      mov [rsp+48], r8
		// 4c 89 4c 24 38      mov [rsp+56], r9
		b.Store64(RSP, int32(f+FrameGPR+8*i), r)
	}
	for i := range 4 {
		// f2 0f 11 44 24 60   movsd [rsp+96], xmm0
		// f2 0f 11 4c 24 68   movsd [rsp+104], xmm1
		// f2 0f 11 54 24 70   movsd [rsp+112], xmm2
		// f2 0f 11 5c 24 78   movsd [rsp+120], xmm3
		b.StoreSD(RSP, int32(f+FrameFPR+8*i), XReg(i))
	}
	b.Lea(R11, RBP, 16)                   // 4c 8d 5d 10                lea r11, [rbp+16]
	b.Store64(RSP, f+FrameStackArgs, R11) // 4c 89 9c 24 a0 00 00 00    mov [rsp+160], r11
	b.Store64(RSP, f+FrameSlot, RAX)      // 48 89 84 24 a8 00 00 00    mov [rsp+168], rax
	appendStateEntry(&b, f, stateWord)

	// crosscall2(fn, frame, 0, 0) in the Windows convention; the 32 bytes
	// at [rsp] are the callee's shadow space.
	b.LoadRIP64(RCX, gatewayFnWord) // 48 8b 0d rel32         mov rcx, [rip+gatewayFnWord]
	b.Lea(RDX, RSP, f)              // 48 8d 54 24 20         lea rdx, [rsp+32]
	b.XorReg32(R8, R8)              // 45 31 c0               xor r8d, r8d
	b.XorReg32(R9, R9)              // 45 31 c9               xor r9d, r9d
	b.CallRIP(crosscall2Word)       // ff 15 rel32            call [rip+crosscall2Word]

	b.Load64(RAX, RSP, f+FrameRetGPR) // 48 8b 84 24 b0 00 00 00       mov rax, [rsp+176]
	b.LoadSD(X0, RSP, f+FrameRetFPR)  // f2 0f 10 84 24 c0 00 00 00    movsd xmm0, [rsp+192]
	b.Leave()                         // c9                            leave
	b.Ret()                           // c3                            ret
	if err := b.Err(); err != nil {
		return dst, err
	}
	return b.Bytes(), nil
}

// appendStateEntry appends the state word read of both entries, for a
// frame at rsp+f, with the slot id in rax: a plain load, recorded in the
// frame for dispatch (see internal/upcall's slots.go for what the word
// says and why a load is enough):
//
//	4c 8b 1d rel32               mov r11, [rip+stateWord]
//	4d 8d 1c c3                  lea r11, [r11+rax*8]
//	4d 8b 13                     mov r10, [r11]
//	4c 89 94 24 disp32           mov [rsp+f+176], r10
func appendStateEntry(b *Builder, f int32, stateWord uintptr) {
	b.LoadRIP64(R11, stateWord)
	b.LeaIndex8(R11, R11, RAX)
	b.Load64(R10, R11, 0)
	b.Store64(RSP, f+FrameState, R10)
}
