package mcode

import (
	"bytes"
	"testing"
)

// TestJITRegion checks the Apple silicon sequence on an ordinary buffer
// standing in for the MAP_JIT mapping: the code is built in a separate
// buffer, the mapping is written only between lifting and restoring the
// thread's write protection, it ends up holding the code, and drop unmaps.
func TestJITRegion(t *testing.T) {
	mapping := make([]byte, 64)
	var calls []bool
	var atLift, atRestore []byte
	unmapped := false
	r := jitRegion(mapping, 0x10000, jitOps{
		writeProtect: func(protect bool) {
			calls = append(calls, protect)
			if protect {
				atRestore = bytes.Clone(mapping)
			} else {
				atLift = bytes.Clone(mapping)
			}
		},
		unmap: func() { unmapped = true },
	})
	if r.base != 0x10000 || len(r.write) != len(mapping) || &r.write[0] == &mapping[0] {
		t.Fatalf("region: base %#x, %d bytes to write (separate buffer: %v)", r.base, len(r.write), &r.write[0] != &mapping[0])
	}
	for i := range r.write {
		r.write[i] = byte(i + 1)
	}
	if !bytes.Equal(mapping, make([]byte, 64)) {
		t.Fatal("the mapping was written before seal")
	}
	if err := r.seal(); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || calls[0] || !calls[1] {
		t.Fatalf("write protection calls %v, want [false true]", calls)
	}
	if !bytes.Equal(atLift, make([]byte, 64)) || !bytes.Equal(atRestore, r.write) || !bytes.Equal(mapping, r.write) {
		t.Fatalf("mapping at lift %v, at restore %v, after seal %v", atLift, atRestore, mapping)
	}
	r.drop()
	if !unmapped {
		t.Fatal("drop did not unmap")
	}
}
