#include "textflag.h"
#include "funcdata.h"

// func callMoved(fn unsafe.Pointer, f *cframe, in, out uintptr)
//
// Calls the Go func fn (a func value) with its arguments placed by the
// argument mover in and its results stored by the result mover out
// (mover.go, stub.Mover): the movers read and write the frame f through
// R12 and may use R13 and DX. The frame holds the 32 outgoing words a
// mover may write (x86.MoverOutWords; the mover sees them at 8(SP), above
// its return address) and the spill area of the 24 argument registers,
// which the callee may use, as callGo32's does. R14 (g) and X15 (zero) are
// set for the register ABI before the call; the movers touch neither.
TEXT ·callMoved(SB), 0, $448-32
	NO_LOCAL_POINTERS
	MOVQ	f+8(FP), R12
	MOVQ	in+16(FP), R13
	CALL	R13
	MOVQ	TLS, R14
	MOVQ	0(R14)(TLS*1), R14
	XORPS	X15, X15
	MOVQ	fn+0(FP), DX
	MOVQ	(DX), R12
	CALL	R12
	MOVQ	f+8(FP), R12
	MOVQ	out+24(FP), R13
	CALL	R13
	RET
