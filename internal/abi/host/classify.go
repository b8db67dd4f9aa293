// Package host classifies C function types by the calling convention of
// the host (GOOS/GOARCH): the one placement both directions use, Bind's
// calls into C and callbacks.
package host

import (
	"runtime"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/aapcs64"
	"github.com/seed5ca82032/ffi/internal/abi/sysv"
	"github.com/seed5ca82032/ffi/internal/abi/win64"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Classify places a C function type's arguments and result by the host's
// calling convention.
func Classify(ft *ctype.Type) (*abi.Plan, error) {
	switch {
	case runtime.GOARCH == "amd64" && runtime.GOOS != "windows":
		return sysv.Classify(ft)
	case runtime.GOARCH == "arm64" && runtime.GOOS != "windows":
		return aapcs64.ClassifyWith(ft, aapcs64Options)
	case runtime.GOARCH == "amd64" && runtime.GOOS == "windows":
		return win64.Classify(ft)
	}
	return nil, errfmt.Errorf("calling convention of %s/%s is not implemented yet", runtime.GOOS, runtime.GOARCH)
}

// ClassifyVarargs places the extra arguments of one variadic call.
func ClassifyVarargs(p *abi.Plan, extra []*ctype.Type) (*abi.Plan, error) {
	switch {
	case runtime.GOARCH == "amd64" && runtime.GOOS != "windows":
		return sysv.ClassifyVarargs(p, extra)
	case runtime.GOARCH == "arm64" && runtime.GOOS != "windows":
		return aapcs64.ClassifyVarargs(p, extra, aapcs64Options)
	case runtime.GOARCH == "amd64" && runtime.GOOS == "windows":
		return win64.ClassifyVarargs(p, extra)
	}
	return nil, errfmt.Errorf("variadic calls are not implemented on %s/%s yet", runtime.GOOS, runtime.GOARCH)
}

// aapcs64Options is the AAPCS64 variant of the host: Apple's on darwin
// (stack arguments packed at natural alignment, variadic arguments all on
// the stack), the standard one elsewhere.
var aapcs64Options = aapcs64.Options{Apple: runtime.GOOS == "darwin" || runtime.GOOS == "ios"}
