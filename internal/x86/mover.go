package x86

import (
	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// Go's register ABI on amd64 (ABIInternal): the integer argument and
// result registers in order, and the first 15 SSE registers (X15 is kept
// zero and R14 holds g; a mover touches neither).
var goIntRegs = [...]Reg{RAX, RBX, RCX, RDI, RSI, R8, R9, R10, R11}

// goRegs are the registers of Go's register ABI on amd64, for
// stub.Mover.Check.
var goRegs = stub.Regs{ArgGPR: 9, ArgFPR: 15, ResGPR: 9, ResFPR: 15}

// The registers of a mover's own convention (stub.Mover): the frame, the
// C caller's stack arguments, and the scratch register of word copies. None
// is an argument register of ABIInternal, and callMoved loads rdx (the
// closure context) only after the mover has returned.
const (
	moverFrame   = R12
	moverStack   = R13
	moverScratch = RDX
)

// MoverOutWords is the number of outgoing argument words a mover may
// write: callMoved's frame (package upcall) holds that many.
const MoverOutWords = 32

// AppendMover appends the code of mover m (stub.Mover): for an argument
// mover,
//
//	mov r13, qword ptr [r12+StackArgs]   ; if a move reads the C stack
//	mov rdx, qword ptr [r12/r13+src]     ; each Out word: load (movsx or
//	mov qword ptr [rsp+8+N], rdx         ;   movzx for 1, 2 or 4 bytes),
//	                                     ;   store 1, 2, 4 or 8 bytes
//	mov rax, qword ptr [r12/r13+src]     ; each integer register (movsx
//	                                     ;   or movzx for narrower values)
//	movsd xmm0, qword ptr [r12/r13+src]  ; each SSE register (movss for 4)
//	ret
//
// and for a result mover, per move, `mov [r12+dst], rax` of 1, 2, 4 or 8
// bytes or `movsd`/`movss [r12+dst], xmm0`; an extended one stores rax
// whole and rewrites the word with its low bytes extended (through rdx,
// not a result register), then ret. The Out words lie above the return
// address of the mover's call, at rsp+8. Word copies come first, so that
// rdx is free again before the registers are loaded.
func AppendMover(dst []byte, m *stub.Mover) ([]byte, error) {
	if err := m.Check(goRegs, MoverOutWords); err != nil {
		return dst, err
	}
	b := NewBuilder(dst, 0)
	stack := false
	for _, mv := range m.Moves {
		stack = stack || mv.From.Kind == stub.Stack
	}
	if stack {
		b.Load64(moverStack, moverFrame, m.StackArgs)
	}
	for _, mv := range m.Moves {
		if mv.To.Kind == stub.Out {
			moverLoadInt(&b, moverScratch, moverBase(mv.From), mv.From.N, mv.Size, mv.Signed)
			moverStoreInt(&b, RSP, 8+mv.To.N, moverScratch, mv.Store)
		}
	}
	for _, mv := range m.Moves {
		switch {
		case mv.To.Kind == stub.GPR:
			moverLoadInt(&b, goIntRegs[mv.To.N], moverBase(mv.From), mv.From.N, mv.Size, mv.Signed)
		case mv.To.Kind == stub.FPR && mv.Size == 4:
			b.LoadSS(XReg(mv.To.N), moverBase(mv.From), mv.From.N)
		case mv.To.Kind == stub.FPR:
			b.LoadSD(XReg(mv.To.N), moverBase(mv.From), mv.From.N)
		case mv.From.Kind == stub.GPR && mv.Extend:
			b.Store64(moverFrame, mv.To.N, goIntRegs[mv.From.N])
			moverLoadInt(&b, moverScratch, moverFrame, mv.To.N, mv.Size, mv.Signed)
			b.Store64(moverFrame, mv.To.N, moverScratch)
		case mv.From.Kind == stub.GPR:
			moverStoreInt(&b, moverFrame, mv.To.N, goIntRegs[mv.From.N], mv.Size)
		case mv.From.Kind == stub.FPR && mv.Size == 4:
			b.StoreSS(moverFrame, mv.To.N, XReg(mv.From.N))
		case mv.From.Kind == stub.FPR:
			b.StoreSD(moverFrame, mv.To.N, XReg(mv.From.N))
		}
	}
	b.Ret()
	if err := b.Err(); err != nil {
		return dst, errfmt.Errorf("mover: %w", err)
	}
	return b.Bytes(), nil
}

// moverBase is the register a mover reads l from: the frame, or the C
// caller's stack arguments.
func moverBase(l stub.Loc) Reg {
	if l.Kind == stub.Stack {
		return moverStack
	}
	return moverFrame
}

// moverLoadInt loads the n bytes at [base+disp] into r, extended to 64
// bits (with their sign if signed).
func moverLoadInt(b *Builder, r, base Reg, disp int32, n uint8, signed bool) {
	switch {
	case n == 8:
		b.Load64(r, base, disp)
	case n == 4 && signed:
		b.Load32Sext(r, base, disp)
	case n == 4:
		b.Load32(r, base, disp)
	case n == 2 && signed:
		b.Load16Sext(r, base, disp)
	case n == 2:
		b.Load16(r, base, disp)
	case signed:
		b.Load8Sext(r, base, disp)
	default:
		b.Load8(r, base, disp)
	}
}

// moverStoreInt stores the low n bytes of r at [base+disp].
func moverStoreInt(b *Builder, base Reg, disp int32, r Reg, n uint8) {
	switch n {
	case 8:
		b.Store64(base, disp, r)
	case 4:
		b.Store32(base, disp, r)
	case 2:
		b.Store16(base, disp, r)
	default:
		b.Store8(base, disp, r)
	}
}
