package a64

import (
	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// goRegs are the registers of Go's register ABI on arm64 (ABIInternal):
// R0-R15 and F0-F15, for arguments and results alike, for
// stub.Mover.Check.
var goRegs = stub.Regs{ArgGPR: 16, ArgFPR: 16, ResGPR: 16, ResFPR: 16}

// The registers of a mover's own convention (stub.Mover): the frame, the
// C caller's stack arguments, and the scratch register of word copies;
// none is an argument register of ABIInternal, the closure context (R26),
// g (R28) or the link register.
const (
	moverFrame   Reg = 20
	moverStack   Reg = 21
	moverScratch Reg = 22
)

// MoverOutWords is the number of outgoing argument words a mover may
// write: callMoved's frame (package upcall) holds that many.
const MoverOutWords = 32

// AppendMover appends the code of mover m (stub.Mover): for an argument
// mover,
//
//	ldr x21, [x20, #StackArgs]       // if a move reads the C stack
//	ldr x22, [x20|x21, #src]         // each Out word: load (ldrsw, ldrsh,
//	str x22, [sp, #8+N]              //   ldrsb or ldr w, ldrh, ldrb for
//	                                 //   narrower values), store 1, 2, 4
//	                                 //   or 8 bytes
//	ldr xN, [x20|x21, #src]          // each integer register, likewise
//	ldr dN, [x20|x21, #src]          // each floating-point register
//	                                 //   (ldr sN for 4 bytes)
//	ret
//
// and for a result mover, per move, `str xN|wN|hN|bN, [x20, #dst]` or
// `str dN|sN, [x20, #dst]`; an extended one stores xN whole and rewrites
// the word with its low bytes extended (through x22), then ret. The mover
// is entered with bl, which leaves sp where the caller's frame has it:
// its outgoing arguments start at sp+8 (the word at sp holds the caller's
// saved link register).
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

// intReg is Go's integer argument register reg (Rreg), or the scratch
// register.
func intReg(reg int32) Reg {
	if reg == stub.Scratch {
		return moverScratch
	}
	return Reg(reg)
}

// moverBase is the register a mover reads l from: the frame, or the C caller's
// stack arguments.
func moverBase(l stub.Loc) Reg {
	if l.Kind == stub.Stack {
		return moverStack
	}
	return moverFrame
}

func (a moverAsm) LoadStackArgs(off int32) { a.b.Ldr(moverStack, moverFrame, int(off)) }

func (a moverAsm) LoadInt(reg int32, src stub.Loc, n uint8, signed bool) {
	r, from, off := intReg(reg), moverBase(src), int(src.N)
	switch {
	case n == 8:
		a.b.Ldr(r, from, off)
	case n == 4 && signed:
		a.b.Ldrsw(r, from, off)
	case n == 4:
		a.b.LdrW(r, from, off)
	case n == 2 && signed:
		a.b.Ldrsh(r, from, off)
	case n == 2:
		a.b.Ldrh(r, from, off)
	case signed:
		a.b.Ldrsb(r, from, off)
	default:
		a.b.Ldrb(r, from, off)
	}
}

func (a moverAsm) LoadFloat(reg int32, src stub.Loc, n uint8) {
	if n == 4 {
		a.b.LdrS(VReg(reg), moverBase(src), int(src.N))
	} else {
		a.b.LdrD(VReg(reg), moverBase(src), int(src.N))
	}
}

// StoreOut stores into the outgoing words, at sp+8: the mover is entered
// with bl, and the word at sp holds the caller's saved link register.
func (a moverAsm) StoreOut(off int32, n uint8) { a.storeInt(SP, 8+int(off), moverScratch, n) }

func (a moverAsm) StoreInt(off, reg int32, n uint8) {
	a.storeInt(moverFrame, int(off), intReg(reg), n)
}

// storeInt stores the low n bytes of r at [at, #off].
func (a moverAsm) storeInt(at Reg, off int, r Reg, n uint8) {
	switch n {
	case 8:
		a.b.Str(r, at, off)
	case 4:
		a.b.StrW(r, at, off)
	case 2:
		a.b.Strh(r, at, off)
	default:
		a.b.Strb(r, at, off)
	}
}

func (a moverAsm) StoreFloat(off, reg int32, n uint8) {
	if n == 4 {
		a.b.StrS(VReg(reg), moverFrame, int(off))
	} else {
		a.b.StrD(VReg(reg), moverFrame, int(off))
	}
}
