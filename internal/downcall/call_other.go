//go:build !(amd64 && (linux || darwin || freebsd || netbsd || windows)) && !(arm64 && (linux || darwin))

package downcall

// Supported reports whether Call works on this platform.
const Supported = false

// Call panics: calling C is not implemented on this platform yet.
func Call(f *Frame) {
	panic("downcall: calling C is not supported on this platform")
}

// CallLocal panics like Call.
func CallLocal(f *Frame) {
	Call(f)
}

// ErrnoSupported reports whether FlagErrno works: not on this platform.
func ErrnoSupported() bool { return false }

// callCAddr is never set here: there is no stub.
var callCAddr uintptr
