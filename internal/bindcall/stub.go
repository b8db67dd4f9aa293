package bindcall

import (
	"slices"
	"sync/atomic"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/leaf"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// Compiled moves.
//
// Where the platform has a stub encoder (stub_sysv.go, stub_win64.go,
// stub_aapcs64.go), Install turns a register-path plan into machine code
// (package stub) that does the
// argument moves, the call and the result moves on the system stack, in
// place of the trampoline's move loop and downcall's generic stub, which
// loads every argument register whatever the function takes. The ops that
// need Go (strings, slices, callbacks, aggregates by reference, memory
// results) still run in Go around the stub (callExtra): the stub loads the
// Frame words they wrote, and stores the result registers into the Frame
// for them. The stub reads the same Go words the moves would (the register
// block and the caller's arguments, at fixed offsets from the Frame it is
// handed), so the trampoline, regCall and what they keep visible to the
// garbage collector are unchanged.
//
// Stubs depend only on the shape of the call (the moves, the C stack
// words, leaf or not), not on the function: one is made per distinct
// shape (mcode.Place places each distinct piece of code once), shared,
// and kept for the life of the process. A leaf stub that
// records its leaf call itself (fastPlan.leafStub) also holds the bound
// function's name, so there is one per shape and name.

// stubsOff: Install makes no stubs (SetCompiledStubs).
var stubsOff atomic.Bool

// SetCompiledStubs turns the compiled stubs of the bindings Install makes
// from now on off (false) or back on (true, the default), for tests of
// the paths without them: the trampoline then runs the move tables and
// downcall's generic stub makes the call, as where there is no encoder
// or no executable memory.
func SetCompiledStubs(on bool) { stubsOff.Store(!on) }

// makeStub returns the compiled stub for fp with the argument plan ap
// (fp.st.args, or that of one sequence of variadic arguments), or 0 where
// there is none (no encoder here, a move the encoder does not take, no
// executable memory, or SetCompiledStubs(false): then the trampoline runs
// the moves itself).
func makeStub(fp *fastPlan, ap *argPlan) uintptr {
	if !stubSupported || stubsOff.Load() {
		return 0
	}
	var c stub.Call
	if !stubCall(fp, ap, &c) {
		return 0
	}
	code, err := encodeStub(&c)
	if err != nil {
		return 0
	}
	pc, err := mcode.Place(code)
	if err != nil {
		return 0
	}
	return pc
}

// stubCall describes fp's moves with the argument plan ap as the stub c,
// or reports false when one of them is not a Go word to a C argument or a
// C result to a Go word.
func stubCall(fp *fastPlan, ap *argPlan, c *stub.Call) bool {
	*c = stub.Call{
		FrameOff: int32(fastFrame),
		FnOff:    int32(frameFn),
		NStack:   ap.nstack,
		Args:     make([]stub.Move, 0, len(fp.argMoves)+len(fp.extra)+1),
		Results:  make([]stub.Move, 0, len(fp.resMoves)+len(fp.extraRes)+4),
	}
	if fp.leafPC == 0 {
		c.TopOfStack = downcall.TopOfStackPC()
	} else if fp.recordsLeaf() {
		// The name lives for the life of the process (leaf.Name), so the
		// stub may hold its address; one stub per shape and name.
		c.Enter, c.Name = leaf.EnterPC(), uintptr(unsafe.Pointer(fp.name))
	}
	for _, m := range fp.argMoves {
		to, ok := stubArgDst(m.to(), uintptr(ap.nstack))
		if !ok {
			return false
		}
		c.Args = append(c.Args, stubMove(m, stub.Loc{Kind: stub.Base, N: int32(m.from())}, to))
	}
	// A slice's data pointer, NULL when its capacity is 0 (argOp's
	// opSlice, compiled).
	for i := range fp.stubOps {
		o := &fp.stubOps[i]
		data, ok1 := fp.fastSrc(o.src)
		capw, ok2 := fp.fastSrc(o.aux)
		_, to, ok3 := stubSlot(o.dst, o.di)
		if !ok1 || !ok2 || !ok3 || writesLoc(c.Args, to) {
			return false
		}
		c.Args = append(c.Args, stub.Move{From: stub.Loc{Kind: stub.Base, N: int32(data)}, To: to, Guarded: true, Guard: int32(capw)})
	}
	// The words the Go-side ops write into the Frame (callExtra runs
	// them before the stub) go into their registers and stack words as
	// they are.
	for i := range fp.extra {
		if o := &fp.extra[i]; o.dst != dstScratch && !loadSlot(c, o) {
			return false
		}
	}
	if ap.sret && !fp.stubSRet && !loadSlot(c, &ap.sretDst) {
		return false
	}
	// The extra arguments of a variadic call, which callVariadic places
	// into the Frame like the Go-side ops.
	for j := range ap.extra {
		if !loadSlot(c, &ap.extra[j]) || (ap.extraDup[j].dst != 0 && !loadSlot(c, &ap.extraDup[j])) {
			return false
		}
	}
	if fp.varargs {
		c.Variadic, c.VecRegs = true, uint8(ap.al)
	}
	for _, m := range fp.resMoves {
		from, ok := stubResSrc(m.from())
		if !ok {
			return false
		}
		c.Results = append(c.Results, stubMove(m, from, stub.Loc{Kind: stub.Base, N: int32(m.to())}))
	}
	// A memory result that goes to Go result registers only is the
	// stub's: on its own stack, read by result moves.
	if fp.stubSRet {
		st := fp.st
		c.SRetSize = int32(st.basePlan.Func.Result.Size)
		_, c.SRetDst, _ = stubSlot(st.args.sretDst.dst, st.args.sretDst.di)
		if writesLoc(c.Args, c.SRetDst) {
			return false
		}
		for _, o := range fp.extraRes {
			to, _ := resDst(o.dst, o.di)
			c.Results = append(c.Results, stub.Move{
				From:   stub.Loc{Kind: stub.SRet, N: o.ci - int32(st.args.sretOff)},
				To:     stub.Loc{Kind: stub.Base, N: int32(to)},
				RShift: o.shift, Ext: o.ext, Signed: o.signed,
			})
		}
		return true
	}
	// The Go-side result ops (callExtra runs them after the stub) read
	// the result registers they need from the Frame.
	for _, o := range fp.extraRes {
		var from stub.Loc
		var to uintptr
		switch o.csrc {
		case cGPR:
			from, to = stub.Loc{Kind: stub.GPR, N: o.ci}, frameRetGPR+8*uintptr(o.ci)
		case cFPR:
			from, to = stub.Loc{Kind: stub.FPR, N: o.ci}, frameRetFPR+8*uintptr(o.ci)
		default:
			continue
		}
		m := stub.Move{From: from, To: stub.Loc{Kind: stub.Base, N: int32(to)}}
		if !slices.Contains(c.Results, m) {
			c.Results = append(c.Results, m)
		}
	}
	return true
}

// loadSlot appends the move that loads the Frame word a Go-side op o
// writes into the C argument it stands for; false if it cannot.
func loadSlot(c *stub.Call, o *op) bool {
	from, to, ok := stubSlot(o.dst, o.di)
	if !ok || writesLoc(c.Args, to) {
		return false
	}
	c.Args = append(c.Args, stub.Move{From: stub.Loc{Kind: stub.Base, N: int32(from)}, To: to})
	return true
}

// stubSlot is the Frame word (its offset from the trampoline's SP) that
// an op with destination dst and index di writes, and the C argument it
// stands for.
func stubSlot(dst uint8, di int32) (uintptr, stub.Loc, bool) {
	switch dst {
	case dstGPR:
		return frameGPR + 8*uintptr(di), stub.Loc{Kind: stub.GPR, N: di}, true
	case dstFPR:
		return frameFPR + 8*uintptr(di), stub.Loc{Kind: stub.FPR, N: di}, true
	case dstStack:
		return uintptr(fastStk) + uintptr(di&^7), stub.Loc{Kind: stub.Stack, N: di &^ 7}, true
	}
	return 0, stub.Loc{}, false
}

// writesLoc reports whether a move in ms writes l.
func writesLoc(ms []stub.Move, l stub.Loc) bool {
	for _, m := range ms {
		if m.To == l {
			return true
		}
	}
	return false
}

func stubMove(m move, from, to stub.Loc) stub.Move {
	return stub.Move{From: from, To: to, RShift: m.rshift(), Ext: m.ext(), LShift: m.lshift(), Signed: m.signed(), Or: m.or()}
}

// stubArgDst maps a move's destination in the Frame (or the C stack words
// after it) to the C register or stack word it stands for.
func stubArgDst(to, nstack uintptr) (stub.Loc, bool) {
	switch {
	case to >= frameGPR && to < frameGPR+unsafe.Sizeof(downcall.Frame{}.GPR):
		return stub.Loc{Kind: stub.GPR, N: int32((to - frameGPR) / 8)}, true
	case to >= frameFPR && to < frameFPR+unsafe.Sizeof(downcall.Frame{}.FPR):
		return stub.Loc{Kind: stub.FPR, N: int32((to - frameFPR) / 8)}, true
	case to >= uintptr(fastStk) && to < uintptr(fastStk)+8*nstack:
		return stub.Loc{Kind: stub.Stack, N: int32(to - uintptr(fastStk))}, true
	}
	return stub.Loc{}, false
}

// stubResSrc maps a result move's source in the Frame to the C result
// register it stands for.
func stubResSrc(from uintptr) (stub.Loc, bool) {
	switch {
	case from >= frameRetGPR && from < frameRetGPR+unsafe.Sizeof(downcall.Frame{}.RetGPR):
		return stub.Loc{Kind: stub.GPR, N: int32((from - frameRetGPR) / 8)}, true
	case from >= frameRetFPR && from < frameRetFPR+unsafe.Sizeof(downcall.Frame{}.RetFPR):
		return stub.Loc{Kind: stub.FPR, N: int32((from - frameRetFPR) / 8)}, true
	}
	return stub.Loc{}, false
}

// stubSRetOnly reports whether the only Go-side work of fp is a memory
// result whose words all go to Go result registers: then a stub can do it
// all (the buffer on its own stack), with no scratch buffer and no Go ops.
// Not for a variadic binding: callVariadic places the extra arguments in
// Go on every call, so it always has Go-side work.
func stubSRetOnly(fp *fastPlan) bool {
	if !fp.st.args.sret || fp.varargs || len(fp.extra) > 0 || len(fp.extraRes) == 0 {
		return false
	}
	for _, o := range fp.extraRes {
		if _, ok := resDst(o.dst, o.di); !ok || o.kind != ropWord || o.csrc != cSret {
			return false
		}
	}
	return true
}
