#include "textflag.h"
#include "go_asm.h"
#include "leaf_amd64.h"

// CALL_UNRECORDED calls fn(frame) of the argument block at R13 (CLAIM).
#define CALL_UNRECORDED CALL callFn<>(SB)

// CLAIMED registers the entry just claimed (R12) for release when the
// thread exits (exitRegister).
#define CLAIMED CALL exitRegister<>(SB)

// The Microsoft x64 counterpart of leaf_amd64.s: the same thread table, the
// same thread identity (the g in thread-local storage, which on Windows is
// reached through a TLS slot of the TEB that may be 0), Microsoft x64
// registers and shadow space for the C side.

// GETG(r) sets r to the g in thread-local storage, or 0 if the runtime has
// never entered this thread (or has let go of it): r is first the TLS
// slot's value, the address of the M's g cell.
#define GETG(r) \
	MOVQ	TLS, r \
	TESTQ	r, r \
	JEQ	2(PC) \
	MOVQ	0(r)(TLS*1), r

// func call(fn uintptr, frame unsafe.Pointer, name *string)
//
// Runs callLeaf on the system stack with the address of its own three
// arguments (fn, frame, name: consecutive words) as the argument block.
TEXT ·call(SB), NOSPLIT, $24-24
	MOVQ	$callLeaf<>(SB), AX
	MOVQ	AX, 0(SP)
	LEAQ	fn+0(FP), AX
	MOVQ	AX, 8(SP)
	CALL	runtime·asmcgocall(SB)
	RET

// callLeaf is a Microsoft x64 function that runtime·asmcgocall calls on the
// system stack with CX pointing to (fn, frame, name). It finds the thread's
// entry (claiming one on the thread's first leaf call), stores name in it,
// calls fn(frame) (frame in CX, 32 bytes of shadow space, rsp 16-byte
// aligned) and clears the name.
//
// Kept across the call of fn (callee-saved): R12 the entry (0 if the
// thread has none), R13 the argument block.
TEXT callLeaf<>(SB), NOSPLIT|NOFRAME, $0
	PUSHQ	BP
	MOVQ	SP, BP
	PUSHQ	R12
	PUSHQ	R13
	MOVQ	CX, R13
	// asmcgocall has just made the M's g0 the g in thread-local storage.
	GETG(AX)
	HASH(AX, R8, CX)
	LEAQ	·threads(SB), R12
	ADDQ	R8, R12
	CMPQ	thread_key(R12), AX
	JNE	claim

record:
	MOVQ	16(R13), CX
	MOVQ	CX, thread_name(R12)
	CALL	callFn<>(SB)
	MOVQ	$0, thread_name(R12)

done:
	LEAQ	-16(BP), SP
	POPQ	R13
	POPQ	R12
	POPQ	BP
	XORL	AX, AX
	RET

	// Slow path (leaf_amd64.h).
	CLAIM(R12)

// exitRegister is called by callLeaf with R12 the entry the thread has
// just claimed: if the table's fiber-local storage index exists
// (exit_windows_amd64.go), it stores R12 as the thread's value of it,
// FlsSetValue(exitKey, R12), so that release runs with it when the thread
// exits. It keeps R12 and R13 (callee-saved in Microsoft x64). rsp is 8
// mod 16 at its entry (callLeaf's three pushes leave it 16-byte aligned
// at the call), so 40 bytes (32 of shadow space) align the C call.
TEXT exitRegister<>(SB), NOSPLIT|NOFRAME, $0
	MOVQ	·flsSetValue(SB), AX
	TESTQ	AX, AX
	JZ	none
	SUBQ	$40, SP
	MOVQ	·exitKey(SB), CX
	MOVQ	R12, DX
	CALL	AX
	ADDQ	$40, SP
none:
	RET

// release is the fiber-local storage callback (exit_windows_amd64.go):
// Windows calls it (Microsoft x64) as a thread that claimed an entry
// exits, with the entry in CX. It marks the entry released, so a later
// thread may claim it. Only the exiting thread writes its own entry, and
// it is not inside a leaf call.
TEXT release<>(SB), NOSPLIT|NOFRAME, $0
	MOVQ	$const_released, thread_key(CX)
	RET

// callFn calls fn(frame) of the argument block at R13 with the Microsoft
// x64 convention: frame in CX, rsp 16-byte aligned at the call with 32
// bytes of shadow space above it. It keeps R12 and R13 (callee-saved).
TEXT callFn<>(SB), NOSPLIT|NOFRAME, $0
	PUSHQ	BP
	MOVQ	SP, BP
	ANDQ	$~15, SP
	LEAQ	-32(SP), SP
	MOVQ	8(R13), CX
	MOVQ	0(R13), AX
	CALL	AX
	MOVQ	BP, SP
	POPQ	BP
	RET

// guard is what the callback entry calls instead of the gateway's C-to-Go
// function (·target), with its Microsoft x64 arguments (CX fn, DX frame,
// R8 n, R9 ctxt, all left as they are, as are rsp and the shadow space
// above the return address). Until some thread has claimed an entry it
// jumps straight to ·target. Otherwise it looks up the current thread's
// entry; if the thread is inside a leaf call, it calls misuse(frame,
// name), which ends the process. It uses AX, R10 and R11, which are
// volatile and carry no argument, and R8, which it restores.
TEXT guard<>(SB), NOSPLIT|NOFRAME, $0
	CMPB	·used(SB), $0
	JNE	check
	MOVQ	·target(SB), AX
	JMP	AX

check:
	GETG(R11)
	TESTQ	R11, R11
	JEQ	pass
	HASH(R11, AX, R10)
	PUSHQ	R8
	MOVL	$const_probes, R8

find:
	LEAQ	·threads(SB), R10
	ADDQ	AX, R10
	CMPQ	thread_key(R10), R11
	JEQ	found
	CMPQ	thread_key(R10), $0
	JEQ	popPass
	ADDQ	$thread__size, AX
	ANDQ	$MASK, AX
	DECL	R8
	JNZ	find

popPass:
	POPQ	R8

pass:
	MOVQ	·target(SB), AX
	JMP	AX

found:
	MOVQ	thread_name(R10), AX
	TESTQ	AX, AX
	JEQ	popPass
	// Inside a leaf call: misuse(frame, name) on this (system) stack,
	// called at its Go register-ABI entry (misusePC) so that no ABI
	// wrapper runs first. The register ABI takes the arguments in AX and
	// BX with 16 bytes reserved above the return address for spilling
	// them, g in R14 (the M's g0, which R11 holds) and zero in X15. It
	// does not return.
	MOVQ	AX, BX
	MOVQ	DX, AX
	MOVQ	R11, R14
	XORPS	X15, X15
	ANDQ	$~15, SP
	MOVQ	·misusePC(SB), R10
	SUBQ	$16, SP
	CALL	R10
	INT	$3

// noop is a Microsoft x64 function that returns at once (see race.go).
TEXT noop<>(SB), NOSPLIT|NOFRAME, $0
	RET

DATA	·guardAddr+0(SB)/8, $guard<>(SB)
GLOBL	·guardAddr(SB), RODATA|NOPTR, $8
DATA	·noopAddr+0(SB)/8, $noop<>(SB)
GLOBL	·noopAddr(SB), RODATA|NOPTR, $8

// func writeErr(p *byte, n int)
//
// WriteFile(stderrHandle, p, n, &written, NULL), on an aligned stack with
// shadow space; rbp keeps the Go stack pointer.
TEXT ·writeErr(SB), NOSPLIT, $0-16
	MOVQ	p+0(FP), DX
	MOVQ	n+8(FP), R8
	PUSHQ	BP
	MOVQ	SP, BP
	ANDQ	$~15, SP
	LEAQ	-64(SP), SP
	MOVQ	·stderrHandle(SB), CX
	LEAQ	48(SP), R9
	MOVQ	$0, 32(SP)
	MOVQ	·writeFileAddr(SB), AX
	CALL	AX
	MOVQ	BP, SP
	POPQ	BP
	RET

// func exit2()
//
// ExitProcess(2), on an aligned stack with shadow space.
TEXT ·exit2(SB), NOSPLIT, $0-0
	ANDQ	$~15, SP
	LEAQ	-32(SP), SP
	MOVQ	$2, CX
	MOVQ	·exitProcessAddr(SB), AX
	CALL	AX
	INT	$3

DATA	·stubPC+0(SB)/8, $callLeaf<>(SB)
GLOBL	·stubPC(SB), RODATA|NOPTR, $8
DATA	·releasePC+0(SB)/8, $release<>(SB)
GLOBL	·releasePC(SB), RODATA|NOPTR, $8
