package downcall

import (
	"sync"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/leaf"
)

// ErrnoSupported reports whether FlagErrno works: not on Windows, where
// the C library's errno is per C runtime (msvcrt, ucrt) rather than one per
// thread that the stub could read.
func ErrnoSupported() bool { return false }

// frames holds the Frames the generic stub works on. The stub writes the
// results into its Frame after the C function returned, and a callback
// during the call may have moved the goroutine's stack; the Windows
// generic stub does not ask _cgo_topofstack to follow a Frame on that
// stack (generated stubs do: CallStub), so it is always handed one on the
// heap, which never moves, with its own copy of the stack words (which the
// caller may keep on its goroutine stack).
var frames = sync.Pool{New: func() any { return new(heapFrame) }}

// heapFrame is a Frame for the stub and the buffer its Stack points to.
type heapFrame struct {
	f     Frame
	words []uint64
}

// load copies f into h field by field and its stack words into h.words:
// no pointer of f is stored, so a Frame and words on the caller's stack
// stay there (a copy of the whole Frame would move them to the heap, one
// allocation per call).
func (h *heapFrame) load(f *Frame) *Frame {
	c := &h.f
	c.Fn, c.GPR, c.FPR, c.AL, c.Flags, c.NStack = f.Fn, f.GPR, f.FPR, f.AL, f.Flags, f.NStack
	c.Stack = nil
	if f.NStack > 0 {
		if uintptr(cap(h.words)) < f.NStack {
			h.words = make([]uint64, f.NStack)
		}
		w := h.words[:f.NStack]
		from := f.Stack
		if f.Flags&FlagStackAfter != 0 {
			from = (*uint64)(unsafe.Add(unsafe.Pointer(f), frameSize))
			c.Flags &^= FlagStackAfter
		}
		copy(w, unsafe.Slice(from, f.NStack))
		c.Stack = &w[0]
	}
	return c
}

// Call calls f.Fn with the registers and stack words in f and stores the
// result registers into f. The C function may block and may call back into
// Go. f may live anywhere.
func Call(f *Frame) {
	h := frames.Get().(*heapFrame)
	c := h.load(f)
	runtimeCgocall(callCAddr, unsafe.Pointer(c))
	f.RetGPR, f.RetFPR = c.RetGPR, c.RetFPR
	frames.Put(h)
}

// CallLocal is Call; on Windows the Frame is copied to the heap for the
// call wherever it lives.
func CallLocal(f *Frame) {
	Call(f)
}

// CallStub runs stub, a C-ABI function of the Frame's address of the same
// contract as the generic stub's but that finds the Frame again after a
// callback moved the goroutine stack (a generated bound-call stub, which
// asks _cgo_topofstack), through runtime.cgocall; f stays where it is.
func CallStub(stub uintptr, f *Frame) {
	runtimeCgocall(stub, unsafe.Pointer(f))
}

// CallLeaf is Call without the runtime's system-call transition, for short
// C functions that neither block nor call into Go: the goroutine's P stays
// busy for the whole call. name names the C function in the message that
// ends the process if it calls a callback (see package leaf); it must stay
// valid for the life of the process (leaf.Name) and may be nil.
func CallLeaf(f *Frame, name *string) {
	if name == nil {
		name = unnamed
	}
	h := frames.Get().(*heapFrame)
	c := h.load(f)
	leaf.Call(callCAddr, unsafe.Pointer(c), name)
	f.RetGPR, f.RetFPR = c.RetGPR, c.RetFPR
	frames.Put(h)
}

var unnamed = leaf.Name("a C function")
