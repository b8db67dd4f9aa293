package ffi_test

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ebitengine/purego"

	"github.com/seed5ca82032/ffi"
)

const (
	prSetMDWE            = 65 // prctl(PR_SET_MDWE, ...), Linux 6.3+
	prMDWERefuseExecGain = 1
)

func init() {
	// Under a memory-deny-write-execute policy (the kernel's PR_SET_MDWE,
	// which systemd's MemoryDenyWriteExecute= resembles), callbacks still
	// work: slot groups are then made from a read-execute memfd mapping.
	helpers["mdwe"] = func() {
		if _, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetMDWE, prMDWERefuseExecGain, 0, 0, 0, 0); e != 0 {
			fmt.Println("prctl(PR_SET_MDWE) failed:", e)
			os.Exit(5)
		}
		callII, _, _ := mustMisuseLib()
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b })
		if err != nil {
			fmt.Println("NewCallback error:", err)
			os.Exit(1)
		}
		r, _, _ := purego.SyscallN(callII, cb.Ptr(), 40, 2)
		fmt.Printf("NewCallback worked: %v returned %d\n", cb, int32(r))
		os.Exit(0)
	}
}

func TestMemoryDenyWriteExecute(t *testing.T) {
	code, out := runHelper(t, "mdwe")
	t.Logf("under PR_SET_MDWE: exit %d: %s", code, out)
	if code != 0 {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if !strings.Contains(out, "NewCallback worked") || !strings.Contains(out, "returned 42") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}
