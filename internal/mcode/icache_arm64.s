//go:build !darwin

#include "textflag.h"

// func syncICache(addr, n uintptr)
//
// The Go assembler has no IC instruction, and the DC and IC forms used here
// are spelled as WORDs with their A64 assembly beside them:
//	dc cvau, x6 = 0xd50b7b26 (SYS #3, C7, C11, #1, x6)
//	ic ivau, x6 = 0xd50b7526 (SYS #3, C7, C5, #1, x6)
TEXT ·syncICache(SB), NOSPLIT, $0-16
	MOVD	addr+0(FP), R0
	MOVD	n+8(FP), R1
	ADD	R0, R1, R1              // R1 = end
	MRS	CTR_EL0, R2
	MOVD	$4, R4

	// Data cache: line = 4 << CTR_EL0.DminLine (bits 19:16) bytes.
	UBFX	$16, R2, $4, R3
	LSL	R3, R4, R3              // R3 = line size
	SUB	$1, R3, R5
	BIC	R5, R0, R6              // R6 = addr rounded down to a line
dline:
	WORD	$0xd50b7b26             // dc cvau, x6
	ADD	R3, R6, R6
	CMP	R1, R6
	BLO	dline
	DSB	$11                     // dsb ish: cleaned before invalidating

	// Instruction cache: line = 4 << CTR_EL0.IminLine (bits 3:0) bytes.
	AND	$15, R2, R3
	LSL	R3, R4, R3
	SUB	$1, R3, R5
	BIC	R5, R0, R6
iline:
	WORD	$0xd50b7526             // ic ivau, x6
	ADD	R3, R6, R6
	CMP	R1, R6
	BLO	iline
	DSB	$11                     // dsb ish: invalidation done on all cores
	ISB	$15                     // isb: this core fetches anew
	RET
