//go:build arm64

#include "textflag.h"
#include "funcdata.h"
#include "go_asm.h"

// Frame layout (see arch_arm64.go):
//	0(RSP)   saved link register
//	8(RSP)   dispatch's arguments: c, b, sa, p[maxPtrArgs]
//	RES(RSP) dispatch's results r[maxPtrResults]
//	BLK(RSP) the register block (type block)
#define ARG_C 8
#define ARG_B 16
#define ARG_SA 24
#define P 32
#define RES (32+8*const_maxPtrArgs)
#define BLK const_blockOff

#define PTR(k) MOVD (closure_src+8*k)(R26), R20; MOVD (R19)(R20), R21; MOVD R21, (P+8*k)(RSP)
#define INT2(i, a, b) STP (a, b), (BLK+block_Int+8*i)(RSP)
#define FLT2(i, a, b) FSTPD (a, b), (BLK+block_Float+8*i)(RSP)
#define LINT2(i, a, b) LDP (BLK+block_Int+8*i)(RSP), (a, b)
#define LFLT2(i, a, b) FLDPD (BLK+block_Float+8*i)(RSP), (a, b)
#define RES2(i, a, b) LDP (RES+8*i)(RSP), (R20, R21); ORR R20, a, a; ORR R21, b, b

// trampoline is the body of every bound func on arm64; see
// trampoline_amd64.s. It is entered as Go's register ABI calls a closure:
// R26 is the closure, arguments are in R0-R15 and F0-F15 and in the
// caller's argument area at callerArgsOff(RSP), R28 is g.
TEXT ·trampoline(SB), NOSPLIT, $const_frameSize-0
	NO_LOCAL_POINTERS
	INT2(0, R0, R1)
	INT2(2, R2, R3)
	INT2(4, R4, R5)
	INT2(6, R6, R7)
	INT2(8, R8, R9)
	INT2(10, R10, R11)
	INT2(12, R12, R13)
	INT2(14, R14, R15)
	FLT2(0, F0, F1)
	FLT2(2, F2, F3)
	FLT2(4, F4, F5)
	FLT2(6, F6, F7)
	FLT2(8, F8, F9)
	FLT2(10, F10, F11)
	FLT2(12, F12, F13)
	FLT2(14, F14, F15)
	MOVD	ZR, (BLK+block_Zero)(RSP)

	MOVD	R26, ARG_C(RSP)
	MOVD	$BLK(RSP), R20
	MOVD	R20, ARG_B(RSP)
	MOVD	$const_callerArgsOff(RSP), R20
	MOVD	R20, ARG_SA(RSP)
	MOVD	RSP, R19
	PTR(0)
	PTR(1)
	PTR(2)
	PTR(3)
	PTR(4)
	PTR(5)
	PTR(6)
	PTR(7)
	PTR(8)
	PTR(9)
	PTR(10)
	PTR(11)
	PTR(12)
	PTR(13)
	PTR(14)
	PTR(15)
	STP	(ZR, ZR), (RES+0)(RSP)
	STP	(ZR, ZR), (RES+16)(RSP)
	STP	(ZR, ZR), (RES+32)(RSP)
	CALL	·dispatch(SB)

	LFLT2(0, F0, F1)
	LFLT2(2, F2, F3)
	LFLT2(4, F4, F5)
	LFLT2(6, F6, F7)
	LFLT2(8, F8, F9)
	LFLT2(10, F10, F11)
	LFLT2(12, F12, F13)
	LFLT2(14, F14, F15)
	LINT2(6, R6, R7)
	LINT2(8, R8, R9)
	LINT2(10, R10, R11)
	LINT2(12, R12, R13)
	LINT2(14, R14, R15)
	LINT2(0, R0, R1)
	LINT2(2, R2, R3)
	LINT2(4, R4, R5)
	RES2(0, R0, R1)
	RES2(2, R2, R3)
	RES2(4, R4, R5)
	RET

// trampolinePC holds the address of trampoline, the code word of every
// bound func's closure.
DATA	·trampolinePC+0(SB)/8, $·trampoline(SB)
GLOBL	·trampolinePC(SB), RODATA|NOPTR, $8
