package stub

import "github.com/seed5ca82032/ffi/internal/errfmt"

// A Mover is the other direction's counterpart of a Call: machine code,
// made once per callback shape, that copies a callback's arguments from
// the frame the callback entry built on the C stack (and from the C
// caller's stack arguments) into the argument registers and the outgoing
// stack words of Go's register ABI (ABIInternal), just before the Go func
// is called; or, after it returns, copies its result registers into the
// frame. It replaces, for shapes whose moves are all plain, the Go loops
// that fill a register array and the assembly that loads every register
// from it.
//
// A mover is a leaf routine with its own convention, called from the
// assembly of package upcall (callMoved) between the Go func's argument
// set-up and its call: the frame's address is in a fixed register (R12 on
// amd64, R20 on arm64); it may use two more (R13 and RDX; R21 and R22),
// and the argument or result registers it writes. It calls nothing and
// has no Go function metadata, which is safe only because of that: no
// stack scan, growth or preemption can happen while it runs (a profiling
// signal's traceback tolerates an unknown PC).
//
// Argument moves go From a frame word (Base) or a C stack argument word
// (Stack: byte N from the caller's first stack argument, whose address is
// the frame word at StackArgs) To a Go argument register (GPR, FPR: the
// N-th of its class in ABIInternal's order) or a word of the Go call's
// outgoing argument area (Out). Result moves go From a Go result register
// (GPR, FPR) To a frame word (Base).
type Mover struct {
	StackArgs int32
	Moves     []GoMove
}

// GoMove is one move of a Mover.
//
// An argument move loads Size bytes (1, 2, 4 or 8) and extends them to 64
// bits, with their sign if Signed, into an integer register or, of that,
// the low Store bytes (1, 2, 4 or 8) into an Out word; into a
// floating-point register it loads 4 bytes (a C float) or 8, unextended.
//
// A result move stores the low Size bytes of a result register into the
// frame; with Extend (integer registers, Size 1, 2 or 4) it stores them
// extended to a whole word instead, with their sign if Signed (a C char,
// short or _Bool result, which C callers read widened to 32 bits).
type GoMove struct {
	From, To Loc
	Size     uint8
	Signed   bool
	Store    uint8
	Extend   bool
}

// Out is the Go call's outgoing argument word at byte N (a multiple of 8)
// above the stack pointer of the caller of the Go func (a Mover's
// destination).
const Out LocKind = SRet + 1

// Check validates m for a Go register ABI of r.ArgGPR integer and r.ArgFPR
// floating-point registers (argument and result registers are the same
// ones in ABIInternal), with an outgoing area of outWords words: a bad
// table is an error naming the move, not bad code.
func (m *Mover) Check(r Regs, outWords int) error {
	if m.StackArgs < 0 || m.StackArgs%8 != 0 {
		return errfmt.Errorf("stub: mover: stack argument pointer at frame offset %d", m.StackArgs)
	}
	for i, mv := range m.Moves {
		if err := mv.check(r, outWords); err != nil {
			return errfmt.Errorf("stub: mover move %d (%v to %v): %w", i, mv.From, mv.To, err)
		}
	}
	return nil
}

func (mv GoMove) check(r Regs, outWords int) error {
	reg := func(l Loc) bool {
		switch l.Kind {
		case GPR:
			return l.N >= 0 && l.N < r.ArgGPR
		case FPR:
			return l.N >= 0 && l.N < r.ArgFPR
		}
		return false
	}
	size := func(n uint8) bool { return n == 1 || n == 2 || n == 4 || n == 8 }
	aligned := func(l Loc, n uint8) bool { return l.N >= 0 && l.N%int32(n) == 0 && l.N < 1<<16 }
	switch {
	case !size(mv.Size):
		return errfmt.Errorf("size %d, not 1, 2, 4 or 8", mv.Size)
	case mv.From.Kind == Base || mv.From.Kind == Stack:
		if !aligned(mv.From, mv.Size) {
			return errfmt.Errorf("source offset %d for %d bytes", mv.From.N, mv.Size)
		}
		if mv.Extend {
			return errfmt.Errorf("an argument move with Extend")
		}
		if mv.To.Kind == Out {
			if !size(mv.Store) || !aligned(mv.To, mv.Store) || mv.To.N+int32(mv.Store) > int32(8*outWords) {
				return errfmt.Errorf("outgoing store of %d bytes at byte %d; the area has %d words", mv.Store, mv.To.N, outWords)
			}
			return nil
		}
		if !reg(mv.To) {
			return errfmt.Errorf("not a Go argument register or outgoing word")
		}
		if mv.To.Kind == FPR && (mv.Size < 4 || mv.Signed) {
			return errfmt.Errorf("a floating-point register takes 4 or 8 bytes, unextended")
		}
	case reg(mv.From):
		if mv.To.Kind != Base || !aligned(mv.To, mv.Size) {
			return errfmt.Errorf("a result move must store into a frame word")
		}
		if mv.Extend && (mv.From.Kind == FPR || mv.Size == 8) || mv.From.Kind == FPR && mv.Size < 4 {
			return errfmt.Errorf("a result move extends only 1, 2 or 4 bytes of an integer register and stores 4 or 8 of a floating-point one")
		}
		if mv.Extend && mv.To.N%8 != 0 {
			return errfmt.Errorf("an extended result must fill a whole frame word")
		}
	default:
		return errfmt.Errorf("not a frame or stack word, nor a Go result register")
	}
	return nil
}

// Scratch names, in the register arguments of a MoverAsm, the mover's
// scratch register (RDX on amd64, R22 on arm64) instead of a Go argument
// or result register.
const Scratch = -1

// A MoverAsm emits one architecture's instructions for Mover.Emit. An
// integer or floating-point register is the N-th of its class in Go's
// register ABI, or Scratch; a source Loc is a frame word (Base, through
// the frame register) or a C stack argument word (Stack, through the
// register LoadStackArgs loaded).
type MoverAsm interface {
	// LoadStackArgs loads the address of the C caller's first stack
	// argument from the frame word at byte off.
	LoadStackArgs(off int32)
	// LoadInt loads the n bytes (1, 2, 4 or 8) at src into integer
	// register reg, extended to 64 bits, with their sign if signed.
	LoadInt(reg int32, src Loc, n uint8, signed bool)
	// LoadFloat loads the n bytes (4 or 8) at src into floating-point
	// register reg.
	LoadFloat(reg int32, src Loc, n uint8)
	// StoreOut stores the low n bytes of the scratch register into the
	// outgoing argument word at byte off (an Out Loc's N).
	StoreOut(off int32, n uint8)
	// StoreInt stores the low n bytes of integer register reg into the
	// frame at byte off.
	StoreInt(off, reg int32, n uint8)
	// StoreFloat stores the n bytes (4 or 8) of floating-point register
	// reg into the frame at byte off.
	StoreFloat(off, reg int32, n uint8)
}

// Emit walks m's moves, checked by Check, in the order every
// architecture's mover runs them, and emits each through a (the caller
// appends the return):
//
//   - the C stack argument pointer, if a move reads the C stack;
//   - the Out words, each loaded into the scratch register and stored,
//     first, so that the scratch register is free again before the
//     argument registers are loaded (on amd64 it is RDX, which is no Go
//     argument register but is the closure context callMoved loads after
//     the mover returns);
//   - the register loads of an argument mover, or the stores of a result
//     mover; an extended result is stored whole, then its word is loaded
//     again, extended, into the scratch register and stored back.
func (m *Mover) Emit(a MoverAsm) {
	for _, mv := range m.Moves {
		if mv.From.Kind == Stack {
			a.LoadStackArgs(m.StackArgs)
			break
		}
	}
	for _, mv := range m.Moves {
		if mv.To.Kind == Out {
			a.LoadInt(Scratch, mv.From, mv.Size, mv.Signed)
			a.StoreOut(mv.To.N, mv.Store)
		}
	}
	for _, mv := range m.Moves {
		switch {
		case mv.To.Kind == GPR:
			a.LoadInt(mv.To.N, mv.From, mv.Size, mv.Signed)
		case mv.To.Kind == FPR:
			a.LoadFloat(mv.To.N, mv.From, mv.Size)
		case mv.From.Kind == GPR && mv.Extend:
			a.StoreInt(mv.To.N, mv.From.N, 8)
			a.LoadInt(Scratch, Loc{Kind: Base, N: mv.To.N}, mv.Size, mv.Signed)
			a.StoreInt(mv.To.N, Scratch, 8)
		case mv.From.Kind == GPR:
			a.StoreInt(mv.To.N, mv.From.N, mv.Size)
		case mv.From.Kind == FPR:
			a.StoreFloat(mv.To.N, mv.From.N, mv.Size)
		}
	}
}
