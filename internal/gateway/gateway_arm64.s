#include "textflag.h"

// func crosscall2Addr() uintptr
TEXT ·crosscall2Addr(SB), NOSPLIT, $0-8
	MOVD	$crosscall2(SB), R0
	MOVD	R0, ret+0(FP)
	RET
