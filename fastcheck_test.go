package ffi

import "testing"

// TestFastPathWorks checks that the erased-call fast path is enabled on
// this toolchain (if Go's register ABI changed, callbacks still work through
// reflection, but this test points at the loss).
func TestFastPathWorks(t *testing.T) {
	if !fastPathOK {
		t.Fatal("the erased-call fast path failed its start-up check: every callback uses reflection")
	}
}
