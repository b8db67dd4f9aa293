//go:build amd64 && (linux || darwin || freebsd || netbsd)

package bindcall

import (
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/stub"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// Compiled moves on System V AMD64 (see stub.go).

// stubSupported reports whether makeStub can compile moves here.
const stubSupported = true

// encodeStub is this platform's stub encoder.
func encodeStub(c *stub.Call) ([]byte, error) { return x86.AppendCallSysV(make([]byte, 0, 256), c) }

// callStub runs a compiled stub through runtime.cgocall.
func callStub(pc uintptr, f *downcall.Frame) { downcall.CallStub(pc, f) }
