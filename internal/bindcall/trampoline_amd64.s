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

// STORE(BASE) stores the argument registers and g into the block at
// BASE(SP).
#define STORE(BASE) \
	MOVQ	AX, (BASE+block_Int+0)(SP) \
	MOVQ	BX, (BASE+block_Int+8)(SP) \
	MOVQ	CX, (BASE+block_Int+16)(SP) \
	MOVQ	DI, (BASE+block_Int+24)(SP) \
	MOVQ	SI, (BASE+block_Int+32)(SP) \
	MOVQ	R8, (BASE+block_Int+40)(SP) \
	MOVQ	R9, (BASE+block_Int+48)(SP) \
	MOVQ	R10, (BASE+block_Int+56)(SP) \
	MOVQ	R11, (BASE+block_Int+64)(SP) \
	MOVQ	X0, (BASE+block_Float+0)(SP) \
	MOVQ	X1, (BASE+block_Float+8)(SP) \
	MOVQ	X2, (BASE+block_Float+16)(SP) \
	MOVQ	X3, (BASE+block_Float+24)(SP) \
	MOVQ	X4, (BASE+block_Float+32)(SP) \
	MOVQ	X5, (BASE+block_Float+40)(SP) \
	MOVQ	X6, (BASE+block_Float+48)(SP) \
	MOVQ	X7, (BASE+block_Float+56)(SP) \
	MOVQ	X8, (BASE+block_Float+64)(SP) \
	MOVQ	X9, (BASE+block_Float+72)(SP) \
	MOVQ	X10, (BASE+block_Float+80)(SP) \
	MOVQ	X11, (BASE+block_Float+88)(SP) \
	MOVQ	X12, (BASE+block_Float+96)(SP) \
	MOVQ	X13, (BASE+block_Float+104)(SP) \
	MOVQ	X14, (BASE+block_Float+112)(SP) \
	MOVQ	R14, (BASE+block_G)(SP) \
	MOVQ	$0, (BASE+block_Zero)(SP)

// RELOAD(BASE) loads the result registers from the block at BASE(SP) and
// restores g and the zero register X15.
#define RELOAD(BASE) \
	MOVQ	(BASE+block_G)(SP), R14 \
	XORPS	X15, X15 \
	MOVQ	(BASE+block_Float+0)(SP), X0 \
	MOVQ	(BASE+block_Float+8)(SP), X1 \
	MOVQ	(BASE+block_Float+16)(SP), X2 \
	MOVQ	(BASE+block_Float+24)(SP), X3 \
	MOVQ	(BASE+block_Float+32)(SP), X4 \
	MOVQ	(BASE+block_Float+40)(SP), X5 \
	MOVQ	(BASE+block_Float+48)(SP), X6 \
	MOVQ	(BASE+block_Float+56)(SP), X7 \
	MOVQ	(BASE+block_Float+64)(SP), X8 \
	MOVQ	(BASE+block_Float+72)(SP), X9 \
	MOVQ	(BASE+block_Float+80)(SP), X10 \
	MOVQ	(BASE+block_Float+88)(SP), X11 \
	MOVQ	(BASE+block_Float+96)(SP), X12 \
	MOVQ	(BASE+block_Float+104)(SP), X13 \
	MOVQ	(BASE+block_Float+112)(SP), X14 \
	MOVQ	(BASE+block_Int+0)(SP), AX \
	MOVQ	(BASE+block_Int+8)(SP), BX \
	MOVQ	(BASE+block_Int+16)(SP), CX \
	MOVQ	(BASE+block_Int+24)(SP), DI \
	MOVQ	(BASE+block_Int+32)(SP), SI \
	MOVQ	(BASE+block_Int+40)(SP), R8 \
	MOVQ	(BASE+block_Int+48)(SP), R9 \
	MOVQ	(BASE+block_Int+56)(SP), R10 \
	MOVQ	(BASE+block_Int+64)(SP), R11

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
	STORE(BLK)

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

	RELOAD(BLK)
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
DATA	·fastTrampolinePC+0(SB)/8, $·fastTrampoline(SB)
GLOBL	·fastTrampolinePC(SB), RODATA|NOPTR, $8
DATA	·leafTrampolinePC+0(SB)/8, $·leafTrampoline(SB)
GLOBL	·leafTrampolinePC(SB), RODATA|NOPTR, $8

// The register path (fast.go). Frame layout (see arch_amd64.go):
//	0(SP)            regCall's arguments: fp, &frame, p0..p5; or asmcgocall's
//	                 fn, arg, ret, then leaf.Call's block (fastLeafArgs)
//	fastFrame(SP)    the downcall.Frame
//	fastStk(SP)      its C stack words
//	fastBlockOff(SP) the register block
#define FBLK const_fastBlockOff

// PTR1 copies the pointer argument word at offset fastPlan.ptrs[k] into
// regCall's parameter p_k (R12 is the fastPlan).
#define PTR1(k) MOVQ (fastPlan_ptrs+8*k)(R12), R8; MOVQ (SP)(R8*1), R8; MOVQ R8, (16+8*k)(SP)

// STOREARGS stores the argument registers that the plan reads
// (fastPlan.nint and nfloat, in groups) into the block, with R12 set to
// the fastPlan of the closure in DX. It ends at label stored.
#define STOREARGS \
	MOVQ	closure_fast(DX), R12 \
	MOVQ	AX, (FBLK+block_Int+0)(SP) \
	MOVQ	BX, (FBLK+block_Int+8)(SP) \
	MOVBQZX	fastPlan_nint(R12), R13 \
	CMPQ	R13, $2 \
	JLS	floats \
	MOVQ	CX, (FBLK+block_Int+16)(SP) \
	MOVQ	DI, (FBLK+block_Int+24)(SP) \
	MOVQ	SI, (FBLK+block_Int+32)(SP) \
	MOVQ	R8, (FBLK+block_Int+40)(SP) \
	CMPQ	R13, $6 \
	JLS	floats \
	MOVQ	R9, (FBLK+block_Int+48)(SP) \
	MOVQ	R10, (FBLK+block_Int+56)(SP) \
	MOVQ	R11, (FBLK+block_Int+64)(SP) \
floats: \
	MOVBQZX	fastPlan_nfloat(R12), R13 \
	TESTQ	R13, R13 \
	JEQ	stored \
	MOVQ	X0, (FBLK+block_Float+0)(SP) \
	MOVQ	X1, (FBLK+block_Float+8)(SP) \
	MOVQ	X2, (FBLK+block_Float+16)(SP) \
	MOVQ	X3, (FBLK+block_Float+24)(SP) \
	CMPQ	R13, $4 \
	JLS	stored \
	MOVQ	X4, (FBLK+block_Float+32)(SP) \
	MOVQ	X5, (FBLK+block_Float+40)(SP) \
	MOVQ	X6, (FBLK+block_Float+48)(SP) \
	MOVQ	X7, (FBLK+block_Float+56)(SP) \
	CMPQ	R13, $8 \
	JLS	stored \
	MOVQ	X8, (FBLK+block_Float+64)(SP) \
	MOVQ	X9, (FBLK+block_Float+72)(SP) \
	MOVQ	X10, (FBLK+block_Float+80)(SP) \
	MOVQ	X11, (FBLK+block_Float+88)(SP) \
	MOVQ	X12, (FBLK+block_Float+96)(SP) \
	MOVQ	X13, (FBLK+block_Float+104)(SP) \
	MOVQ	X14, (FBLK+block_Float+112)(SP) \
stored:

// RELOADRES loads the result registers the plan writes (fastPlan.rint and
// rfloat, in groups; R12 is the fastPlan) from the block, and g and the
// zero register X15. It ends at label loaded.
#define RELOADRES \
	MOVQ	(FBLK+block_G)(SP), R14 \
	XORPS	X15, X15 \
	MOVQ	(FBLK+block_Int+0)(SP), AX \
	MOVQ	(FBLK+block_Int+8)(SP), BX \
	MOVBQZX	fastPlan_rint(R12), R13 \
	CMPQ	R13, $2 \
	JLS	rfloats \
	MOVQ	(FBLK+block_Int+16)(SP), CX \
	MOVQ	(FBLK+block_Int+24)(SP), DI \
	MOVQ	(FBLK+block_Int+32)(SP), SI \
	MOVQ	(FBLK+block_Int+40)(SP), R8 \
	MOVQ	(FBLK+block_Int+48)(SP), R9 \
	MOVQ	(FBLK+block_Int+56)(SP), R10 \
	MOVQ	(FBLK+block_Int+64)(SP), R11 \
rfloats: \
	MOVBQZX	fastPlan_rfloat(R12), R13 \
	TESTQ	R13, R13 \
	JEQ	loaded \
	MOVQ	(FBLK+block_Float+0)(SP), X0 \
	MOVQ	(FBLK+block_Float+8)(SP), X1 \
	CMPQ	R13, $2 \
	JLS	loaded \
	MOVQ	(FBLK+block_Float+16)(SP), X2 \
	MOVQ	(FBLK+block_Float+24)(SP), X3 \
	MOVQ	(FBLK+block_Float+32)(SP), X4 \
	MOVQ	(FBLK+block_Float+40)(SP), X5 \
	MOVQ	(FBLK+block_Float+48)(SP), X6 \
	MOVQ	(FBLK+block_Float+56)(SP), X7 \
	MOVQ	(FBLK+block_Float+64)(SP), X8 \
	MOVQ	(FBLK+block_Float+72)(SP), X9 \
	MOVQ	(FBLK+block_Float+80)(SP), X10 \
	MOVQ	(FBLK+block_Float+88)(SP), X11 \
	MOVQ	(FBLK+block_Float+96)(SP), X12 \
	MOVQ	(FBLK+block_Float+104)(SP), X13 \
	MOVQ	(FBLK+block_Float+112)(SP), X14 \
loaded:

// fastTrampoline is the body of bound funcs on the register path: entered
// like trampoline (DX the closure), it stores the argument registers the
// plan reads into the block, runs the argument moves into the Frame, calls C through
// regCall (a normal call) or runtime·asmcgocall and the leaf stub (a leaf
// call), runs the result moves into the block and loads the result
// registers. The frame holds no pointer the GC must see: every pointer
// argument is also in regCall's typed parameters during a normal call, and
// during a leaf call no Go code runs (hence NO_LOCAL_POINTERS).
TEXT ·fastTrampoline(SB), NOSPLIT, $const_fastFrameSize-0
	NO_LOCAL_POINTERS
	STOREARGS
	MOVQ	R14, (FBLK+block_G)(SP)
	MOVQ	$0, (FBLK+block_Zero)(SP)
	MOVQ	R12, (FBLK+block_FP)(SP)
	MOVQ	fastPlan_fn(R12), AX
	MOVQ	AX, const_frameFn(SP)
	MOVQ	fastPlan_nstack(R12), AX
	MOVQ	AX, const_frameNStack(SP)
	MOVQ	fastPlan_flags(R12), AX
	MOVQ	AX, const_frameFlags(SP)
	MOVQ	fastPlan_nargs(R12), R11
	TESTQ	R11, R11
	JZ	call // compiled moves (stub.go): the stub runs them
	MOVQ	SP, R9
	MOVQ	fastPlan_args(R12), R13
	CALL	moves<>(SB)

call:
	MOVQ	fastPlan_leafPC(R12), AX
	TESTQ	AX, AX
	JNZ	leaf

	// regCall(fp, &frame, p0, ..., p5): the pointer words stay in its
	// typed parameters for the whole call.
	MOVQ	R12, 0(SP)
	LEAQ	const_fastFrame(SP), AX
	MOVQ	AX, ARG_B(SP)
	PTR1(0)
	PTR1(1)
	PTR1(2)
	PTR1(3)
	PTR1(4)
	PTR1(5)
	CALL	·regCall(SB)
	JMP	results

	// A leaf call: runtime·asmcgocall(leafPC, &{stubPC, &frame, name}).
	// No Go code runs until it returns, so nothing scans or moves this
	// goroutine's stack meanwhile.
leaf:
	MOVQ	fastPlan_stubPC(R12), BX
	MOVQ	BX, (const_fastLeafArgs+0)(SP)
	LEAQ	const_fastFrame(SP), BX
	MOVQ	BX, (const_fastLeafArgs+8)(SP)
	MOVQ	fastPlan_name(R12), BX
	MOVQ	BX, (const_fastLeafArgs+16)(SP)
	MOVQ	AX, 0(SP)
	LEAQ	const_fastLeafArgs(SP), AX
	MOVQ	AX, ARG_B(SP) // asmcgocall(fn, arg)
	CALL	runtime·asmcgocall(SB)

results:
	MOVQ	(FBLK+block_FP)(SP), R12
	MOVQ	fastPlan_nres(R12), R11
	TESTQ	R11, R11
	JZ	reload
	MOVQ	SP, R9
	MOVQ	fastPlan_res(R12), R13
	CALL	moves<>(SB)

reload:
	RELOADRES
	RET

// leafTrampoline is the body of bound funcs whose plan is a compiled leaf
// stub that records the leaf call itself (fastPlan.leafStub): entered
// like fastTrampoline, with the same frame layout (the stub's offsets are
// fastTrampoline's), it stores the argument registers the stub reads, g,
// the fastPlan and the Frame's Fn (the only Frame word the stub reads),
// calls runtime·asmcgocall(stubPC, &frame), which runs the stub on the
// system stack, and loads the result registers the stub wrote into the
// block. No Go code runs on this goroutine until asmcgocall returns, so
// nothing scans or moves its stack meanwhile, and the frame holds no
// pointer the GC must see (hence NO_LOCAL_POINTERS).
TEXT ·leafTrampoline(SB), NOSPLIT, $const_fastFrameSize-0
	NO_LOCAL_POINTERS
	STOREARGS
	MOVQ	R14, (FBLK+block_G)(SP)
	MOVQ	R12, (FBLK+block_FP)(SP)
	MOVQ	fastPlan_fn(R12), AX
	MOVQ	AX, const_frameFn(SP)
	MOVQ	fastPlan_stubPC(R12), AX
	MOVQ	AX, 0(SP)
	LEAQ	const_fastFrame(SP), AX
	MOVQ	AX, ARG_B(SP) // asmcgocall(fn, arg)
	CALL	runtime·asmcgocall(SB)
	MOVQ	(FBLK+block_FP)(SP), R12
	RELOADRES
	RET

// moves runs the register path's word moves (type move in fast.go): R13
// points to R11 moves, R9 is the base of their offsets (fastTrampoline's
// SP). It uses AX BX CX DX R8 R10 R11 R13 and keeps R12. A move of kind 0
// is
//
//	w := *(base+from) >> rshift
//	w = w<<ext>>ext (arithmetic shift if signed, else logical)
//	w <<= lshift
//	*(base+to) = w | (or ? *(base+to) : 0)
//
// and kinds 1, 2 and 3 are the common cases of it done with one load:
// a whole word, a sign-extended and a zero-extended 32-bit value.
TEXT moves<>(SB), NOSPLIT|NOFRAME, $0
	TESTQ	R11, R11
	JZ	done

loop:
	MOVQ	(R13), R8
	MOVQ	R8, CX
	SHRQ	$56, CX
	JEQ	general
	// Kinds 1-3 without a branch: the word, then its sign- or
	// zero-extended low half chosen by CMOV.
	MOVWLZX	R8, AX
	MOVQ	(R9)(AX*1), R10
	MOVLQSX	R10, DX
	MOVL	R10, AX
	CMPB	CL, $2
	CMOVQEQ	DX, R10
	CMOVQHI	AX, R10
	MOVL	R8, BX
	SHRL	$16, BX
	MOVQ	R10, (R9)(BX*1)
	ADDQ	$8, R13
	DECQ	R11
	JNZ	loop
	RET

general:
	MOVWLZX	R8, AX
	MOVL	R8, BX
	SHRL	$16, BX
	MOVQ	(R9)(AX*1), AX
	MOVQ	R8, CX
	SHRQ	$32, CX
	SHRQ	CX, AX
	MOVQ	R8, CX
	SHRQ	$40, CX
	SHLQ	CX, AX
	MOVQ	AX, R10
	SARQ	CX, R10
	SHRQ	CX, AX
	BTQ	$46, R8
	CMOVQCS	R10, AX
	MOVQ	R8, CX
	SHRQ	$48, CX
	SHLQ	CX, AX
	MOVQ	R8, R10
	SHLQ	$16, R10
	SARQ	$63, R10
	ANDQ	(R9)(BX*1), R10
	ORQ	R10, AX
	MOVQ	AX, (R9)(BX*1)
	ADDQ	$8, R13
	DECQ	R11
	JNZ	loop

done:
	RET

// func movesAsm(base unsafe.Pointer, ms *move, n uintptr)
//
// movesAsm runs moves for tests.
TEXT ·movesAsm(SB), NOSPLIT, $0-24
	MOVQ	base+0(FP), R9
	MOVQ	ms+8(FP), R13
	MOVQ	n+16(FP), R11
	CALL	moves<>(SB)
	RET
