package upcall

import (
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/x86"
)

// TestFrameLayout checks that the Go view of the callback frame matches the
// offsets the generated entry writes and reads.
func TestFrameLayout(t *testing.T) {
	var f cframe
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"gpr", unsafe.Offsetof(f.gpr), x86.FrameGPR},
		{"fpr", unsafe.Offsetof(f.fpr), x86.FrameFPR},
		{"stackArgs", unsafe.Offsetof(f.stackArgs), x86.FrameStackArgs},
		{"slot", unsafe.Offsetof(f.slot), x86.FrameSlot},
		{"retGPR", unsafe.Offsetof(f.retGPR), x86.FrameRetGPR},
		{"retFPR", unsafe.Offsetof(f.retFPR), x86.FrameRetFPR},
		{"state", unsafe.Offsetof(f.state), x86.FrameState},
		{"stateAddr", unsafe.Offsetof(f.stateAddr), x86.FrameStateAddr},
		{"size", unsafe.Sizeof(f), x86.FrameSize},
	} {
		if c.got != c.want {
			t.Errorf("cframe.%s at %d, entry uses %d", c.name, c.got, c.want)
		}
	}
}
