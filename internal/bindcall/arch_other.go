//go:build !amd64 && !arm64

package bindcall

// Placeholders where no trampoline exists yet: Install reports that bound
// funcs are not supported.
const (
	numInt            = 9
	numFloat          = 15
	outSize           = 8 * (3 + maxPtrArgs + maxPtrResults)
	blockOff          = outSize
	frameSize         = blockOff + 8*(numInt+numFloat+3)
	fastLeafArgs      = 0
	fastFrame         = 0
	fastStk           = 0
	fastBlockOff      = 0
	fastCallerArgsOff = 0
	callerArgsOff     = frameSize + 16
	supported         = false
)

func trampoline()     { panic("bindcall: no trampoline on this platform") }
func fastTrampoline() { panic("bindcall: no trampoline on this platform") }
func leafTrampoline() { panic("bindcall: no trampoline on this platform") }
