//go:build !(linux && (amd64 || arm64)) && !(windows && amd64)

package leaf

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/gateway"
)

// Supported reports whether Call and the misuse check work here: not on
// this platform, where leaf calls go straight through runtime·asmcgocall
// and a callback from inside one is not caught.
const Supported = false

// Crosscall2 returns crosscall2's address: there is no leaf-call check on
// this platform.
func Crosscall2() uintptr { return gateway.Crosscall2() }

func call(fn uintptr, frame unsafe.Pointer, name *string) {
	panic("leaf: leaf calls are not supported on this platform")
}

func writeErr(p *byte, n int) {}

func exit2() {}

var stubPC, enterPC uintptr
