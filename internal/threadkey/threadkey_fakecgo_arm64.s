//go:build !cgo && (linux || darwin)

#include "textflag.h"

// bindm is the runtime's _cgo_bindm hook: runtime·asmcgocall calls it on
// the system stack as an AAPCS64 function, with the thread's g0 in R0. It
// tail-calls pthread_setspecific(key, g0), so the key's destructor gets g0
// when the thread exits.
TEXT ·bindm(SB), NOSPLIT|NOFRAME, $0-0
	MOVD	R0, R1
	MOVD	·key(SB), R0
	MOVD	·setspecific(SB), R16
	JMP	(R16)

// destructor is the key's destructor: the C library calls it (AAPCS64) as
// a thread with a bound M exits, with the g0 bindm stored in R0. It
// tail-calls crosscall2(NULL, g0, 0, 0), which runtime·cgocallback reads as
// "restore this g and drop the M" (the path runtime/cgo's destructor takes).
TEXT ·destructor(SB), NOSPLIT|NOFRAME, $0-0
	MOVD	R0, R1
	MOVD	$0, R0
	MOVD	$0, R2
	MOVD	$0, R3
	MOVD	·crosscall2(SB), R16
	JMP	(R16)

// func bindmAddr() unsafe.Pointer
TEXT ·bindmAddr(SB), NOSPLIT, $0-8
	MOVD	$·bindm(SB), R0
	MOVD	R0, ret+0(FP)
	RET

// func destructorPC() uintptr
TEXT ·destructorPC(SB), NOSPLIT, $0-8
	MOVD	$·destructor(SB), R0
	MOVD	R0, ret+0(FP)
	RET
