package upcall

import (
	"runtime"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/a64"
	"github.com/seed5ca82032/ffi/internal/x86"
)

// TestFrameLayout checks that the Go view of the callback frame matches the
// offsets the generated entry of the host writes and reads.
func TestFrameLayout(t *testing.T) {
	var f cframe
	got := [...]uintptr{unsafe.Offsetof(f.gpr), unsafe.Offsetof(f.fpr), unsafe.Offsetof(f.stackArgs), unsafe.Offsetof(f.slot),
		unsafe.Offsetof(f.retGPR), unsafe.Offsetof(f.retFPR), unsafe.Offsetof(f.state), unsafe.Sizeof(f)}
	names := [...]string{"gpr", "fpr", "stackArgs", "slot", "retGPR", "retFPR", "state", "size"}
	entries := map[string][len(got)]uintptr{
		"amd64": {x86.FrameGPR, x86.FrameFPR, x86.FrameStackArgs, x86.FrameSlot, x86.FrameRetGPR, x86.FrameRetFPR, x86.FrameState, x86.FrameSize},
		"arm64": {a64.FrameGPR, a64.FrameFPR, a64.FrameStackArgs, a64.FrameSlot, a64.FrameRetGPR, a64.FrameRetFPR, a64.FrameState, a64.FrameSize},
	}
	want, ok := entries[runtime.GOARCH]
	if !ok {
		t.Fatalf("no callback entry on %s", runtime.GOARCH)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("cframe.%s at %d, entry uses %d", names[i], got[i], want[i])
		}
	}
}
