#include "textflag.h"
#include "frame_win64.h"

// callC is a Microsoft x64 function: runtime·asmcgocall calls it on the
// system stack with the address of a heap Frame in CX. It copies the
// Frame's stack words onto the C stack (reserving at least the 32-byte
// shadow space), loads rcx rdx r8 r9 and xmm0..xmm3, calls Frame.Fn and
// stores rax rdx xmm0 xmm1 into the Frame.
//
// It keeps the Frame address in R12, callee-saved under the Microsoft
// convention (saved and restored here, as the stub's own caller expects).
TEXT callC<>(SB), NOSPLIT|NOFRAME, $0
	PUSHQ	BP
	MOVQ	SP, BP
	PUSHQ	R12
	MOVQ	CX, R12

	// Reserve max(NStack, 4) words, keeping rsp 16-byte aligned at the call.
	MOVQ	FRAME_NSTACK(R12), CX
	MOVQ	CX, AX
	CMPQ	AX, $4
	JAE	reserve
	MOVQ	$4, AX

reserve:
	SHLQ	$3, AX
	SUBQ	AX, SP
	ANDQ	$~15, SP
	MOVQ	FRAME_STACK(R12), R10
	XORL	R11, R11

copy:
	CMPQ	R11, CX
	JAE	load
	MOVQ	(R10)(R11*8), AX
	MOVQ	AX, (SP)(R11*8)
	INCQ	R11
	JMP	copy

load:
	MOVQ	(FRAME_GPR+0)(R12), CX
	MOVQ	(FRAME_GPR+8)(R12), DX
	MOVQ	(FRAME_GPR+16)(R12), R8
	MOVQ	(FRAME_GPR+24)(R12), R9
	MOVSD	(FRAME_FPR+0)(R12), X0
	MOVSD	(FRAME_FPR+8)(R12), X1
	MOVSD	(FRAME_FPR+16)(R12), X2
	MOVSD	(FRAME_FPR+24)(R12), X3
	MOVQ	FRAME_FN(R12), R11
	CALL	R11

	MOVQ	AX, (FRAME_RETGPR+0)(R12)
	MOVQ	DX, (FRAME_RETGPR+8)(R12)
	MOVSD	X0, (FRAME_RETFPR+0)(R12)
	MOVSD	X1, (FRAME_RETFPR+8)(R12)

	LEAQ	-8(BP), SP
	POPQ	R12
	POPQ	BP
	XORL	AX, AX
	RET

// callCAddr holds the address of callC for runtime.cgocall.
DATA	·callCAddr+0(SB)/8, $callC<>(SB)
GLOBL	·callCAddr(SB), RODATA|NOPTR, $8

// topOfStackAddr holds the address of the runtime's _cgo_topofstack (the
// current goroutine's stack top; it exists without cgo too) for generated
// stubs.
DATA	·topOfStackAddr+0(SB)/8, $_cgo_topofstack(SB)
GLOBL	·topOfStackAddr(SB), RODATA|NOPTR, $8
