//go:build !arm64 && !(windows && amd64)

// Package downcall calls C functions from Go: a Frame holds the register and
// stack contents of one call under the host's C calling convention, and Call
// runs a small assembly stub that loads them, calls the target on the system
// stack and stores the result registers back into the Frame.
//
// The package knows nothing about C types; the caller (ffi.Bind) fills the
// Frame from an abi.Plan and reads the results the same way.
package downcall

import "unsafe"

// Frame is the argument and result block shared with the assembly stub
// (call_amd64.s). Its field offsets are fixed: frame_amd64.h holds the same
// numbers and a test compares them with unsafe.Offsetof.
//
// A Frame is meant to live on the caller's goroutine stack; Call handles the
// stack moving while C calls back into Go.
type Frame struct {
	// Fn is the address of the C function to call.
	Fn uintptr
	// GPR holds the integer argument registers rdi rsi rdx rcx r8 r9.
	GPR [6]uint64
	// FPR holds the low 64 bits of the vector argument registers xmm0..xmm7.
	FPR [8]uint64
	// Stack points to NStack 8-byte words that are copied, in order, to the
	// C stack at the call (the first word at the lowest address, right above
	// the return address). It may be nil when NStack is 0. Assign it on a
	// local Frame variable (f.Stack = &w[0]): storing through a *Frame makes
	// the words escape to the heap.
	Stack *uint64
	// NStack is the number of words at Stack.
	NStack uintptr
	// AL is loaded into rax before the call (System V passes the number of
	// vector registers used by a variadic call in al).
	AL uint64
	// RetGPR receives rax and rdx after the call.
	RetGPR [2]uint64
	// RetFPR receives the low 64 bits of xmm0 and xmm1 after the call.
	RetFPR [2]uint64
	// Flags selects extras: FlagErrno clears errno before the call and
	// reads it into Errno right after, on the same thread.
	Flags uint64
	// Errno receives errno after the call when Flags has FlagErrno.
	Errno uint64
}

// frameSize is checked against FRAME_SIZE in frame_amd64.h by the tests.
const frameSize = unsafe.Sizeof(Frame{})
