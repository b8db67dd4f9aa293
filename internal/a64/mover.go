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
	stack := false
	for _, mv := range m.Moves {
		stack = stack || mv.From.Kind == stub.Stack
	}
	if stack {
		b.Ldr(moverStack, moverFrame, int(m.StackArgs))
	}
	for _, mv := range m.Moves {
		if mv.To.Kind == stub.Out {
			moverLoadInt(&b, moverScratch, moverBase(mv.From), int(mv.From.N), mv.Size, mv.Signed)
			moverStoreInt(&b, SP, 8+int(mv.To.N), moverScratch, mv.Store)
		}
	}
	for _, mv := range m.Moves {
		base, off := moverBase(mv.From), int(mv.From.N)
		switch {
		case mv.To.Kind == stub.GPR:
			moverLoadInt(&b, Reg(mv.To.N), base, off, mv.Size, mv.Signed)
		case mv.To.Kind == stub.FPR && mv.Size == 4:
			b.LdrS(VReg(mv.To.N), base, off)
		case mv.To.Kind == stub.FPR:
			b.LdrD(VReg(mv.To.N), base, off)
		case mv.From.Kind == stub.GPR && mv.Extend:
			b.Str(Reg(mv.From.N), moverFrame, int(mv.To.N))
			moverLoadInt(&b, moverScratch, moverFrame, int(mv.To.N), mv.Size, mv.Signed)
			b.Str(moverScratch, moverFrame, int(mv.To.N))
		case mv.From.Kind == stub.GPR:
			moverStoreInt(&b, moverFrame, int(mv.To.N), Reg(mv.From.N), mv.Size)
		case mv.From.Kind == stub.FPR && mv.Size == 4:
			b.StrS(VReg(mv.From.N), moverFrame, int(mv.To.N))
		case mv.From.Kind == stub.FPR:
			b.StrD(VReg(mv.From.N), moverFrame, int(mv.To.N))
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

// moverLoadInt loads the n bytes at [base, #off] into r, extended to 64
// bits (with their sign if signed).
func moverLoadInt(b *Builder, r, base Reg, off int, n uint8, signed bool) {
	switch {
	case n == 8:
		b.Ldr(r, base, off)
	case n == 4 && signed:
		b.Ldrsw(r, base, off)
	case n == 4:
		b.LdrW(r, base, off)
	case n == 2 && signed:
		b.Ldrsh(r, base, off)
	case n == 2:
		b.Ldrh(r, base, off)
	case signed:
		b.Ldrsb(r, base, off)
	default:
		b.Ldrb(r, base, off)
	}
}

// moverStoreInt stores the low n bytes of r at [base, #off].
func moverStoreInt(b *Builder, base Reg, off int, r Reg, n uint8) {
	switch n {
	case 8:
		b.Str(r, base, off)
	case 4:
		b.StrW(r, base, off)
	case 2:
		b.Strh(r, base, off)
	default:
		b.Strb(r, base, off)
	}
}
