//go:build arm64 && (linux || darwin)

package bindcall

import (
	"github.com/seed5ca82032/ffi/internal/a64"
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// Compiled moves on AAPCS64 (see stub.go). On darwin the C stack words
// are packed (Apple's arm64 ABI), but the moves still fill whole 8-byte
// words (dstOffset ORs a packed argument into its word at its bit
// position), so the stub writes the same bytes the move loop would.

// stubSupported reports whether makeStub can compile moves here.
const stubSupported = true

// encodeStub is this platform's stub encoder.
func encodeStub(c *stub.Call) ([]byte, error) { return a64.AppendCallAAPCS64(nil, c) }

// callStub runs a compiled stub through runtime.cgocall.
func callStub(pc uintptr, f *downcall.Frame) { downcall.CallStub(pc, f) }
