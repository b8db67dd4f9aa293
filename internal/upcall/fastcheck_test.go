package upcall

import "testing"

// TestFastPathWorks checks that the erased-call fast path is enabled on
// this toolchain (if Go's register ABI changed, callbacks still work through
// reflection, but this test points at the loss).
func TestFastPathWorks(t *testing.T) {
	if !fastPathOK {
		t.Fatal("the erased-call fast path failed its start-up check: every callback uses reflection")
	}
}

// TestGeneralCheckDetects checks that the start-up check of the general
// path fails when the register model is wrong: one integer or one
// floating-point register fewer than Go uses moves an argument to the
// stack in the model only.
func TestGeneralCheckDetects(t *testing.T) {
	if !generalPathWorks(archGoInts, archGoFloats) {
		t.Fatal("the general path fails its check with the right model")
	}
	for _, c := range []struct{ ni, nf int }{{goInts - 1, goFloats}, {goInts, goFloats - 1}, {7, 3}} {
		if generalPathWorks(c.ni, c.nf) {
			t.Errorf("the check passed with a model of %d integer and %d floating-point registers", c.ni, c.nf)
		}
	}
}
