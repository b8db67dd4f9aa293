//go:build darwin || freebsd || linux || netbsd

package downcall

import (
	"runtime"

	"github.com/ebitengine/purego"
)

// Dynamic loader modes for Dlopen.
const (
	RTLD_NOW    = purego.RTLD_NOW
	RTLD_LAZY   = purego.RTLD_LAZY
	RTLD_LOCAL  = purego.RTLD_LOCAL
	RTLD_GLOBAL = purego.RTLD_GLOBAL
)

// Dlopen is dlopen(3): path "" opens the running program. On failure the
// error is the dynamic loader's message (dlerror). The OS thread is locked
// for the call so the thread-local dlerror text belongs to this call.
func Dlopen(path string, mode int) (uintptr, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return purego.Dlopen(path, mode)
}

// Dlsym is dlsym(3); a missing symbol is an error with dlerror's message.
func Dlsym(handle uintptr, name string) (uintptr, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return purego.Dlsym(handle, name)
}

// Dlclose is dlclose(3).
func Dlclose(handle uintptr) error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return purego.Dlclose(handle)
}
