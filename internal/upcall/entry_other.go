//go:build !amd64 && !arm64

package upcall

import (
	"errors"
	"runtime"

	"github.com/seed5ca82032/ffi/internal/mcode"
)

func newEmitter() (mcode.Emitter, error) {
	return nil, errors.New("ffi: callbacks on " + runtime.GOOS + "/" + runtime.GOARCH + " are not implemented yet")
}
