#include "textflag.h"
#include "funcdata.h"

// CALLGO defines callGo<W> (callgo.go): a frame of W block words and the
// spill area of the 24 argument registers of amd64's register ABI.
//
//	copyWords	the arguments: args 8-byte words from blk to 0(SP)
//	regs		AX BX CX DI SI R8 R9 R10 R11 X0..X14 from regs
//			R14 = g (from thread-local storage), X15 = 0
//	MOVQ	(DX)...	DX = fn, the closure context; call its code
//	regs		the result registers, the same ones, to regs
//	copyWords	the results: results words from the block at 0(SP) to blk,
//			both after the arguments
#define CALLGO(NAME, FRAME) \
TEXT NAME(SB), 0, $FRAME-40; \
	NO_LOCAL_POINTERS; \
	MOVQ	blk+16(FP), SI; \
	MOVQ	args+24(FP), CX; \
	MOVQ	SP, DI; \
	CALL	copyWords<>(SB); \
	MOVQ	regs+8(FP), R12; \
	MOVQ	0(R12), AX; \
	MOVQ	8(R12), BX; \
	MOVQ	16(R12), CX; \
	MOVQ	24(R12), DI; \
	MOVQ	32(R12), SI; \
	MOVQ	40(R12), R8; \
	MOVQ	48(R12), R9; \
	MOVQ	56(R12), R10; \
	MOVQ	64(R12), R11; \
	MOVQ	72(R12), X0; \
	MOVQ	80(R12), X1; \
	MOVQ	88(R12), X2; \
	MOVQ	96(R12), X3; \
	MOVQ	104(R12), X4; \
	MOVQ	112(R12), X5; \
	MOVQ	120(R12), X6; \
	MOVQ	128(R12), X7; \
	MOVQ	136(R12), X8; \
	MOVQ	144(R12), X9; \
	MOVQ	152(R12), X10; \
	MOVQ	160(R12), X11; \
	MOVQ	168(R12), X12; \
	MOVQ	176(R12), X13; \
	MOVQ	184(R12), X14; \
	MOVQ	TLS, R14; \
	MOVQ	0(R14)(TLS*1), R14; \
	XORPS	X15, X15; \
	MOVQ	fn+0(FP), DX; \
	MOVQ	(DX), R12; \
	CALL	R12; \
	MOVQ	regs+8(FP), R12; \
	MOVQ	AX, 0(R12); \
	MOVQ	BX, 8(R12); \
	MOVQ	CX, 16(R12); \
	MOVQ	DI, 24(R12); \
	MOVQ	SI, 32(R12); \
	MOVQ	R8, 40(R12); \
	MOVQ	R9, 48(R12); \
	MOVQ	R10, 56(R12); \
	MOVQ	R11, 64(R12); \
	MOVQ	X0, 72(R12); \
	MOVQ	X1, 80(R12); \
	MOVQ	X2, 88(R12); \
	MOVQ	X3, 96(R12); \
	MOVQ	X4, 104(R12); \
	MOVQ	X5, 112(R12); \
	MOVQ	X6, 120(R12); \
	MOVQ	X7, 128(R12); \
	MOVQ	X8, 136(R12); \
	MOVQ	X9, 144(R12); \
	MOVQ	X10, 152(R12); \
	MOVQ	X11, 160(R12); \
	MOVQ	X12, 168(R12); \
	MOVQ	X13, 176(R12); \
	MOVQ	X14, 184(R12); \
	MOVQ	args+24(FP), AX; \
	LEAQ	(SP)(AX*8), SI; \
	MOVQ	blk+16(FP), DI; \
	LEAQ	(DI)(AX*8), DI; \
	MOVQ	results+32(FP), CX; \
	CALL	copyWords<>(SB); \
	RET

// Frames: 8*W block bytes + 8*24 spill bytes.
CALLGO(·callGo8, 256)
CALLGO(·callGo32, 448)
CALLGO(·callGo128, 1216)
CALLGO(·callGo1024, 8384)

// copyWords copies CX 8-byte words from SI to DI (clobbers AX).
TEXT copyWords<>(SB), NOSPLIT|NOFRAME, $0-0
	TESTQ	CX, CX
	JZ	done
loop:
	MOVQ	(SI), AX
	MOVQ	AX, (DI)
	ADDQ	$8, SI
	ADDQ	$8, DI
	DECQ	CX
	JNZ	loop
done:
	RET
