package upcall

import (
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/a64"
)

// TestFrameLayout checks that the Go view of the callback frame matches the
// offsets the generated entry writes and reads.
func TestFrameLayout(t *testing.T) {
	var f cframe
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"gpr", unsafe.Offsetof(f.gpr), a64.FrameGPR},
		{"fpr", unsafe.Offsetof(f.fpr), a64.FrameFPR},
		{"stackArgs", unsafe.Offsetof(f.stackArgs), a64.FrameStackArgs},
		{"slot", unsafe.Offsetof(f.slot), a64.FrameSlot},
		{"retGPR", unsafe.Offsetof(f.retGPR), a64.FrameRetGPR},
		{"retFPR", unsafe.Offsetof(f.retFPR), a64.FrameRetFPR},
		{"state", unsafe.Offsetof(f.state), a64.FrameState},
		{"stateAddr", unsafe.Offsetof(f.stateAddr), a64.FrameStateAddr},
		{"size", unsafe.Sizeof(f), a64.FrameSize},
	} {
		if c.got != c.want {
			t.Errorf("cframe.%s at %d, entry uses %d", c.name, c.got, c.want)
		}
	}
}
