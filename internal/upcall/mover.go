//go:build amd64 || arm64

package upcall

import (
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/a64"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/stub"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// Compiled movers (stub.Mover): for a general shape whose moves are all
// plain loads (whole words, and 32-bit integers and floats) and whose
// results are whole words in registers, two pieces of machine code made
// once per shape do what fill, callGo's register loads and the result
// stores do at every call: the argument mover loads Go's argument
// registers and outgoing stack words straight from the frame and the C
// caller's stack, and the result mover stores Go's result registers
// straight into the frame. callMoved (callmoved_*.s) calls the argument
// mover, the Go func and the result mover, so a call costs about what the
// cgo //export path costs per argument: one load and one store or none.
//
// The movers are called from callMoved, an assembly function with Go
// metadata, and call nothing themselves: while one runs, nothing can scan
// or move the goroutine's stack, so it needs no metadata of its own. The
// pointers among the arguments are in registers or in callMoved's outgoing
// area from the mover's first store to the Go func's entry, with no safe
// point in between; from then on the Go func's own argument maps describe
// them, as for any Go call.

// callMoved calls the Go func fn with the argument mover in and the result
// mover out, both reading or writing the frame f (callmoved_*.s).
//
//go:noescape
func callMoved(fn unsafe.Pointer, f *cframe, in, out uintptr)

// invokeMoved is the invoker of a shape with movers (shape.moverIn/Out).
func invokeMoved(b *binding, f *cframe) {
	sh := b.shape
	callMoved(b.fnv, f, sh.moverIn, sh.moverOut)
}

// moverArch is the mover encoder of this architecture and the outgoing
// words callMoved's frame holds.
var moverArch = func() (enc func([]byte, *stub.Mover) ([]byte, error), outWords int) {
	if runtime.GOARCH == "arm64" {
		return a64.AppendMover, a64.MoverOutWords
	}
	return x86.AppendMover, x86.MoverOutWords
}

// moverTables returns sh's argument and result moves as movers, or ok
// false if some move is not a plain load or store (an extension of a byte
// or half-word, a bool, a read through a pointer, a byte copy, a string, a
// Go stack word narrower than 8 bytes, a result narrower than 32 bits, a
// stack-assigned or memory result), or if the outgoing words do not fit
// callMoved's frame.
func (sh *shape) moverTables(outWords int) (in, out stub.Mover, ok bool) {
	if int(sh.blockWords) > outWords {
		return in, out, false
	}
	in.StackArgs = int32(unsafe.Offsetof(cframe{}.stackArgs))
	for _, m := range sh.moves {
		mv := stub.GoMove{From: stub.Loc{Kind: stub.Base, N: int32(m.src)}, Size: m.n, Signed: m.signed && m.n == 4}
		switch {
		case m.from == fromStack:
			mv.From.Kind = stub.Stack
		case m.from != fromFrame:
			return in, out, false
		}
		if m.n != 8 && m.n != 4 || m.sh != 64-8*m.n {
			return in, out, false
		}
		switch {
		case m.op == mvReg && m.dst < goInts:
			mv.To = stub.Loc{Kind: stub.GPR, N: int32(m.dst)}
		case m.op == mvReg:
			mv.To, mv.Signed = stub.Loc{Kind: stub.FPR, N: int32(m.dst - goInts)}, false
		case m.op == mvWord && m.gsize == 8:
			mv.To = stub.Loc{Kind: stub.Out, N: int32(m.dst)}
		default:
			return in, out, false
		}
		in.Moves = append(in.Moves, mv)
	}
	if sh.sret {
		return in, out, false
	}
	for _, m := range sh.rmoves {
		// A 32-bit scalar result is stored whole: C reads only the low
		// 32 bits of its result register (w0, eax, s0, the low lane of
		// xmm0), whatever the rest holds, on all three ABIs.
		if !m.wholeWord() && (m.op != rvScalar || m.isBool || m.n != 4) {
			return in, out, false
		}
		from := stub.Loc{Kind: stub.GPR, N: int32(m.src)}
		if m.float {
			from.Kind = stub.FPR
		}
		out.Moves = append(out.Moves, stub.GoMove{From: from, To: stub.Loc{Kind: stub.Base, N: int32(m.dst)}, Size: 8})
	}
	return in, out, true
}

// compileMovers makes and places sh's movers and sets its invoker to
// invokeMoved, or leaves sh as it is if its moves are not all plain or the
// code cannot be made.
func (sh *shape) compileMovers() {
	enc, outWords := moverArch()
	in, out, ok := sh.moverTables(outWords)
	if !ok {
		return
	}
	inCode, err := enc(nil, &in)
	if err != nil {
		return
	}
	outCode, err := enc(inCode, &out)
	if err != nil {
		return
	}
	addr, err := mcode.Place(outCode)
	if err != nil {
		return
	}
	sh.moverIn, sh.moverOut = addr, addr+uintptr(len(inCode))
	sh.inv = invokeMoved
}
