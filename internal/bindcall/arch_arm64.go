//go:build arm64

package bindcall

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
)

// Go's register ABI on arm64: integer arguments and results in R0..R15,
// floating-point ones in F0..F15.
const (
	numInt   = 16
	numFloat = 16
)

// The trampoline's frame (trampoline_arm64.s), above the saved link
// register at 0(RSP): dispatch's arguments and results from 8(RSP), then
// the register block.
const (
	outSize   = 8 * (3 + maxPtrArgs + maxPtrResults)
	blockOff  = 8 + outSize
	blockSize = int(unsafe.Sizeof(block{}))
	// frameSize is the declared frame ($frameSize): locals span
	// 8(RSP)..frameSize+8(RSP). A multiple of 16, so the assembler adds 8
	// bytes for the saved frame pointer and 8 for the link register.
	frameSize = (blockOff + blockSize - 8 + 15) &^ 15
	// callerArgsOff is the offset from RSP of the caller's stack-assigned
	// arguments: past the frame (frameSize+16) and the caller's own saved
	// link register slot.
	callerArgsOff = frameSize + 16 + 8
)

// The register path's trampoline (fastTrampoline, fast.go), above the
// saved link register: the outgoing area from 8(RSP) (regCall's
// arguments, or asmcgocall's followed by leaf.Call's argument block at
// fastLeafArgs), the Frame (fastFrame), the C stack words (fastStk), then
// the register block.
const (
	fastLeafArgs      = 8 + 24
	fastFrame         = 8 + 8*(2+fastPtrs)
	fastStk           = fastFrame + int(unsafe.Sizeof(downcall.Frame{}))
	fastBlockOff      = fastStk + 8*fastStackWords
	fastFrameSize     = (fastBlockOff + blockSize - 8 + 15) &^ 15
	fastCallerArgsOff = fastFrameSize + 16 + 8
)

// supported reports whether this architecture has a trampoline.
const supported = true

// trampoline is the code of every bound func that dispatch runs,
// fastTrampoline of those on the register path, and leafTrampoline of
// those whose compiled leaf stub records the leaf call itself
// (trampoline_arm64.s).
func trampoline()
func fastTrampoline()
func leafTrampoline()

// movesAsm runs the trampoline's move loop over the n moves at ms, with
// base as the trampoline's SP (for tests).
//
//go:noescape
func movesAsm(base unsafe.Pointer, ms *move, n uintptr)
