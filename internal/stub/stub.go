// Package stub describes a bound-call stub: machine code, made once per
// call shape, that places a bound function's Go argument words into the C
// argument registers and stack words, calls the function and places its C
// result registers into the Go result words, all on the system stack. It
// replaces a table of word moves interpreted at every call with the same
// moves compiled.
//
// This package holds only the description (Call) and its validation; the
// encoders are per architecture (x86.AppendCallSysV, a64.AppendCallAAPCS64).
// Everything here is plain Go, tested on every host.
//
// A stub is a C-ABI function of one argument, the address of a frame on
// the goroutine stack; every Go word it reads or writes is at a fixed
// offset from that frame's base (Call.FrameOff). For a call that may call
// back into Go (not a leaf call), the goroutine stack may move during the
// C call, so, as cgo's wrappers do, the stub asks _cgo_topofstack before
// and after the call and moves its base by the difference before writing
// the results.
package stub

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// LocKind says where a word of a move lives.
type LocKind uint8

const (
	// Base is the 8-byte word at the base plus N (a Go word).
	Base LocKind = iota
	// GPR is integer register N: an argument register (the N-th of the
	// ABI's) as a move's destination, a result register (the N-th) as a
	// result move's source.
	GPR
	// FPR is the low 64 bits of floating-point register N, likewise.
	FPR
	// Stack is the C stack argument word at byte N above the return
	// address of the called function (a multiple of 8).
	Stack
	// SRet is the word at byte N of the memory result (see Call.SRet).
	SRet
)

// Loc is where a word lives.
type Loc struct {
	Kind LocKind
	N    int32
}

// String names l as the errors do: "base+16", "gpr 2", "fpr 0",
// "stack+8", "sret+8" or "out+8".
func (l Loc) String() string {
	switch l.Kind {
	case Base:
		return fmt.Sprintf("base%+d", l.N)
	case GPR:
		return fmt.Sprintf("gpr %d", l.N)
	case FPR:
		return fmt.Sprintf("fpr %d", l.N)
	case Stack:
		return fmt.Sprintf("stack+%d", l.N)
	case SRet:
		return fmt.Sprintf("sret+%d", l.N)
	case Out:
		return fmt.Sprintf("out+%d", l.N)
	}
	return fmt.Sprintf("loc(%d, %d)", l.Kind, l.N)
}

// ResultSlot is the index of result register l among the integer result
// registers then the floating-point ones (rax rdx xmm0 xmm1; x0 x1 d0..d3),
// where an encoder spills them after the call, or -1 for a word of the
// memory result.
func (l Loc) ResultSlot() int {
	switch l.Kind {
	case GPR:
		return int(l.N)
	case FPR:
		return 2 + int(l.N)
	}
	return -1
}

// Move is one word move of a stub:
//
//	w := From >> RShift
//	w = w << Ext >> Ext (arithmetic if Signed)
//	w <<= LShift
//	To = w, or To |= w if Or
//
// A guarded move puts 0 instead when the Go word at base+Guard is 0: a
// slice's data pointer goes to C as NULL when the slice's capacity is 0.
// Only a whole-word argument move into an integer register or a stack
// word may be guarded.
type Move struct {
	From, To            Loc
	RShift, Ext, LShift uint8
	Signed, Or          bool
	Guarded             bool
	Guard               int32
}

// Plain reports whether m moves a whole word or its low 32 bits (extended)
// unshifted, which encoders do with one load.
func (m Move) Plain() bool {
	return m.RShift == 0 && m.LShift == 0 && !m.Or && (m.Ext == 0 || m.Ext == 32)
}

// Call describes one stub.
type Call struct {
	// FrameOff is subtracted from the stub's argument to get the base.
	FrameOff int32
	// FnOff is the offset from the base of the word holding the C
	// function's address.
	FnOff int32
	// NStack is the number of C stack argument words.
	NStack int
	// Args move Go words (Base) into C argument registers and stack words;
	// Results move C result registers (GPR, FPR) or words of the memory
	// result (SRet) into Go words (Base).
	Args, Results []Move
	// SRetSize, if not 0, is the size in bytes of a result C returns in
	// memory: the stub reserves that much on its own stack (and 8 bytes
	// more, so that a result move may read a whole word from any byte of
	// it) and passes its address at SRetDst (the ABI's hidden result
	// pointer: a GPR or a Stack word).
	SRetSize int32
	SRetDst  Loc
	// TopOfStack is the address of _cgo_topofstack, or 0 for a leaf call,
	// during which the goroutine stack cannot move.
	TopOfStack uintptr
	// Variadic is set for a call of a variadic C function. System V
	// AMD64 then passes in al an upper bound of the vector registers the
	// arguments use, which the System V encoder loads with VecRegs (0 to
	// 8); the other ABIs need nothing at the call (Microsoft x64 repeats
	// a variadic double in its integer register, and arm64 platforms
	// place variadic arguments by their own rules: both are moves).
	Variadic bool
	VecRegs  uint8
	// Enter, if not 0, makes the stub record a leaf call itself (so that
	// runtime·asmcgocall can run it directly): before the moves it calls
	// Enter (leaf.EnterPC) with Name (the bound function's *string) in
	// the first integer argument register, keeps the address Enter
	// returns in a callee-saved register and stores 0 there before it
	// returns. Only for a leaf call (TopOfStack 0).
	Enter, Name uintptr
}

// Regs are the numbers of argument and result registers of an ABI, for
// Check.
type Regs struct {
	ArgGPR, ArgFPR, ResGPR, ResFPR int32
}

// Check validates c for an ABI with the registers r, so that a bad table
// is an error naming the move, not bad code.
func (c *Call) Check(r Regs) error {
	if c.NStack < 0 || c.NStack > 1<<12 {
		return errfmt.Errorf("stub: %d stack words", c.NStack)
	}
	if c.Variadic && int32(c.VecRegs) > r.ArgFPR {
		return errfmt.Errorf("stub: variadic call with %d vector registers; the ABI has %d", c.VecRegs, r.ArgFPR)
	}
	if c.SRetSize < 0 || c.SRetSize > 1<<16 {
		return errfmt.Errorf("stub: memory result of %d bytes", c.SRetSize)
	}
	if c.Enter != 0 && (c.TopOfStack != 0 || c.Name == 0) {
		return errfmt.Errorf("stub: a leaf record (enter %#x, name %#x) in a call that is not a leaf call, or without a name", c.Enter, c.Name)
	}
	if c.SRetSize > 0 && !c.argDst(c.SRetDst, r) {
		return errfmt.Errorf("stub: memory result's address goes to %v, not a C argument", c.SRetDst)
	}
	for i, m := range c.Args {
		if err := m.check(); err != nil {
			return errfmt.Errorf("stub: argument move %d: %w", i, err)
		}
		if m.From.Kind != Base || !c.argDst(m.To, r) {
			return errfmt.Errorf("stub: argument move %d: from %v to %v is not a Go word to a C argument", i, m.From, m.To)
		}
		if m.Guarded && (m.To.Kind == FPR || m.RShift != 0 || m.Ext != 0 || m.LShift != 0 || m.Or) {
			return errfmt.Errorf("stub: argument move %d: a guarded move must be a whole word to a gpr or stack word, not to %v", i, m.To)
		}
	}
	for i, m := range c.Results {
		if err := m.check(); err != nil {
			return errfmt.Errorf("stub: result move %d: %w", i, err)
		}
		if m.Guarded {
			return errfmt.Errorf("stub: result move %d is guarded", i)
		}
		ok := m.To.Kind == Base
		switch m.From.Kind {
		case GPR:
			ok = ok && m.From.N >= 0 && m.From.N < r.ResGPR
		case FPR:
			ok = ok && m.From.N >= 0 && m.From.N < r.ResFPR
		case SRet:
			ok = ok && m.From.N >= 0 && m.From.N < c.SRetSize
		default:
			ok = false
		}
		if !ok {
			return errfmt.Errorf("stub: result move %d: from %v to %v is not a C result to a Go word", i, m.From, m.To)
		}
	}
	return nil
}

// argDst reports whether l is a C argument register or stack word.
func (c *Call) argDst(l Loc, r Regs) bool {
	switch l.Kind {
	case GPR:
		return l.N >= 0 && l.N < r.ArgGPR
	case FPR:
		return l.N >= 0 && l.N < r.ArgFPR
	case Stack:
		return l.N >= 0 && l.N%8 == 0 && l.N < int32(8*c.NStack)
	}
	return false
}

func (m Move) check() error {
	if m.RShift > 63 || m.Ext > 63 || m.LShift > 63 {
		return errfmt.Errorf("shift out of range (rshift %d, ext %d, lshift %d)", m.RShift, m.Ext, m.LShift)
	}
	return nil
}
