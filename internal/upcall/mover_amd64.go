package upcall

import (
	"github.com/seed5ca82032/ffi/internal/stub"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// moverArch is the mover encoder of this architecture (mover.go) and the
// outgoing words callMoved's frame holds (callmoved_amd64.s).
func moverArch() (enc func([]byte, *stub.Mover) ([]byte, error), outWords int) {
	return x86.AppendMover, x86.MoverOutWords
}
