package mcode

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestGroupsAreNeverWritableAndExecutable reads /proc/self/maps: every
// mapping that holds a group is r-x, never w and x together.
func TestGroupsAreNeverWritableAndExecutable(t *testing.T) {
	a := NewArena(fakeEmitter{16, 64}, 1<<16, 0)
	_, addr, err := a.Alloc()
	if err != nil {
		t.Fatal(err)
	}
	perm := mappingPerm(t, addr)
	if perm[:3] != "r-x" {
		t.Fatalf("group at %#x mapped %s, want r-x", addr, perm)
	}
}

func mappingPerm(t *testing.T, addr uintptr) string {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(maps), "\n") {
		var lo, hi uintptr
		var perm string
		if _, err := fmt.Sscanf(line, "%x-%x %s", &lo, &hi, &perm); err == nil && lo <= addr && addr < hi {
			return perm
		}
	}
	t.Fatalf("no mapping holds %#x", addr)
	return ""
}
