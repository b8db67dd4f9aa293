package ffi_test

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ebitengine/purego"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/mcode"
)

const (
	prSetMDWE            = 65 // prctl(PR_SET_MDWE, ...), Linux 6.3+
	prGetMDWE            = 66
	prMDWERefuseExecGain = 1
)

// denyWriteExecute turns the deny-write-execute policy on for this process
// and says how: with prctl(PR_SET_MDWE), or, where the kernel has no such
// prctl at all (PR_SET_MDWE and PR_GET_MDWE both EINVAL: qemu-user, which
// does not pass it to the host, or Linux before 6.3), by making this
// process's mprotect to executable fail as the policy does
// (mcode.DenyWriteExecute). Any other refusal ends the helper with exit 5.
func denyWriteExecute() string {
	_, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL, prSetMDWE, prMDWERefuseExecGain, 0, 0, 0, 0)
	if e == 0 {
		return "policy from PR_SET_MDWE"
	}
	_, _, g := syscall.RawSyscall6(syscall.SYS_PRCTL, prGetMDWE, 0, 0, 0, 0, 0)
	if e != syscall.EINVAL || g != syscall.EINVAL {
		fmt.Printf("prctl(PR_SET_MDWE) failed: %v (PR_GET_MDWE: %v)\n", e, g)
		os.Exit(5)
	}
	mcode.DenyWriteExecute()
	return "policy simulated: this kernel refuses PR_SET_MDWE and PR_GET_MDWE (" + e.Error() + ")"
}

func init() {
	// Under a memory-deny-write-execute policy (the kernel's PR_SET_MDWE,
	// which systemd's MemoryDenyWriteExecute= resembles), callbacks still
	// work: slot groups are then made from a read-execute memfd mapping.
	helpers["mdwe"] = func() {
		how := denyWriteExecute()
		callII, _, _ := mustMisuseLib()
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b })
		if err != nil {
			fmt.Println("NewCallback error:", err)
			os.Exit(1)
		}
		r, _, _ := purego.SyscallN(callII, cb.Ptr(), 40, 2)
		fmt.Printf("%s; NewCallback worked: %v returned %d\n", how, cb, int32(r))
		os.Exit(0)
	}
}

func TestMemoryDenyWriteExecute(t *testing.T) {
	code, out := runHelper(t, "mdwe")
	t.Logf("under deny-write-execute: exit %d: %s", code, out)
	if code != 0 {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
	if !strings.Contains(out, "NewCallback worked") || !strings.Contains(out, "returned 42") {
		t.Fatalf("unexpected output:\n%s", out)
	}
}
