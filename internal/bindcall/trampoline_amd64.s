//go:build amd64

#include "textflag.h"
#include "funcdata.h"
#include "go_asm.h"

// Frame layout (see arch_amd64.go):
//	0(SP)   dispatch's arguments: c, b, sa, p[maxPtrArgs]
//	RES(SP) dispatch's results r[maxPtrResults]
//	BLK(SP) the register block (type block)
#define ARG_B 8
#define ARG_SA 16
#define P 24
#define RES (24+8*const_maxPtrArgs)
#define BLK const_blockOff
#define FRAME const_frameSize

// PTR2 copies the words named by src[k] and src[k+1] into p[k] and p[k+1]
// with one 16-byte store: the ABI0 wrapper of dispatch reads p with 16-byte
// loads, and a 16-byte load of two 8-byte stores would stall store
// forwarding on every call.
#define PTR2(k) MOVQ (closure_src+8*k)(DX), R12; MOVQ (SP)(R12*1), R12; MOVQ (closure_src+8*k+8)(DX), R13; MOVQ (SP)(R13*1), R13; MOVQ R12, X14; MOVQ R13, X13; PUNPCKLQDQ X13, X14; MOVUPS X14, (P+8*k)(SP)

// trampoline is the body of every bound Go func. It is entered as Go's
// register ABI calls a closure: DX is the closure (a *closure), arguments
// are in AX BX CX DI SI R8-R11 and X0-X14 and in the caller's argument area
// at callerArgsOff(SP), R14 is g and X15 zero.
//
// It stores the argument registers into the block, copies the words the
// closure names as pointers (registers or caller stack words; unused
// entries name the block's zero word) into dispatch's typed pointer
// arguments, and calls dispatch, which sees every pointer argument as an
// unsafe.Pointer for the whole call. Results come back in the block, with
// pointer words in dispatch's typed results, ORed into the integer result
// registers.
//
// NOSPLIT: a stack split at entry would lose the argument registers. The
// frame holds no pointer the GC must see (pointer words live only in
// dispatch's arguments and results), hence NO_LOCAL_POINTERS; the declared
// argument size is 0 because the caller's argument area belongs to the
// caller's func type. Assembly is never preempted asynchronously.
TEXT ·trampoline(SB), NOSPLIT, $FRAME-0
	NO_LOCAL_POINTERS
	MOVQ	AX, (BLK+block_Int+0)(SP)
	MOVQ	BX, (BLK+block_Int+8)(SP)
	MOVQ	CX, (BLK+block_Int+16)(SP)
	MOVQ	DI, (BLK+block_Int+24)(SP)
	MOVQ	SI, (BLK+block_Int+32)(SP)
	MOVQ	R8, (BLK+block_Int+40)(SP)
	MOVQ	R9, (BLK+block_Int+48)(SP)
	MOVQ	R10, (BLK+block_Int+56)(SP)
	MOVQ	R11, (BLK+block_Int+64)(SP)
	MOVQ	X0, (BLK+block_Float+0)(SP)
	MOVQ	X1, (BLK+block_Float+8)(SP)
	MOVQ	X2, (BLK+block_Float+16)(SP)
	MOVQ	X3, (BLK+block_Float+24)(SP)
	MOVQ	X4, (BLK+block_Float+32)(SP)
	MOVQ	X5, (BLK+block_Float+40)(SP)
	MOVQ	X6, (BLK+block_Float+48)(SP)
	MOVQ	X7, (BLK+block_Float+56)(SP)
	MOVQ	X8, (BLK+block_Float+64)(SP)
	MOVQ	X9, (BLK+block_Float+72)(SP)
	MOVQ	X10, (BLK+block_Float+80)(SP)
	MOVQ	X11, (BLK+block_Float+88)(SP)
	MOVQ	X12, (BLK+block_Float+96)(SP)
	MOVQ	X13, (BLK+block_Float+104)(SP)
	MOVQ	X14, (BLK+block_Float+112)(SP)
	MOVQ	R14, (BLK+block_G)(SP)
	MOVQ	$0, (BLK+block_Zero)(SP)

	MOVQ	DX, 0(SP)
	LEAQ	BLK(SP), R12
	MOVQ	R12, ARG_B(SP)
	LEAQ	const_callerArgsOff(SP), R12
	MOVQ	R12, ARG_SA(SP)
	PTR2(0)
	PTR2(2)
	PTR2(4)
	PTR2(6)
	PTR2(8)
	PTR2(10)
	PTR2(12)
	PTR2(14)
	// dispatch's ABI0 wrapper zeroes the results r before the call.
	CALL	·dispatch(SB)

	MOVQ	(BLK+block_G)(SP), R14
	XORPS	X15, X15
	MOVQ	(BLK+block_Float+0)(SP), X0
	MOVQ	(BLK+block_Float+8)(SP), X1
	MOVQ	(BLK+block_Float+16)(SP), X2
	MOVQ	(BLK+block_Float+24)(SP), X3
	MOVQ	(BLK+block_Float+32)(SP), X4
	MOVQ	(BLK+block_Float+40)(SP), X5
	MOVQ	(BLK+block_Float+48)(SP), X6
	MOVQ	(BLK+block_Float+56)(SP), X7
	MOVQ	(BLK+block_Float+64)(SP), X8
	MOVQ	(BLK+block_Float+72)(SP), X9
	MOVQ	(BLK+block_Float+80)(SP), X10
	MOVQ	(BLK+block_Float+88)(SP), X11
	MOVQ	(BLK+block_Float+96)(SP), X12
	MOVQ	(BLK+block_Float+104)(SP), X13
	MOVQ	(BLK+block_Float+112)(SP), X14
	MOVQ	(BLK+block_Int+0)(SP), AX
	MOVQ	(BLK+block_Int+8)(SP), BX
	MOVQ	(BLK+block_Int+16)(SP), CX
	MOVQ	(BLK+block_Int+24)(SP), DI
	MOVQ	(BLK+block_Int+32)(SP), SI
	MOVQ	(BLK+block_Int+40)(SP), R8
	MOVQ	(BLK+block_Int+48)(SP), R9
	MOVQ	(BLK+block_Int+56)(SP), R10
	MOVQ	(BLK+block_Int+64)(SP), R11
	ORQ	(RES+0)(SP), AX
	ORQ	(RES+8)(SP), BX
	ORQ	(RES+16)(SP), CX
	ORQ	(RES+24)(SP), DI
	ORQ	(RES+32)(SP), SI
	ORQ	(RES+40)(SP), R8
	RET

// trampolinePC holds the address of trampoline, the code word of every
// bound func's closure.
DATA	·trampolinePC+0(SB)/8, $·trampoline(SB)
GLOBL	·trampolinePC(SB), RODATA|NOPTR, $8
