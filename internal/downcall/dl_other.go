//go:build !(darwin || freebsd || linux || netbsd || windows)

package downcall

import "errors"

// Dynamic loader modes for Dlopen (unused on this platform).
const (
	RTLD_NOW    = 2
	RTLD_LAZY   = 1
	RTLD_LOCAL  = 0
	RTLD_GLOBAL = 0x100
)

var errNoDl = errors.New("dynamic libraries are not supported on this platform yet")

// Dlopen reports that loading libraries is not supported here.
func Dlopen(path string, mode int) (uintptr, error) { return 0, errNoDl }

// Dlsym reports that loading libraries is not supported here.
func Dlsym(handle uintptr, name string) (uintptr, error) { return 0, errNoDl }

// Dlclose reports that loading libraries is not supported here.
func Dlclose(handle uintptr) error { return errNoDl }
