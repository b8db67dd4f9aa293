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
DATA	·fastTrampolinePC+0(SB)/8, $·fastTrampoline(SB)
GLOBL	·fastTrampolinePC(SB), RODATA|NOPTR, $8
DATA	·leafTrampolinePC+0(SB)/8, $·leafTrampoline(SB)
GLOBL	·leafTrampolinePC(SB), RODATA|NOPTR, $8

// The register path (fast.go). Frame layout (see arch_arm64.go):
//	0(RSP)            saved link register
//	8(RSP)            regCall's arguments: fp, &frame, p0..p5; or asmcgocall's
//	                  fn, arg, ret, then leaf.Call's block (fastLeafArgs)
//	fastFrame(RSP)    the downcall.Frame
//	fastStk(RSP)      its C stack words
//	fastBlockOff(RSP) the register block
#define FBLK const_fastBlockOff
#define FINT2(i, a, b) STP (a, b), (FBLK+block_Int+8*i)(RSP)
#define FFLT2(i, a, b) FSTPD (a, b), (FBLK+block_Float+8*i)(RSP)
#define FLINT2(i, a, b) LDP (FBLK+block_Int+8*i)(RSP), (a, b)
#define FLFLT2(i, a, b) FLDPD (FBLK+block_Float+8*i)(RSP), (a, b)

// FSTOREALL stores every argument register into the block; FRELOADALL
// loads every result register from it.
#define FSTOREALL \
	FINT2(0, R0, R1); FINT2(2, R2, R3); FINT2(4, R4, R5); FINT2(6, R6, R7) \
	FINT2(8, R8, R9); FINT2(10, R10, R11); FINT2(12, R12, R13); FINT2(14, R14, R15) \
	FFLT2(0, F0, F1); FFLT2(2, F2, F3); FFLT2(4, F4, F5); FFLT2(6, F6, F7) \
	FFLT2(8, F8, F9); FFLT2(10, F10, F11); FFLT2(12, F12, F13); FFLT2(14, F14, F15)
#define FRELOADALL \
	FLFLT2(0, F0, F1); FLFLT2(2, F2, F3); FLFLT2(4, F4, F5); FLFLT2(6, F6, F7) \
	FLFLT2(8, F8, F9); FLFLT2(10, F10, F11); FLFLT2(12, F12, F13); FLFLT2(14, F14, F15) \
	FLINT2(0, R0, R1); FLINT2(2, R2, R3); FLINT2(4, R4, R5); FLINT2(6, R6, R7) \
	FLINT2(8, R8, R9); FLINT2(10, R10, R11); FLINT2(12, R12, R13); FLINT2(14, R14, R15)

// PTR1 copies the pointer argument word at offset fastPlan.ptrs[k] into
// regCall's parameter p_k (R19 is the fastPlan, R20 the SP).
#define PTR1(k) MOVD (fastPlan_ptrs+8*k)(R19), R1; MOVD (R20)(R1), R1; MOVD R1, (24+8*k)(RSP)

// fastTrampoline is the body of bound funcs on the register path; see
// trampoline_amd64.s. R26 is the closure.
TEXT ·fastTrampoline(SB), NOSPLIT, $const_fastFrameSize-0
	NO_LOCAL_POINTERS
	FSTOREALL
	MOVD	ZR, (FBLK+block_Zero)(RSP)
	MOVD	closure_fast(R26), R19
	MOVD	R19, (FBLK+block_FP)(RSP)
	MOVD	fastPlan_fn(R19), R0
	MOVD	R0, const_frameFn(RSP)
	MOVD	fastPlan_nstack(R19), R0
	MOVD	R0, const_frameNStack(RSP)
	MOVD	fastPlan_flags(R19), R0
	MOVD	R0, const_frameFlags(RSP)
	MOVD	fastPlan_nargs(R19), R22
	CBZ	R22, call // compiled moves (stub.go): the stub runs them
	MOVD	RSP, R20
	MOVD	fastPlan_args(R19), R21
	BL	moves<>(SB)

call:
	MOVD	fastPlan_leafPC(R19), R0
	CBNZ	R0, leaf

	// regCall(fp, &frame, p0, ..., p5): the pointer words stay in its
	// typed parameters for the whole call.
	MOVD	R19, ARG_C(RSP)
	MOVD	$const_fastFrame(RSP), R0
	MOVD	R0, ARG_B(RSP)
	PTR1(0)
	PTR1(1)
	PTR1(2)
	PTR1(3)
	PTR1(4)
	PTR1(5)
	CALL	·regCall(SB)
	B	results

	// A leaf call: runtime·asmcgocall(leafPC, &{stubPC, &frame, name}).
	// No Go code runs until it returns, so nothing scans or moves this
	// goroutine's stack meanwhile.
leaf:
	MOVD	fastPlan_stubPC(R19), R1
	MOVD	R1, (const_fastLeafArgs+0)(RSP)
	MOVD	$const_fastFrame(RSP), R1
	MOVD	R1, (const_fastLeafArgs+8)(RSP)
	MOVD	fastPlan_name(R19), R1
	MOVD	R1, (const_fastLeafArgs+16)(RSP)
	MOVD	R0, ARG_C(RSP)
	MOVD	$const_fastLeafArgs(RSP), R1
	MOVD	R1, ARG_B(RSP) // asmcgocall(fn, arg)
	CALL	runtime·asmcgocall(SB)

results:
	MOVD	(FBLK+block_FP)(RSP), R19
	MOVD	fastPlan_nres(R19), R22
	CBZ	R22, reload
	MOVD	RSP, R20
	MOVD	fastPlan_res(R19), R21
	BL	moves<>(SB)

reload:
	FRELOADALL
	RET

// leafTrampoline is the body of bound funcs whose plan is a compiled leaf
// stub that records the leaf call itself; see trampoline_amd64.s. R26 is
// the closure. asmcgocall restores g (R28).
TEXT ·leafTrampoline(SB), NOSPLIT, $const_fastFrameSize-0
	NO_LOCAL_POINTERS
	FSTOREALL
	MOVD	closure_fast(R26), R19
	MOVD	fastPlan_fn(R19), R0
	MOVD	R0, const_frameFn(RSP)
	MOVD	fastPlan_stubPC(R19), R0
	MOVD	R0, ARG_C(RSP)
	MOVD	$const_fastFrame(RSP), R0
	MOVD	R0, ARG_B(RSP) // asmcgocall(fn, arg)
	CALL	runtime·asmcgocall(SB)
	FRELOADALL
	RET

// moves runs the register path's word moves (type move in fast.go; see
// trampoline_amd64.s): R21 points to R22 moves, R20 is the base of their
// offsets (fastTrampoline's RSP). It uses R0-R6, R21 and R22 and keeps
// R19 and R20.
TEXT moves<>(SB), NOSPLIT|NOFRAME, $0
	CBZ	R22, done

loop:
	MOVD	(R21), R0
	ADD	$8, R21, R21
	AND	$0xffff, R0, R1
	UBFX	$16, R0, $16, R2
	LSR	$56, R0, R3
	CBZ	R3, general
	// Kinds 1-3 without a branch: the word, then its sign- or
	// zero-extended low half chosen by CSEL.
	MOVD	(R20)(R1), R4
	MOVW	R4, R5
	MOVWU	R4, R6
	CMP	$2, R3
	CSEL	EQ, R5, R4, R4
	CSEL	HI, R6, R4, R4
	MOVD	R4, (R20)(R2)
	SUB	$1, R22, R22
	CBNZ	R22, loop
	RET

general:
	MOVD	(R20)(R1), R4
	LSR	$32, R0, R5
	LSR	R5, R4, R4
	LSR	$40, R0, R5
	LSL	R5, R4, R4
	ASR	R5, R4, R6
	LSR	R5, R4, R4
	TBZ	$46, R0, unsigned
	MOVD	R6, R4

unsigned:
	LSR	$48, R0, R5
	LSL	R5, R4, R4
	TBZ	$47, R0, store
	MOVD	(R20)(R2), R6
	ORR	R6, R4, R4

store:
	MOVD	R4, (R20)(R2)
	SUB	$1, R22, R22
	CBNZ	R22, loop

done:
	RET

// func movesAsm(base unsafe.Pointer, ms *move, n uintptr)
TEXT ·movesAsm(SB), NOSPLIT, $16-24
	MOVD	base+0(FP), R20
	MOVD	ms+8(FP), R21
	MOVD	n+16(FP), R22
	BL	moves<>(SB)
	RET
