//go:build arm64 && (linux || darwin)

#include "textflag.h"
#include "frame_arm64.h"

// callC is an AAPCS64 function: runtime·asmcgocall calls it on the system
// stack with the address of a Frame in R0. It copies the Frame's stack
// words onto the C stack, loads x0..x8 and d0..d7, calls Frame.Fn and
// stores x0 x1 d0..d3 into the Frame.
//
// The Frame may live on a goroutine stack. If the C function calls back into
// Go, that stack can grow and be copied elsewhere, so the Frame address held
// here goes stale. As cgo's own wrappers do, the stub asks _cgo_topofstack
// (the current goroutine's stack top) before and after the call and moves
// the Frame address by the difference.
//
// Its own frame (96 bytes, sp 16-byte aligned throughout):
//	0(RSP) x29, x30   16(RSP) x19, x20   32(RSP) x21, x22
//	48(RSP) d0, d1 and 64(RSP) d2, d3 results while _cgo_topofstack runs
//	80(RSP) x23, 88(RSP) errno
// Registers kept across the call (callee-saved in the C ABI): R19 Frame
// address, R20 stack top before the call, R21/R22 the x0/x1 results, R23
// the Frame's Flags.
//
// With FlagLeaf (a leaf call: no callback can run, so the stack cannot
// move) the stub does not ask for the stack top.
//
// With FlagErrno, errno (found through errnoLocation, the C library's
// __errno_location) is cleared before the call and read right after it,
// on this thread, before anything else can change it.
TEXT callC<>(SB), NOSPLIT|NOFRAME, $0
	STP.W	(R29, R30), -96(RSP)
	MOVD	RSP, R29
	STP	(R19, R20), 16(RSP)
	STP	(R21, R22), 32(RSP)
	MOVD	R0, R19
	MOVD	R23, 80(RSP)
	MOVD	ZR, 88(RSP)
	MOVD	FRAME_FLAGS(R19), R23
	TBNZ	$1, R23, errno // FlagLeaf: the stack cannot move
	BL	_cgo_topofstack(SB)
	MOVD	R0, R20

errno:
	TBZ	$0, R23, args
	MOVD	·errnoLocation(SB), R9
	CBZ	R9, args
	BL	(R9)
	MOVW	ZR, (R0)

args:
	// Reserve NStack words, keeping sp 16-byte aligned at the call.
	MOVD	FRAME_NSTACK(R19), R1
	LSL	$3, R1, R2
	MOVD	RSP, R3
	SUB	R2, R3, R3
	AND	$~15, R3, R3
	MOVD	R3, RSP
	MOVD	FRAME_STACK(R19), R4
	TBZ	$2, R23, copyinit // FlagStackAfter: the words follow the Frame
	ADD	$FRAME_SIZE, R19, R4

copyinit:
	MOVD	$0, R5

copy:
	CMP	R1, R5
	BHS	load
	MOVD	(R4)(R5<<3), R6
	MOVD	R6, (R3)(R5<<3)
	ADD	$1, R5, R5
	B	copy

load:
	LDP	(FRAME_GPR+0)(R19), (R0, R1)
	LDP	(FRAME_GPR+16)(R19), (R2, R3)
	LDP	(FRAME_GPR+32)(R19), (R4, R5)
	LDP	(FRAME_GPR+48)(R19), (R6, R7)
	MOVD	(FRAME_GPR+64)(R19), R8
	FLDPD	(FRAME_FPR+0)(R19), (F0, F1)
	FLDPD	(FRAME_FPR+16)(R19), (F2, F3)
	FLDPD	(FRAME_FPR+32)(R19), (F4, F5)
	FLDPD	(FRAME_FPR+48)(R19), (F6, F7)
	MOVD	FRAME_FN(R19), R9
	BL	(R9)

	MOVD	R0, R21
	MOVD	R1, R22
	MOVD	R29, RSP
	FSTPD	(F0, F1), 48(RSP)
	FSTPD	(F2, F3), 64(RSP)
	TBZ	$0, R23, top
	MOVD	·errnoLocation(SB), R9
	CBZ	R9, top
	BL	(R9)
	MOVW	(R0), R0
	MOVD	R0, 88(RSP)

top:
	TBNZ	$1, R23, store
	BL	_cgo_topofstack(SB)
	SUB	R20, R0, R0
	ADD	R0, R19, R19

store:
	STP	(R21, R22), FRAME_RETGPR(R19)
	LDP	48(RSP), (R2, R3)
	STP	(R2, R3), (FRAME_RETFPR+0)(R19)
	LDP	64(RSP), (R2, R3)
	STP	(R2, R3), (FRAME_RETFPR+16)(R19)
	MOVD	88(RSP), R2
	MOVD	R2, FRAME_ERRNO(R19)
	MOVD	80(RSP), R23

	LDP	16(RSP), (R19, R20)
	LDP	32(RSP), (R21, R22)
	LDP.P	96(RSP), (R29, R30)
	MOVD	$0, R0
	RET

// callCAddr holds the address of callC for runtime.cgocall.
DATA	·callCAddr+0(SB)/8, $callC<>(SB)
GLOBL	·callCAddr(SB), RODATA|NOPTR, $8

// topOfStackAddr holds the address of _cgo_topofstack for generated stubs.
DATA	·topOfStackAddr+0(SB)/8, $_cgo_topofstack(SB)
GLOBL	·topOfStackAddr(SB), RODATA|NOPTR, $8

// func asmcgocall(fn uintptr, f *Frame)
TEXT ·asmcgocall(SB), NOSPLIT, $16-16
	MOVD	fn+0(FP), R0
	MOVD	R0, 8(RSP)
	MOVD	f+8(FP), R0
	MOVD	R0, 16(RSP)
	BL	runtime·asmcgocall(SB)
	RET
