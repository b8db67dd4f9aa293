package bindcall

import (
	"sync"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// Compiled moves.
//
// Where the platform has a stub encoder (stub_sysv.go), Install turns a
// register-path plan without Go-side ops into machine code (package stub)
// that does the argument moves, the call and the result moves on the
// system stack, in place of the trampoline's move loop and downcall's
// generic stub, which loads every argument register whatever the function
// takes. The stub reads the same Go words the moves would (the register
// block and the caller's arguments, at fixed offsets from the Frame it is
// handed), so the trampoline, regCall and what they keep visible to the
// garbage collector are unchanged.
//
// Stubs depend only on the shape of the call (the moves, the C stack
// words, leaf or not), not on the function: one is made per distinct
// shape, shared, and kept for the life of the process.

var stubs struct {
	sync.Mutex
	byCode map[string]uintptr
}

// makeStub returns the compiled stub for fp, or 0 where there is none
// (no encoder here, a move the encoder does not take, or no executable
// memory: then the trampoline runs the moves itself).
func makeStub(fp *fastPlan) uintptr {
	if !stubSupported || fp.goOps {
		return 0
	}
	c, ok := stubCall(fp)
	if !ok {
		return 0
	}
	code, err := encodeStub(c)
	if err != nil {
		return 0
	}
	stubs.Lock()
	defer stubs.Unlock()
	if pc, ok := stubs.byCode[string(code)]; ok {
		return pc
	}
	pc, err := mcode.Place(code)
	if err != nil {
		return 0
	}
	if stubs.byCode == nil {
		stubs.byCode = make(map[string]uintptr)
	}
	stubs.byCode[string(code)] = pc
	return pc
}

// stubCall describes fp's moves as a stub, or reports false when one of
// them is not a Go word to a C argument or a C result to a Go word.
func stubCall(fp *fastPlan) (*stub.Call, bool) {
	c := &stub.Call{
		FrameOff: int32(fastFrame),
		FnOff:    int32(frameFn),
		NStack:   int(fp.nstack),
	}
	if fp.leafPC == 0 {
		c.TopOfStack = downcall.TopOfStackPC()
	}
	for _, m := range fp.argMoves {
		to, ok := stubArgDst(m.to(), fp.nstack)
		if !ok {
			return nil, false
		}
		c.Args = append(c.Args, stubMove(m, stub.Loc{Kind: stub.Base, N: int32(m.from())}, to))
	}
	for _, m := range fp.resMoves {
		from, ok := stubResSrc(m.from())
		if !ok {
			return nil, false
		}
		c.Results = append(c.Results, stubMove(m, from, stub.Loc{Kind: stub.Base, N: int32(m.to())}))
	}
	return c, true
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
