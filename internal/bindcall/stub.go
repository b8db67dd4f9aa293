package bindcall

import (
	"sync"

	"github.com/seed5ca82032/ffi/internal/mcode"
)

// Compiled moves.
//
// Where the platform has a stub compiler (stub_sysv.go), Install turns a
// register-path plan without Go-side ops into machine code that does the
// argument moves, the call and the result moves on the system stack, in
// place of the trampoline's move loop and downcall's generic stub, which
// loads every argument register whatever the function takes. The stub
// reads the same Go words the moves would (the register block and the
// caller's arguments, at fixed offsets from the Frame it is handed), so
// the trampoline, regCall and what they keep visible to the garbage
// collector are unchanged.
//
// Stubs depend only on the shape of the call (the moves, the C stack
// words, leaf or not), not on the function: one is made per distinct
// shape, shared, and kept for the life of the process.

var stubs struct {
	sync.Mutex
	byCode map[string]uintptr
}

// makeStub returns the compiled stub for fp, or 0 where there is none
// (no compiler here, a move the compiler does not take, or no executable
// memory: then the trampoline runs the moves itself).
func makeStub(fp *fastPlan) uintptr {
	if !stubSupported || fp.goOps {
		return 0
	}
	code, ok := stubCode(fp)
	if !ok {
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
