package gateway

import (
	"syscall"
	"testing"
	"unsafe"
)

var seen unsafe.Pointer

func record(frame unsafe.Pointer) { seen = frame; *(*int64)(frame) *= 3 }

// TestCrosscallRunsFn calls the C function pointer as the generated entry
// does, crosscall2(fn, frame, 0, 0), and checks that fn ran with frame.
func TestCrosscallRunsFn(t *testing.T) {
	frame := new(int64)
	*frame = 14
	syscall.SyscallN(Crosscall2(), FuncPC(record), uintptr(unsafe.Pointer(frame)), 0, 0)
	if seen != unsafe.Pointer(frame) || *frame != 42 {
		t.Fatalf("fn saw frame %p (want %p), frame holds %d (want 42)", seen, frame, *frame)
	}
}
