package ffi_test

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// helperEnv selects a helper mode: the test binary re-runs itself with
// this variable set to check behaviour that ends the process.
const helperEnv = "FFI_TEST_HELPER"

// helpers are the modes a child test process can run; each ends the
// process itself.
var helpers = map[string]func(){}

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		h, ok := helpers[mode]
		if !ok {
			fmt.Fprintf(os.Stderr, "unknown helper mode %q\n", mode)
			os.Exit(3)
		}
		h()
		fmt.Fprintf(os.Stderr, "helper %q returned\n", mode)
		os.Exit(4)
	}
	code := m.Run()
	ctest.Cleanup()
	os.Exit(code)
}

// runHelper runs this test binary in helper mode and returns its exit code
// and combined output.
func runHelper(t *testing.T, mode string) (int, string) {
	t.Helper()
	out, err := ctest.CombinedOutput(func() *exec.Cmd {
		cmd := ctest.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), helperEnv+"="+mode, ctest.DirEnv+"="+ctest.Dir())
		return cmd
	})
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("helper %s: %v", mode, err)
		}
		code = ee.ExitCode()
	}
	return code, strings.TrimSpace(string(out))
}
