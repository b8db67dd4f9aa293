package downcall

import "unsafe"

// Frame is the argument and result block shared with the assembly stub
// (call_arm64.s) on arm64. Its field offsets are fixed: frame_arm64.h holds
// the same numbers and a test compares them with unsafe.Offsetof. GPR and
// FPR are adjacent: fast paths index them as one array (ArgOp.Reg).
//
// A Frame is meant to live on the caller's goroutine stack; Call handles the
// stack moving while C calls back into Go.
type Frame struct {
	// Fn is the address of the C function to call.
	Fn uintptr
	// GPR holds the integer argument registers x0..x7 and x8, the address
	// of a result returned in memory.
	GPR [9]uint64
	// FPR holds the low 64 bits of the vector argument registers v0..v7 (a
	// float in the low 32 bits).
	FPR [8]uint64
	// Stack points to NStack 8-byte words that are copied, in order, to the
	// C stack at the call (the first word at sp). It may be nil when NStack
	// is 0. Assign it on a local Frame variable (f.Stack = &w[0]): storing
	// through a *Frame makes the words escape to the heap.
	Stack *uint64
	// NStack is the number of words at Stack.
	NStack uintptr
	// AL is unused on arm64 (System V's vector-register count for variadic
	// calls); it exists so that callers fill one Frame type everywhere.
	AL uint64
	// RetGPR receives x0 and x1 after the call.
	RetGPR [2]uint64
	// RetFPR receives the low 64 bits of v0..v3 after the call (a
	// homogeneous floating-point aggregate returns up to four).
	RetFPR [4]uint64
	// Flags selects extras: FlagErrno clears errno before the call and
	// reads it into Errno right after, on the same thread.
	Flags uint64
	// Errno receives errno after the call when Flags has FlagErrno.
	Errno uint64
}

// frameSize is checked against FRAME_SIZE in frame_arm64.h by the tests.
const frameSize = unsafe.Sizeof(Frame{})
