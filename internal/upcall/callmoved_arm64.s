#include "textflag.h"
#include "funcdata.h"

// func callMoved(fn unsafe.Pointer, f *cframe, in, out uintptr)
//
// Calls the Go func fn (a func value) with its arguments placed by the
// argument mover in and its results stored by the result mover out
// (mover.go, stub.Mover): the movers read and write the frame f through
// R20 and may use R21 and R22. The frame holds the 32 outgoing words a
// mover may write (a64.MoverOutWords, from 8(RSP); 0(RSP) holds the saved
// link register) and the spill area of the 32 argument registers, which
// the callee may use, as callGo32's does. R28 is g in both ABIs.
TEXT ·callMoved(SB), 0, $512-32
	NO_LOCAL_POINTERS
	MOVD	f+8(FP), R20
	MOVD	in+16(FP), R22
	CALL	(R22)
	MOVD	fn+0(FP), R26
	MOVD	(R26), R23
	CALL	(R23)
	MOVD	f+8(FP), R20
	MOVD	out+24(FP), R22
	CALL	(R22)
	RET
