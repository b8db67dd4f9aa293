package downcall

import "unsafe"

// Frame is the argument and result block shared with the assembly stub
// (call_windows_amd64.s) on windows/amd64. Its field offsets are fixed:
// frame_win64.h holds the same numbers and a test compares them with
// unsafe.Offsetof. GPR and FPR are adjacent: fast paths index them as one
// array (ArgOp.Reg).
//
// The Microsoft x64 convention has four argument slots shared by position
// between the files: slot k is GPR[k] for an integer, pointer or small
// aggregate and FPR[k] for a float or double (both for a variadic float).
type Frame struct {
	// Fn is the address of the C function to call.
	Fn uintptr
	// GPR holds the integer argument registers rcx rdx r8 r9.
	GPR [4]uint64
	// FPR holds the low 64 bits of the vector argument registers
	// xmm0..xmm3 (a float in the low 32 bits).
	FPR [4]uint64
	// Stack points to NStack 8-byte words copied, in order, to the C stack
	// at the call, the first word right above the return address. The first
	// four words are the callee's shadow space (win64 plans count it in
	// their stack offsets); the stub always reserves at least those 32
	// bytes, so NStack may be 0 for a call without stack arguments.
	Stack *uint64
	// NStack is the number of words at Stack.
	NStack uintptr
	// AL is unused on Windows (System V's vector-register count for
	// variadic calls); it exists so that callers fill one Frame type
	// everywhere.
	AL uint64
	// RetGPR receives rax (and rdx, which no Windows result uses).
	RetGPR [2]uint64
	// RetFPR receives the low 64 bits of xmm0 (and xmm1, unused).
	RetFPR [2]uint64
	// Flags and Errno exist so that callers fill one Frame type
	// everywhere; errno is not supported on Windows (ErrnoSupported).
	Flags uint64
	Errno uint64
}

// frameSize is checked against FRAME_SIZE in frame_win64.h by the tests.
const frameSize = unsafe.Sizeof(Frame{})
