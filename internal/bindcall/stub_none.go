//go:build !(amd64 && (linux || darwin || freebsd || netbsd || windows)) && !(arm64 && (linux || darwin))

package bindcall

import (
	"errors"

	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// No compiled moves on this platform yet: the trampoline runs the move
// tables itself (see stub.go).
const stubSupported = false

func encodeStub(*stub.Call) ([]byte, error) {
	return nil, errors.New("bindcall: no stub encoder on this platform")
}

// callStub is never called: makeStub makes no stubs here.
func callStub(uintptr, *downcall.Frame) { panic("bindcall: no compiled stubs on this platform") }
