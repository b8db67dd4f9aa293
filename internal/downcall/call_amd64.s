//go:build amd64 && (linux || darwin || freebsd || netbsd)

#include "textflag.h"
#include "frame_amd64.h"

// callC is a System V function: runtime·asmcgocall calls it on the system
// stack with the address of a Frame in DI. It copies the Frame's stack words
// onto the C stack, loads the argument registers and al, calls Frame.Fn and
// stores rax rdx xmm0 xmm1 into the Frame.
//
// The Frame may live on a goroutine stack. If the C function calls back into
// Go, that stack can grow and be copied elsewhere, so the Frame address held
// here goes stale. As cgo's own wrappers do, the stub asks
// _cgo_topofstack (the current goroutine's stack top) before and after the
// call and moves the Frame address by the difference.
//
// Registers kept across the call (callee-saved in the C ABI):
//	R12 Frame address, R13 stack top before the call, R14/R15 rax/rdx
//	result, BX the Frame's Flags.
// -48(BP) and -56(BP) hold xmm0/xmm1 while _cgo_topofstack runs, -64(BP)
// errno.
//
// With FlagLeaf (a leaf call: no callback can run, so the stack cannot
// move) the stub does not ask for the stack top.
//
// With FlagErrno, errno (found through errnoLocation, the C library's
// __errno_location) is cleared before the call and read right after it,
// on this thread, before anything else can change it.
TEXT callC<>(SB), NOSPLIT|NOFRAME, $0
	PUSHQ	BP
	MOVQ	SP, BP
	PUSHQ	BX
	PUSHQ	R12
	PUSHQ	R13
	PUSHQ	R14
	PUSHQ	R15
	SUBQ	$24, SP
	MOVQ	DI, R12
	MOVQ	$0, -64(BP)
	MOVQ	FRAME_FLAGS(R12), BX
	TESTQ	$2, BX // FlagLeaf: the stack cannot move
	JNZ	errno
	CALL	_cgo_topofstack(SB)
	MOVQ	AX, R13

errno:
	TESTQ	$1, BX
	JZ	args
	MOVQ	·errnoLocation(SB), AX
	TESTQ	AX, AX
	JZ	args
	CALL	AX
	MOVL	$0, (AX)

args:
	// Reserve NStack words, keeping rsp 16-byte aligned at the call.
	MOVQ	FRAME_NSTACK(R12), CX
	MOVQ	CX, AX
	SHLQ	$3, AX
	SUBQ	AX, SP
	ANDQ	$~15, SP
	MOVQ	FRAME_STACK(R12), SI
	TESTQ	$4, BX // FlagStackAfter: the words follow the Frame
	JZ	copyinit
	LEAQ	FRAME_SIZE(R12), SI

copyinit:
	XORL	DX, DX

copy:
	CMPQ	DX, CX
	JAE	load
	MOVQ	(SI)(DX*8), AX
	MOVQ	AX, (SP)(DX*8)
	INCQ	DX
	JMP	copy

load:
	MOVQ	(FRAME_GPR+0)(R12), DI
	MOVQ	(FRAME_GPR+8)(R12), SI
	MOVQ	(FRAME_GPR+16)(R12), DX
	MOVQ	(FRAME_GPR+24)(R12), CX
	MOVQ	(FRAME_GPR+32)(R12), R8
	MOVQ	(FRAME_GPR+40)(R12), R9
	MOVSD	(FRAME_FPR+0)(R12), X0
	MOVSD	(FRAME_FPR+8)(R12), X1
	MOVSD	(FRAME_FPR+16)(R12), X2
	MOVSD	(FRAME_FPR+24)(R12), X3
	MOVSD	(FRAME_FPR+32)(R12), X4
	MOVSD	(FRAME_FPR+40)(R12), X5
	MOVSD	(FRAME_FPR+48)(R12), X6
	MOVSD	(FRAME_FPR+56)(R12), X7
	MOVQ	FRAME_AL(R12), AX
	MOVQ	FRAME_FN(R12), R11
	CALL	R11

	MOVQ	AX, R14
	MOVQ	DX, R15
	MOVSD	X0, -48(BP)
	MOVSD	X1, -56(BP)
	TESTQ	$1, BX
	JZ	top
	MOVQ	·errnoLocation(SB), AX
	TESTQ	AX, AX
	JZ	top
	CALL	AX
	MOVLQSX	(AX), AX
	MOVQ	AX, -64(BP)

top:
	TESTQ	$2, BX
	JNZ	store
	CALL	_cgo_topofstack(SB)
	SUBQ	R13, AX
	ADDQ	AX, R12

store:
	MOVQ	R14, (FRAME_RETGPR+0)(R12)
	MOVQ	R15, (FRAME_RETGPR+8)(R12)
	MOVQ	-48(BP), AX
	MOVQ	AX, (FRAME_RETFPR+0)(R12)
	MOVQ	-56(BP), AX
	MOVQ	AX, (FRAME_RETFPR+8)(R12)
	MOVQ	-64(BP), AX
	MOVQ	AX, FRAME_ERRNO(R12)

	LEAQ	-40(BP), SP
	POPQ	R15
	POPQ	R14
	POPQ	R13
	POPQ	R12
	POPQ	BX
	POPQ	BP
	XORL	AX, AX
	RET

// callCAddr holds the address of callC for runtime.cgocall.
DATA	·callCAddr+0(SB)/8, $callC<>(SB)
GLOBL	·callCAddr(SB), RODATA|NOPTR, $8

// topOfStackAddr holds the address of _cgo_topofstack for generated stubs.
DATA	·topOfStackAddr+0(SB)/8, $_cgo_topofstack(SB)
GLOBL	·topOfStackAddr(SB), RODATA|NOPTR, $8

// func asmcgocall(fn uintptr, f *Frame)
TEXT ·asmcgocall(SB), NOSPLIT, $24-16
	MOVQ	fn+0(FP), AX
	MOVQ	AX, 0(SP)
	MOVQ	f+8(FP), AX
	MOVQ	AX, 8(SP)
	CALL	runtime·asmcgocall(SB)
	RET
