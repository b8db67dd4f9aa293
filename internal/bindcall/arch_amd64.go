//go:build amd64

package bindcall

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
	frameSize = blockOff + 8*(numInt+numFloat+2)
	// callerArgsOff is the offset from the trampoline's SP of its caller's
	// stack-assigned arguments: past the frame, the saved BP the assembler
	// adds and the return address.
	callerArgsOff = frameSize + 16
)

// supported reports whether this architecture has a trampoline.
const supported = true

// trampoline is the code of every bound func (trampoline_amd64.s).
func trampoline()
