package downcall

// FlagErrno in Frame.Flags makes the stub clear errno before the call and
// read it into Frame.Errno right after.
const FlagErrno = 1

// FlagLeaf in Frame.Flags tells the stub that the call is a leaf call (see
// CallLeaf): no callback can run during it, so the goroutine stack cannot
// move and the stub skips asking for the stack top around the call.
const FlagLeaf = 2

// FlagStackAfter in Frame.Flags tells the stub that the NStack words
// follow the Frame in memory (Stack is ignored): a Frame in a frame whose
// pointers no stack copy adjusts (the bound funcs' register path) cannot
// hold the words' address, as it would go stale when the goroutine stack
// moves, but the words move with it.
const FlagStackAfter = 4

// StubFollowsFrame reports whether the stub StubPC returns runs a Frame
// whose stack words follow it (FlagStackAfter) where it is, as the bound
// funcs' register path hands it: not on Windows, where the generic stub
// works on a heap copy (see call_windows_amd64.go), so that a register-path
// leaf call there needs a compiled stub.
const StubFollowsFrame = stubFollowsFrame

// StubPC returns the address of the C-ABI stub that calls a Frame (the fn
// argument of leaf.Call and runtime·asmcgocall).
func StubPC() uintptr { return callCAddr }
