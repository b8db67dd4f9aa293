//go:build amd64

package bindcall

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
)

// Go's register ABI on amd64: integer arguments and results in AX BX CX DI
// SI R8 R9 R10 R11, floating-point ones in X0..X14.
const (
	numInt   = 9
	numFloat = 15
)

// frameSize is the trampoline's frame (trampoline_amd64.s): the dispatch
// arguments and results, then the register block.
const (
	outSize   = 8 * (3 + maxPtrArgs + maxPtrResults)
	blockOff  = outSize
	frameSize = blockOff + int(unsafe.Sizeof(block{}))
	// callerArgsOff is the offset from the trampoline's SP of its caller's
	// stack-assigned arguments: past the frame, the saved BP the assembler
	// adds and the return address.
	callerArgsOff = frameSize + 16
)

// The register path's trampoline (fastTrampoline, fast.go): the outgoing
// area (regCall's arguments, or asmcgocall's followed by leaf.Call's
// argument block at fastLeafArgs), the Frame (fastFrame), the C stack
// words (fastStk), then the register block.
const (
	fastLeafArgs      = 24
	fastFrame         = 8 * (2 + fastPtrs)
	fastStk           = fastFrame + int(unsafe.Sizeof(downcall.Frame{}))
	fastBlockOff      = fastStk + 8*fastStackWords
	fastFrameSize     = fastBlockOff + int(unsafe.Sizeof(block{}))
	fastCallerArgsOff = fastFrameSize + 16
)

// supported reports whether this architecture has a trampoline.
const supported = true

// trampoline is the code of every bound func that dispatch runs,
// fastTrampoline of those on the register path, and leafTrampoline of
// those whose compiled leaf stub records the leaf call itself
// (trampoline_amd64.s).
func trampoline()
func fastTrampoline()
func leafTrampoline()

// movesAsm runs the trampoline's move loop over the n moves at ms, with
// base as the trampoline's SP (for tests).
//
//go:noescape
func movesAsm(base unsafe.Pointer, ms *move, n uintptr)
