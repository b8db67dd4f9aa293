//go:build linux

#include "textflag.h"
#include "go_asm.h"

// HASH(key, dst, tmp) sets dst to the byte offset in threads of key's
// first entry: Fibonacci hashing, the top tableBits bits of key*2^64/phi.
#define HASH(key, dst, tmp) \
	MOVD	$0x9E3779B97F4A7C15, tmp \
	MUL	key, tmp, dst \
	LSR	$(64-const_tableBits), dst, dst \
	LSL	$6, dst, dst

#define MASK (((1<<const_tableBits)-1)*thread__size)

// func call(fn uintptr, frame unsafe.Pointer, name *string)
//
// Runs callLeaf on the system stack with the address of its own three
// arguments (fn, frame, name: consecutive words) as the argument block.
TEXT ·call(SB), NOSPLIT, $32-24
	MOVD	$callLeaf<>(SB), R0
	MOVD	R0, 8(RSP)
	MOVD	$fn+0(FP), R0
	MOVD	R0, 16(RSP)
	BL	runtime·asmcgocall(SB)
	RET

// callLeaf is an AAPCS64 function that runtime·asmcgocall calls on the
// system stack with R0 pointing to (fn, frame, name) and g (R28) set to
// the M's g0. It records name as the thread's leaf call (enter), calls
// fn(frame), and clears the record.
//
// Its frame (32 bytes): 0(RSP) x29, x30; 16(RSP) x19, x20. Kept across
// the call of fn (callee-saved): R19 the word to clear, R20 the argument
// block.
TEXT callLeaf<>(SB), NOSPLIT|NOFRAME, $0
	STP.W	(R29, R30), -32(RSP)
	MOVD	RSP, R29
	STP	(R19, R20), 16(RSP)
	MOVD	R0, R20
	MOVD	16(R20), R0
	BL	enter<>(SB)
	MOVD	R0, R19
	MOVD	8(R20), R0
	MOVD	0(R20), R9
	BL	(R9)
	MOVD	ZR, (R19)
	LDP	16(RSP), (R19, R20)
	LDP.P	32(RSP), (R29, R30)
	MOVD	$0, R0
	RET

// enter records R0 (a *string naming the bound function) as the leaf call
// of the current thread: it finds the thread's entry (claiming one on the
// thread's first leaf call), stores g (the M's g0, for the guard) and R0
// as its name, and returns in R0 the address of that name word, which the
// caller sets to 0 when the C function returns. If the thread's window is
// full it returns the address of unrecorded instead (the call runs
// unrecorded). The thread identity is the thread pointer TPIDR_EL0.
//
// It is called on the system stack (callLeaf, and compiled leaf stubs:
// EnterPC) with g the M's g0, as an AAPCS64 function that uses only R0-R6
// and R10 (never R27, the assembler's scratch register, which is
// callee-saved in C), except on a thread's first leaf call, when it calls
// pthread_setspecific and may change every register C may change.
TEXT enter<>(SB), NOSPLIT|NOFRAME, $0
	MRS	TPIDR_EL0, R1
	HASH(R1, R3, R2)
	MOVD	$·threads(SB), R10
	ADD	R3, R10, R10
	MOVD	thread_key(R10), R4
	CMP	R1, R4
	BNE	claim

record:
	MOVD	g, thread_g(R10)
	MOVD	R0, thread_name(R10)
	ADD	$thread_name, R10, R0
	RET

	// Slow path. First probe the thread's window for its own entry, up to
	// the first never used one (entries are claimed in window order and
	// never become unused again, so the thread's own entry cannot lie
	// beyond it). Else claim the first entry that is unused or released
	// (const_released: its thread has exited) with an exclusive
	// load/store pair, and register it for release at thread exit
	// (exit_linux.go). R1 key, R3 offset, R5 entries left.
claim:
	MOVD	$const_probes, R5

find:
	MOVD	$·threads(SB), R10
	ADD	R3, R10, R10
	MOVD	thread_key(R10), R4
	CMP	R1, R4
	BEQ	record
	CBZ	R4, free
	ADD	$thread__size, R3, R3
	AND	$MASK, R3, R3
	SUBS	$1, R5, R5
	BNE	find

free:
	HASH(R1, R3, R2)
	MOVD	$const_probes, R5

probe:
	MOVD	$·threads(SB), R10
	ADD	R3, R10, R10
	MOVD	thread_key(R10), R4
	CMP	$const_released, R4
	BHI	next

cas:
	LDAXR	(R10), R4
	CMP	$const_released, R4
	BHI	next
	STLXR	R1, (R10), R6
	CBNZ	R6, cas
	MOVD	$·used(SB), R6
	MOVD	$1, R4
	MOVB	R4, (R6)

	// Register the entry: pthread_setspecific(exitKey, R10), if the key
	// exists, keeping R0 (the name), R10 and the link register; g (R28)
	// is callee-saved in C. This call may change every register C may
	// change.
	MOVD	$·setspecific(SB), R6
	MOVD	(R6), R6
	CBZ	R6, record
	STP.W	(R29, R30), -32(RSP)
	MOVD	RSP, R29
	STP	(R0, R10), 16(RSP)
	MOVD	$·exitKey(SB), R2
	MOVD	(R2), R0
	MOVD	R10, R1
	BL	(R6)
	LDP	16(RSP), (R0, R10)
	LDP.P	32(RSP), (R29, R30)
	B	record

next:
	ADD	$thread__size, R3, R3
	AND	$MASK, R3, R3
	SUBS	$1, R5, R5
	BNE	probe

	// No entry can be claimed: the call runs unrecorded.
	MOVD	$·unrecorded(SB), R0
	RET

// release is the thread key's destructor (exit_linux.go): the C library
// calls it (AAPCS64) as a thread that claimed an entry exits, with the
// entry in R0. It marks the entry released, so a later thread may claim
// it. Only the exiting thread writes its own entry, and it is not inside
// a leaf call.
TEXT release<>(SB), NOSPLIT|NOFRAME, $0
	MOVD	$const_released, R1
	MOVD	R1, thread_key(R0)
	RET

// guard is what the callback entry calls instead of crosscall2, with
// crosscall2's arguments (R0 fn, R1 frame, R2 n, R3 ctxt, and the link
// register, all left untouched). Until some thread has claimed an entry it
// jumps straight to crosscall2. Otherwise it looks up the current thread's
// entry; if the thread is inside a leaf call, it calls misuse(frame,
// name), which ends the process. It uses only R9-R14, which crosscall2
// does not take (and never R27, the assembler's scratch register, which
// the C caller expects preserved).
TEXT guard<>(SB), NOSPLIT|NOFRAME, $0
	// Globals are addressed through R9 itself: a load such as
	// MOVBU ·used(SB), R9 makes the assembler use R27 (REGTMP), which is
	// callee-saved in the C convention of our caller.
	MOVD	$·used(SB), R9
	MOVBU	(R9), R9
	CBNZ	R9, check
	B	crosscall2(SB)

check:
	MRS	TPIDR_EL0, R10
	HASH(R10, R11, R9)
	MOVD	$const_probes, R12

find:
	MOVD	$·threads(SB), R13
	ADD	R11, R13, R13
	MOVD	thread_key(R13), R14
	CMP	R10, R14
	BEQ	found
	CBZ	R14, pass
	ADD	$thread__size, R11, R11
	AND	$MASK, R11, R11
	SUBS	$1, R12, R12
	BNE	find

pass:
	B	crosscall2(SB)

found:
	MOVD	thread_name(R13), R14
	CBZ	R14, pass
	// Inside a leaf call: misuse(frame, name) on this (system) stack,
	// called at its Go register-ABI entry (misusePC) so that no ABI
	// wrapper runs first (under -race a wrapper would report to the race
	// detector, which has no context on the system stack). The register
	// ABI takes the arguments in R0 and R1 with 16 bytes reserved above
	// the saved link register for spilling them, and g in R28: the M's g0
	// recorded by the leaf call, since C code may have used R28. It does
	// not return.
	MOVD	R1, R0
	MOVD	R14, R1
	MOVD	thread_g(R13), g
	MOVD	$·misusePC(SB), R9
	MOVD	(R9), R9
	SUB	$32, RSP, RSP
	BL	(R9)
	BRK

// noop is an AAPCS64 function that returns at once (see race.go).
TEXT noop<>(SB), NOSPLIT|NOFRAME, $0
	RET

DATA	·guardAddr+0(SB)/8, $guard<>(SB)
GLOBL	·guardAddr(SB), RODATA|NOPTR, $8
DATA	·noopAddr+0(SB)/8, $noop<>(SB)
GLOBL	·noopAddr(SB), RODATA|NOPTR, $8

// func writeErr(p *byte, n int)
TEXT ·writeErr(SB), NOSPLIT, $0-16
	MOVD	$2, R0
	MOVD	p+0(FP), R1
	MOVD	n+8(FP), R2
	MOVD	$64, R8 // write
	SVC
	RET

// func exit2()
TEXT ·exit2(SB), NOSPLIT, $0-0
	MOVD	$2, R0
	MOVD	$94, R8 // exit_group
	SVC
	BRK
DATA	·stubPC+0(SB)/8, $callLeaf<>(SB)
GLOBL	·stubPC(SB), RODATA|NOPTR, $8
DATA	·enterPC+0(SB)/8, $enter<>(SB)
GLOBL	·enterPC(SB), RODATA|NOPTR, $8
DATA	·releasePC+0(SB)/8, $release<>(SB)
GLOBL	·releasePC(SB), RODATA|NOPTR, $8
