//go:build (amd64 && (linux || darwin || freebsd || netbsd)) || (arm64 && (linux || darwin))

package downcall

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/leaf"
)

// CallLeaf is Call without the runtime's system-call transition: a leaf
// call, for short C functions that neither block nor call into Go. The
// stub runs on the system stack through runtime·asmcgocall while the
// goroutine keeps its P, so it costs a few nanoseconds instead of a few
// tens, and for its whole duration the goroutine is not preemptible. name
// names the C function in the message that ends the process if it calls a
// callback (see package leaf); it must stay valid for the life of the
// process (leaf.Name) and may be nil. f may live anywhere, as no callback
// can move the goroutine stack during a leaf call.
func CallLeaf(f *Frame, name *string) {
	if name == nil {
		name = unnamed
	}
	f.Flags |= FlagLeaf
	if leaf.Supported {
		leaf.Call(callCAddr, unsafe.Pointer(f), name)
		return
	}
	asmcgocall(callCAddr, f)
}

var unnamed = leaf.Name("a C function")
