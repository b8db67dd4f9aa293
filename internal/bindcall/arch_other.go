//go:build !amd64 && !arm64

package bindcall

// Placeholders where no trampoline exists yet: Install reports that bound
// funcs are not supported.
const (
	numInt        = 9
	numFloat      = 15
	outSize       = 8 * (3 + maxPtrArgs + maxPtrResults)
	blockOff      = outSize
	frameSize     = blockOff + 8*(numInt+numFloat+2)
	callerArgsOff = frameSize + 16
	supported     = false
)

func trampoline() { panic("bindcall: no trampoline on this platform") }
