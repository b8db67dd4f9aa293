//go:build !cgo && (linux || darwin)

#include "textflag.h"

// bindm is the runtime's _cgo_bindm hook: runtime·asmcgocall calls it on
// the system stack as a System V function, with the thread's g0 in DI. It
// tail-calls pthread_setspecific(key, g0), so the key's destructor gets g0
// when the thread exits.
TEXT ·bindm(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ	DI, SI
	MOVQ	·key(SB), DI
	MOVQ	·setspecific(SB), AX
	JMP	AX

// destructor is the key's destructor: the C library calls it (System V) as
// a thread with a bound M exits, with the g0 bindm stored in DI. It
// tail-calls crosscall2(NULL, g0, 0, 0), which runtime·cgocallback reads as
// "restore this g and drop the M" (the path runtime/cgo's destructor takes).
TEXT ·destructor(SB), NOSPLIT|NOFRAME, $0-0
	MOVQ	DI, SI
	XORL	DI, DI
	XORL	DX, DX
	XORL	CX, CX
	MOVQ	·crosscall2(SB), AX
	JMP	AX

// func bindmAddr() unsafe.Pointer
TEXT ·bindmAddr(SB), NOSPLIT, $0-8
	LEAQ	·bindm(SB), AX
	MOVQ	AX, ret+0(FP)
	RET

// func destructorPC() uintptr
TEXT ·destructorPC(SB), NOSPLIT, $0-8
	LEAQ	·destructor(SB), AX
	MOVQ	AX, ret+0(FP)
	RET
