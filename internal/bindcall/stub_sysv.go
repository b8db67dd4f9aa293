//go:build amd64 && (linux || darwin || freebsd || netbsd)

package bindcall

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// The register path's compiled moves on System V AMD64 (see stub.go).

// stubSupported reports whether makeStub can compile moves here.
const stubSupported = true

// stubCode compiles fp's moves into a System V stub (x86.AppendCallSysV),
// or reports false when one of them does not fit the stub's form.
func stubCode(fp *fastPlan) ([]byte, bool) {
	s := x86.CallStub{
		FrameOff: int32(fastFrame),
		FnOff:    int32(frameFn),
		NStack:   int(fp.nstack),
	}
	if fp.leafPC == 0 {
		s.TopOfStack = downcall.TopOfStackPC()
	}
	for _, m := range fp.argMoves {
		to, ok := stubArgDst(m.to(), fp.nstack)
		if !ok {
			return nil, false
		}
		s.Args = append(s.Args, stubMove(m, x86.Loc{Kind: x86.LocBase, N: int32(m.from())}, to))
	}
	for _, m := range fp.resMoves {
		from, ok := stubResSrc(m.from())
		if !ok {
			return nil, false
		}
		s.Results = append(s.Results, stubMove(m, from, x86.Loc{Kind: x86.LocBase, N: int32(m.to())}))
	}
	code, err := x86.AppendCallSysV(nil, &s)
	return code, err == nil
}

func stubMove(m move, from, to x86.Loc) x86.StubMove {
	return x86.StubMove{From: from, To: to, RShift: m.rshift(), Ext: m.ext(), LShift: m.lshift(), Signed: m.signed(), Or: m.or()}
}

// stubArgDst maps a move's destination in the Frame (or the C stack words
// after it) to the C register or stack word it stands for.
func stubArgDst(to, nstack uintptr) (x86.Loc, bool) {
	gpr := frameGPR
	fpr := frameFPR
	switch {
	case to >= gpr && to < gpr+unsafe.Sizeof(downcall.Frame{}.GPR):
		return x86.Loc{Kind: x86.LocGPR, N: int32((to - gpr) / 8)}, true
	case to >= fpr && to < fpr+unsafe.Sizeof(downcall.Frame{}.FPR):
		return x86.Loc{Kind: x86.LocFPR, N: int32((to - fpr) / 8)}, true
	case to >= uintptr(fastStk) && to < uintptr(fastStk)+8*nstack:
		return x86.Loc{Kind: x86.LocStack, N: int32(to - uintptr(fastStk))}, true
	}
	return x86.Loc{}, false
}

// stubResSrc maps a result move's source in the Frame to the C result
// register it stands for.
func stubResSrc(from uintptr) (x86.Loc, bool) {
	switch {
	case from >= frameRetGPR && from < frameRetGPR+16:
		return x86.Loc{Kind: x86.LocGPR, N: int32((from - frameRetGPR) / 8)}, true
	case from >= frameRetFPR && from < frameRetFPR+16:
		return x86.Loc{Kind: x86.LocFPR, N: int32((from - frameRetFPR) / 8)}, true
	}
	return x86.Loc{}, false
}

// callStub runs a compiled stub through runtime.cgocall.
func callStub(stub uintptr, f *downcall.Frame) { downcall.CallStub(stub, f) }
