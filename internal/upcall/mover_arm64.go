package upcall

import (
	"github.com/seed5ca82032/ffi/internal/a64"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// moverArch is the mover encoder of this architecture (mover.go) and the
// outgoing words callMoved's frame holds (callmoved_arm64.s).
func moverArch() (enc func([]byte, *stub.Mover) ([]byte, error), outWords int) {
	return a64.AppendMover, a64.MoverOutWords
}
