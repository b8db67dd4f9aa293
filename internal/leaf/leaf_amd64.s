//go:build linux

#include "textflag.h"
#include "go_asm.h"
#include "leaf_amd64.h"

// CALL_UNRECORDED is empty: enter's done returns the unrecorded word
// (CLAIM).
#define CALL_UNRECORDED

// CLAIMED registers the entry just claimed (R11) for release when the
// thread exits (exitRegister).
#define CLAIMED CALL exitRegister<>(SB)

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

// callLeaf is a System V function that runtime·asmcgocall calls on the
// system stack with DI pointing to (fn, frame, name). It records name as
// the thread's leaf call (enter), calls fn(frame), and clears the record.
//
// Kept across the call of fn (callee-saved): R12 the word to clear, R13
// the argument block.
TEXT callLeaf<>(SB), NOSPLIT|NOFRAME, $0
	PUSHQ	BP
	MOVQ	SP, BP
	PUSHQ	R12
	PUSHQ	R13
	MOVQ	DI, R13
	MOVQ	16(R13), DI
	CALL	enter<>(SB)
	MOVQ	AX, R12
	MOVQ	8(R13), DI
	MOVQ	0(R13), AX
	CALL	AX
	MOVQ	$0, (R12)
	POPQ	R13
	POPQ	R12
	POPQ	BP
	XORL	AX, AX
	RET

// enter records DI (a *string naming the bound function) as the leaf call
// of the current thread: it finds the thread's entry (claiming one on the
// thread's first leaf call), stores DI as its name and returns in AX the
// address of that name word, which the caller sets to 0 when the C
// function returns. If the thread's window is full it returns the address
// of unrecorded instead (the call runs unrecorded).
//
// It is called on the system stack (callLeaf, and compiled leaf stubs:
// EnterPC) and keeps the System V callee-saved registers; it uses AX, CX
// and R8-R11, and on a thread's first leaf call (exitRegister, a C call)
// all the registers C may change.
//
// The thread identity is the g in thread-local storage: asmcgocall has
// just made it the M's g0, and C code does not change it.
TEXT enter<>(SB), NOSPLIT|NOFRAME, $0
	MOVQ	TLS, AX
	MOVQ	0(AX)(TLS*1), AX
	HASH(AX, R8, CX)
	LEAQ	·threads(SB), R11
	ADDQ	R8, R11
	CMPQ	thread_key(R11), AX
	JNE	claim

record:
	MOVQ	DI, thread_name(R11)
	LEAQ	thread_name(R11), AX
	RET

done:
	LEAQ	·unrecorded(SB), AX
	RET

	// Slow path (leaf_amd64.h).
	CLAIM(R11)

// exitRegister is called by enter with R11 the entry the thread has just
// claimed: if the table's thread key exists (exit.go), it stores R11 as
// the thread's value of the key, pthread_setspecific(exitKey, R11), so
// that release runs with it when the thread exits. It keeps DI and R11.
// rsp is 0 mod 16 at its entry (enter's entry is 8 mod 16, as for any C
// function, and enter pushes nothing), so after the two pushes the call
// of pthread_setspecific is aligned as C requires.
TEXT exitRegister<>(SB), NOSPLIT|NOFRAME, $0
	MOVQ	·setspecific(SB), AX
	TESTQ	AX, AX
	JZ	none
	PUSHQ	DI
	PUSHQ	R11
	MOVQ	·exitKey(SB), DI
	MOVQ	R11, SI
	CALL	AX
	POPQ	R11
	POPQ	DI
none:
	RET

// release is the thread key's destructor (exit.go): the C library calls
// it (System V) as a thread that claimed an entry exits, with the entry in
// DI. It marks the entry released, so a later thread may claim it. Only
// the exiting thread writes its own entry, and it is not inside a leaf
// call.
TEXT release<>(SB), NOSPLIT|NOFRAME, $0
	MOVQ	$const_released, thread_key(DI)
	RET

// guard is what the callback entry calls instead of crosscall2, with
// crosscall2's arguments (DI fn, SI frame, DX n, CX ctxt, all left
// untouched). Until some thread has claimed an entry it jumps straight to
// crosscall2. Otherwise it looks up the current thread's entry; if the
// thread is inside a leaf call, it calls misuse(frame, name), which ends
// the process. It uses only AX and R8-R11, which crosscall2 does not take.
TEXT guard<>(SB), NOSPLIT|NOFRAME, $0
	CMPB	·used(SB), $0
	JNE	check
	JMP	crosscall2(SB)

check:
	MOVQ	TLS, R11
	MOVQ	0(R11)(TLS*1), R11
	TESTQ	R11, R11
	JEQ	pass
	HASH(R11, R8, R10)
	MOVL	$const_probes, R9

find:
	LEAQ	·threads(SB), R10
	ADDQ	R8, R10
	MOVQ	thread_key(R10), AX
	CMPQ	AX, R11
	JEQ	found
	TESTQ	AX, AX
	JEQ	pass
	ADDQ	$thread__size, R8
	ANDQ	$MASK, R8
	DECL	R9
	JNZ	find

pass:
	JMP	crosscall2(SB)

found:
	MOVQ	thread_name(R10), AX
	TESTQ	AX, AX
	JEQ	pass
	// Inside a leaf call: misuse(frame, name) on this (system) stack,
	// called at its Go register-ABI entry (misusePC) so that no ABI
	// wrapper runs first (under -race a wrapper would report to the race
	// detector, which has no context on the system stack). The register
	// ABI takes the arguments in AX and BX with 16 bytes reserved above
	// the return address for spilling them, g in R14 (the M's g0, from
	// thread-local storage) and zero in X15. It does not return.
	MOVQ	AX, BX
	MOVQ	SI, AX
	MOVQ	TLS, R14
	MOVQ	0(R14)(TLS*1), R14
	XORPS	X15, X15
	MOVQ	·misusePC(SB), R10
	SUBQ	$16, SP
	CALL	R10
	INT	$3

// noop is a System V function that returns at once (see race.go).
TEXT noop<>(SB), NOSPLIT|NOFRAME, $0
	RET

DATA	·guardAddr+0(SB)/8, $guard<>(SB)
GLOBL	·guardAddr(SB), RODATA|NOPTR, $8
DATA	·noopAddr+0(SB)/8, $noop<>(SB)
GLOBL	·noopAddr(SB), RODATA|NOPTR, $8

// func writeErr(p *byte, n int)
TEXT ·writeErr(SB), NOSPLIT, $0-16
	MOVQ	$2, DI
	MOVQ	p+0(FP), SI
	MOVQ	n+8(FP), DX
	MOVQ	$1, AX // write
	SYSCALL
	RET

// func exit2()
TEXT ·exit2(SB), NOSPLIT, $0-0
	MOVQ	$2, DI
	MOVQ	$231, AX // exit_group
	SYSCALL
	INT	$3
DATA	·stubPC+0(SB)/8, $callLeaf<>(SB)
GLOBL	·stubPC(SB), RODATA|NOPTR, $8
DATA	·enterPC+0(SB)/8, $enter<>(SB)
GLOBL	·enterPC(SB), RODATA|NOPTR, $8
DATA	·releasePC+0(SB)/8, $release<>(SB)
GLOBL	·releasePC(SB), RODATA|NOPTR, $8
