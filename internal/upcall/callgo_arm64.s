#include "textflag.h"
#include "funcdata.h"

// CALLGO defines callGo<W> (callgo.go): a frame of W block words and the
// spill area of the 32 argument registers of arm64's register ABI. The
// outgoing arguments start at 8(RSP) (0(RSP) holds the saved link
// register).
//
//	copyWords	the arguments: args 8-byte words from blk to 8(RSP)
//	regs		R0..R15, F0..F15 from regs (R28 is g in both ABIs)
//	MOVD (R26)...	R26 = fn, the closure context; call its code
//	regs		the result registers, the same ones, to regs
//	copyWords	the results: results words from the block at 8(RSP) to
//			blk, both after the arguments
#define CALLGO(NAME, FRAME) \
TEXT NAME(SB), 0, $FRAME-40; \
	NO_LOCAL_POINTERS; \
	MOVD	blk+16(FP), R21; \
	ADD	$8, RSP, R22; \
	MOVD	args+24(FP), R23; \
	BL	copyWords<>(SB); \
	MOVD	regs+8(FP), R19; \
	LDP	(0*8)(R19), (R0, R1); \
	LDP	(2*8)(R19), (R2, R3); \
	LDP	(4*8)(R19), (R4, R5); \
	LDP	(6*8)(R19), (R6, R7); \
	LDP	(8*8)(R19), (R8, R9); \
	LDP	(10*8)(R19), (R10, R11); \
	LDP	(12*8)(R19), (R12, R13); \
	LDP	(14*8)(R19), (R14, R15); \
	FLDPD	(16*8)(R19), (F0, F1); \
	FLDPD	(18*8)(R19), (F2, F3); \
	FLDPD	(20*8)(R19), (F4, F5); \
	FLDPD	(22*8)(R19), (F6, F7); \
	FLDPD	(24*8)(R19), (F8, F9); \
	FLDPD	(26*8)(R19), (F10, F11); \
	FLDPD	(28*8)(R19), (F12, F13); \
	FLDPD	(30*8)(R19), (F14, F15); \
	MOVD	fn+0(FP), R26; \
	MOVD	(R26), R20; \
	CALL	(R20); \
	MOVD	regs+8(FP), R19; \
	STP	(R0, R1), (0*8)(R19); \
	STP	(R2, R3), (2*8)(R19); \
	STP	(R4, R5), (4*8)(R19); \
	STP	(R6, R7), (6*8)(R19); \
	STP	(R8, R9), (8*8)(R19); \
	STP	(R10, R11), (10*8)(R19); \
	STP	(R12, R13), (12*8)(R19); \
	STP	(R14, R15), (14*8)(R19); \
	FSTPD	(F0, F1), (16*8)(R19); \
	FSTPD	(F2, F3), (18*8)(R19); \
	FSTPD	(F4, F5), (20*8)(R19); \
	FSTPD	(F6, F7), (22*8)(R19); \
	FSTPD	(F8, F9), (24*8)(R19); \
	FSTPD	(F10, F11), (26*8)(R19); \
	FSTPD	(F12, F13), (28*8)(R19); \
	FSTPD	(F14, F15), (30*8)(R19); \
	MOVD	args+24(FP), R23; \
	ADD	$8, RSP, R21; \
	ADD	R23<<3, R21, R21; \
	MOVD	blk+16(FP), R22; \
	ADD	R23<<3, R22, R22; \
	MOVD	results+32(FP), R23; \
	BL	copyWords<>(SB); \
	RET

// Frames: 8*W block bytes + 8*32 spill bytes.
CALLGO(·callGo8, 320)
CALLGO(·callGo32, 512)
CALLGO(·callGo128, 1280)
CALLGO(·callGo1024, 8448)

// copyWords copies R23 8-byte words from R21 to R22 (clobbers R24).
TEXT copyWords<>(SB), NOSPLIT|NOFRAME, $0-0
	CBZ	R23, done
loop:
	MOVD.P	8(R21), R24
	MOVD.P	R24, 8(R22)
	SUB	$1, R23
	CBNZ	R23, loop
done:
	RET
