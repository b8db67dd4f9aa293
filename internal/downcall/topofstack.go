package downcall

// topOfStackAddr is the address of _cgo_topofstack, set by the assembly
// of the platforms that use it (call_amd64.s, call_windows_amd64.s,
// call_arm64.s), 0 elsewhere.
var topOfStackAddr uintptr

// TopOfStackPC returns the address of _cgo_topofstack, the C-ABI function
// that returns the current goroutine's stack top (runtime/cgo's, or the
// fake cgo runtime's without cgo). A stub that holds an address into the
// goroutine stack across a C call that may call back into Go asks it
// before and after the call and moves the address by the difference.
func TopOfStackPC() uintptr { return topOfStackAddr }
