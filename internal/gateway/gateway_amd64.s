//go:build !windows

#include "textflag.h"

// func crosscall2Addr() uintptr
TEXT ·crosscall2Addr(SB), NOSPLIT, $0-8
	MOVQ $crosscall2(SB), AX
	MOVQ AX, ret+0(FP)
	RET
