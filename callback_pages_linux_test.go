package ffi_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi"
)

// TestSlotPagesNeverWritableAndExecutable reads /proc/self/maps for the
// mapping that holds a callback's slot.
func TestSlotPagesNeverWritableAndExecutable(t *testing.T) {
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, line := range strings.Split(string(maps), "\n") {
		var lo, hi uintptr
		var perm string
		if _, err := fmt.Sscanf(line, "%x-%x %s", &lo, &hi, &perm); err != nil {
			continue
		}
		if strings.Contains(perm, "w") && strings.Contains(perm, "x") {
			t.Errorf("a mapping is writable and executable: %s", line)
		}
		if lo <= cb.Ptr() && cb.Ptr() < hi {
			found = true
			if perm[:3] != "r-x" {
				t.Errorf("slot page mapped %s, want r-x: %s", perm, line)
			}
		}
	}
	if !found {
		t.Fatal("no mapping holds the callback pointer")
	}
}
