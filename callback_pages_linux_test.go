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

// executable counts the process's executable mappings and open file
// descriptors (a code pack is a memfd mapping).
func executable(t *testing.T) (mappings, fds int) {
	t.Helper()
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(maps), "\n") {
		if f := strings.Fields(line); len(f) > 1 && strings.Contains(f[1], "x") {
			mappings++
		}
	}
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return mappings, len(ents)
}

// TestFreshScopesShareCode: callbacks and bound calls of one shape, made
// again and again in fresh Scopes (whose caches go with them), run code
// placed once: executable memory and file descriptors stay flat. (Compiled
// movers once placed a copy per Scope, for the life of the process.)
func TestFreshScopesShareCode(t *testing.T) {
	const decl = "long long (*)(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long)"
	fn := func(a, b, c, d, e, f, g, h, i, j int64) int64 { return a + j }
	round := func() {
		s := ffi.NewScope()
		cb, err := s.NewCallback(decl, fn)
		if err != nil {
			t.Fatal(err)
		}
		defer cb.Free()
		lib, err := s.Open("libc.so.6")
		if err != nil {
			t.Fatal(err)
		}
		defer lib.Close()
		var labs func(int64) int64
		if err := lib.Bind(&labs, "long labs(long)"); err != nil {
			t.Fatal(err)
		}
		if labs(-7) != 7 {
			t.Fatal("labs(-7) != 7")
		}
	}
	round()
	m0, fd0 := executable(t)
	n := 3000
	if testing.Short() {
		n = 500
	}
	for range n {
		round()
	}
	if m1, fd1 := executable(t); m1 > m0+2 || fd1 > fd0+2 {
		t.Errorf("after %d rounds in fresh Scopes: executable mappings %d -> %d, open files %d -> %d", n, m0, m1, fd0, fd1)
	}
}
