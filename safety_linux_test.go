package ffi_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
)

func init() {
	// Deny-write-execute turned on after callbacks exist: the next group of
	// slots is made the other way and callbacks keep working.
	helpers["mdwe-late"] = func() {
		callII, _, _ := mustMisuseLib()
		first, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a - b })
		if err != nil {
			panic(err)
		}
		how := denyWriteExecute()
		code := ffi.CodeBytes()
		var last *ffi.Callback
		for i := 0; ffi.CodeBytes() == code; i++ { // until a new group is made
			if last, err = ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b }); err != nil {
				fmt.Printf("NewCallback %d after PR_SET_MDWE: %v\n", i+1, err)
				os.Exit(1)
			}
		}
		r1, _, _ := purego.SyscallN(callII, first.Ptr(), 50, 8)
		r2, _, _ := purego.SyscallN(callII, last.Ptr(), 40, 2)
		fmt.Printf("%s; code %d -> %d bytes; old group returned %d, new group returned %d\n", how, code, ffi.CodeBytes(), int32(r1), int32(r2))
		os.Exit(0)
	}
}

// TestMemoryDenyWriteExecuteLate: deny-write-execute turned on after
// callbacks exist; new slot groups are made from a memfd.
func TestMemoryDenyWriteExecuteLate(t *testing.T) {
	code, out := runHelper(t, "mdwe-late")
	t.Logf("exit %d: %s", code, out)
	if code != 0 || !strings.Contains(out, "old group returned 42, new group returned 42") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}
