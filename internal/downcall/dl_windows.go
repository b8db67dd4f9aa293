package downcall

import (
	"golang.org/x/sys/windows"
)

// Loader modes for Dlopen. Windows has no equivalent: LoadLibraryW always
// binds a DLL's imports at load time and keeps each DLL's exports apart, so
// the values are accepted and ignored.
const (
	RTLD_NOW    = 2
	RTLD_LAZY   = 1
	RTLD_LOCAL  = 0
	RTLD_GLOBAL = 0x100
)

// Dlopen loads the DLL path with LoadLibraryW (a name without a directory
// is searched for the way Windows searches for DLLs). Path "" returns the
// running program's own module (GetModuleHandleExW(0, NULL)), whose symbols
// are the executable's exports. mode is ignored. The error is Windows'
// message for the failure.
func Dlopen(path string, mode int) (uintptr, error) {
	if path == "" {
		var h windows.Handle
		if err := windows.GetModuleHandleEx(0, nil, &h); err != nil {
			return 0, err
		}
		return uintptr(h), nil
	}
	h, err := windows.LoadLibrary(path)
	if err != nil {
		return 0, err
	}
	return uintptr(h), nil
}

// Dlsym is GetProcAddress; a missing symbol is an error with Windows'
// message.
func Dlsym(handle uintptr, name string) (uintptr, error) {
	return windows.GetProcAddress(windows.Handle(handle), name)
}

// Dlclose is FreeLibrary.
func Dlclose(handle uintptr) error {
	return windows.FreeLibrary(windows.Handle(handle))
}
