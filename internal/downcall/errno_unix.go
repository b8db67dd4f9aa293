//go:build (amd64 && (linux || darwin || freebsd || netbsd)) || (arm64 && (linux || darwin))

package downcall

import "github.com/ebitengine/purego"

// errnoLocation is the address of the C library's function returning the
// calling thread's errno address (__errno_location on Linux), or 0 if none
// was found; the stub calls it for Frames with FlagErrno.
var errnoLocation = findErrnoLocation()

func findErrnoLocation() uintptr {
	for _, name := range []string{"__errno_location", "__error", "__errno"} {
		if p, err := purego.Dlsym(purego.RTLD_DEFAULT, name); err == nil && p != 0 {
			return p
		}
	}
	return 0
}

// ErrnoSupported reports whether FlagErrno works: the C library's errno
// location function was found.
func ErrnoSupported() bool { return errnoLocation != 0 }
