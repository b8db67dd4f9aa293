//go:build !(amd64 && (linux || darwin || freebsd || netbsd))

package bindcall

import "github.com/seed5ca82032/ffi/internal/downcall"

// No compiled moves on this platform yet: the trampoline runs the move
// tables itself (see stub.go).
const stubSupported = false

func stubCode(*fastPlan) ([]byte, bool) { return nil, false }

// callStub is never called: makeStub makes no stubs here.
func callStub(uintptr, *downcall.Frame) { panic("bindcall: no compiled stubs on this platform") }
