// Package abi describes where the arguments and the result of a C function
// live under a calling convention. Each convention (sysv, aapcs64, win64) has
// its own subpackage with a Classify function that turns a C function type
// into a Plan; the callback dispatcher and the downcall path both read Plans.
// Nothing here depends on the host: every host can test every convention.
package abi

import "github.com/seed5ca82032/ffi/internal/ctype"

// Loc is the kind of storage one Part of a value occupies.
type Loc uint8

const (
	// GPR is an integer register; Part.Index is its argument number
	// (System V: 0=rdi 1=rsi 2=rdx 3=rcx 4=r8 5=r9; results: 0=rax 1=rdx).
	GPR Loc = iota + 1
	// FPR is a floating-point/vector register; Part.Index is its number
	// (System V: xmm0..xmm7 for arguments, xmm0..xmm1 for results).
	FPR
	// Stack is a stack slot; Part.Index is the byte offset from the first
	// stack argument (the caller's rsp at the call, past the return address).
	Stack
)

// String returns "gpr", "fpr" or "stack".
func (l Loc) String() string {
	switch l {
	case GPR:
		return "gpr"
	case FPR:
		return "fpr"
	case Stack:
		return "stack"
	}
	return "loc?"
}

// Part is one piece of a value: Size bytes taken from byte Offset of the
// value's C representation, carried in Loc number Index. A scalar has one
// Part; a small struct has one per eightbyte; a struct passed in memory on
// the stack has one Stack Part covering the whole struct.
type Part struct {
	Loc    Loc
	Index  int // register number, or stack byte offset for Stack
	Offset int // byte offset within the value
	Size   int // bytes carried (1..8 in registers; any size on the stack)
}

// Value is the placement of one argument or of the result.
type Value struct {
	Type  *ctype.Type
	Parts []Part // empty for a void result
	// ByRef: the value is passed as a pointer to a caller-owned copy; the
	// single Part carries that pointer (Windows x64 and AAPCS64 large
	// aggregates). Never set by System V for arguments.
	ByRef bool
}

// Plan is the placement of a whole call, computed once per signature.
type Plan struct {
	Func   *ctype.Type // the classified function type
	Args   []Value
	Result Value
	// SRet: the result is returned in memory; the caller passes the address
	// of the result buffer in SRetPart (System V: GPR 0 = rdi, and the callee
	// returns the same address in rax) and Result.Parts is empty.
	SRet     bool
	SRetPart Part
	// StackSize is the number of bytes of stack arguments (a multiple of 8).
	StackSize int
	// NumGPR and NumFPR are the argument registers used (for varargs, System V
	// passes NumFPR in al).
	NumGPR, NumFPR int
}
