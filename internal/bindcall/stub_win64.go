//go:build windows && amd64

package bindcall

import (
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/stub"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// Compiled moves on Microsoft x64 (see stub.go).

// stubSupported reports whether makeStub can compile moves here.
const stubSupported = true

// encodeStub is this platform's stub encoder.
func encodeStub(c *stub.Call) ([]byte, error) { return x86.AppendCallWin64(make([]byte, 0, 256), c) }

// callStub runs a compiled stub through runtime.cgocall, with the Frame
// where it is (the stub follows it if a callback moves the stack).
func callStub(pc uintptr, f *downcall.Frame) { downcall.CallStub(pc, f) }
