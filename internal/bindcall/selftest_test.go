package bindcall

import (
	"runtime"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi/aapcs64"
	"github.com/seed5ca82032/ffi/internal/abi/sysv"
	"github.com/seed5ca82032/ffi/internal/abi/win64"
)

func init() {
	switch {
	case win64ABI:
		SelfTestClassify = win64.Classify
	case runtime.GOARCH == "amd64":
		SelfTestClassify = sysv.Classify
	case runtime.GOARCH == "arm64":
		SelfTestClassify = aapcs64.Classify
	}
}

// TestSelfTest runs the start-up check of the register-ABI assumptions:
// integer and float arguments in registers and on the Go and C stacks,
// narrow and signed values, pointers and both result register files.
func TestSelfTest(t *testing.T) {
	if !Supported {
		t.Skip("no trampoline on this platform")
	}
	if err := runSelfTest(); err != nil {
		t.Fatal(err)
	}
}
