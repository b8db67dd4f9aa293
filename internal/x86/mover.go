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
	m.Emit(moverAsm{&b})
	b.Ret()
	if err := b.Err(); err != nil {
		return dst, errfmt.Errorf("mover: %w", err)
	}
	return b.Bytes(), nil
}

// moverAsm emits a mover's instructions (stub.MoverAsm) with a Builder.
type moverAsm struct{ b *Builder }

// intReg is Go's integer argument register reg, or the scratch register.
func intReg(reg int32) Reg {
	if reg == stub.Scratch {
		return moverScratch
	}
	return goIntRegs[reg]
}

// moverBase is the register a mover reads l from: the frame, or the C caller's
// stack arguments.
func moverBase(l stub.Loc) Reg {
	if l.Kind == stub.Stack {
		return moverStack
	}
	return moverFrame
}

func (a moverAsm) LoadStackArgs(off int32) { a.b.Load64(moverStack, moverFrame, off) }

func (a moverAsm) LoadInt(reg int32, src stub.Loc, n uint8, signed bool) {
	r, from, disp := intReg(reg), moverBase(src), src.N
	switch {
	case n == 8:
		a.b.Load64(r, from, disp)
	case n == 4 && signed:
		a.b.Load32Sext(r, from, disp)
	case n == 4:
		a.b.Load32(r, from, disp)
	case n == 2 && signed:
		a.b.Load16Sext(r, from, disp)
	case n == 2:
		a.b.Load16(r, from, disp)
	case signed:
		a.b.Load8Sext(r, from, disp)
	default:
		a.b.Load8(r, from, disp)
	}
}

func (a moverAsm) LoadFloat(reg int32, src stub.Loc, n uint8) {
	if n == 4 {
		a.b.LoadSS(XReg(reg), moverBase(src), src.N)
	} else {
		a.b.LoadSD(XReg(reg), moverBase(src), src.N)
	}
}

// StoreOut stores into the outgoing words, which lie above the return
// address of the mover's call, at rsp+8.
func (a moverAsm) StoreOut(off int32, n uint8) { a.storeInt(RSP, 8+off, moverScratch, n) }

func (a moverAsm) StoreInt(off, reg int32, n uint8) { a.storeInt(moverFrame, off, intReg(reg), n) }

// storeInt stores the low n bytes of r at [at+disp].
func (a moverAsm) storeInt(at Reg, disp int32, r Reg, n uint8) {
	switch n {
	case 8:
		a.b.Store64(at, disp, r)
	case 4:
		a.b.Store32(at, disp, r)
	case 2:
		a.b.Store16(at, disp, r)
	default:
		a.b.Store8(at, disp, r)
	}
}

func (a moverAsm) StoreFloat(off, reg int32, n uint8) {
	if n == 4 {
		a.b.StoreSS(moverFrame, off, XReg(reg))
	} else {
		a.b.StoreSD(moverFrame, off, XReg(reg))
	}
}
