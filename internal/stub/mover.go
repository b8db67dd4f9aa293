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
