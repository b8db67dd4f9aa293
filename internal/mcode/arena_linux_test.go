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
	a := newTestArena(fakeEmitter{16, 64}, 1<<16, 0)
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

// TestMemfdGroups builds groups the way used under a deny-write-execute
// policy: the mapping is read-execute from the start and never writable.
func TestMemfdGroups(t *testing.T) {
	a := newTestArena(fakeEmitter{16, 64}, 1<<16, 0)
	a.mapFn = mapMemfd
	for i := 0; i < 2*a.PerGroup(); i++ {
		id, addr, err := a.Alloc()
		if err != nil {
			t.Fatal(err)
		}
		got := *(*[4]byte)(ptrAt(addr))
		if want := [4]byte{byte(id), byte(id >> 8), byte(id >> 16), byte(id >> 24)}; got != want {
			t.Fatalf("slot %d holds %v", id, got)
		}
		if i == 0 {
			if perm := mappingPerm(t, addr); perm[:3] != "r-x" {
				t.Fatalf("memfd group mapped %s, want r-x", perm)
			}
		}
	}
}
