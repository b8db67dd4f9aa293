package ctest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestCombinedOutputRetriesStarts: a command that cannot start is made
// again startAttempts times when retrying, once when not; a program that
// ran and failed is never run again.
func TestCombinedOutputRetriesStarts(t *testing.T) {
	// Not in t.TempDir: under wine, removing a directory fails ("Invalid
	// function") after CreateProcess was refused a path in it.
	missing := filepath.Join(os.TempDir(), fmt.Sprintf("ffi-ctest-no-such-program-%d", os.Getpid()))
	for _, retry := range []bool{true, false} {
		made := 0
		_, err := retryStart(func() *exec.Cmd { made++; return exec.Command(missing) }, (*exec.Cmd).CombinedOutput, retry)
		var exit *exec.ExitError
		if err == nil || errors.As(err, &exit) {
			t.Fatalf("retry %v: err %v, want a start error", retry, err)
		}
		want := 1
		if retry {
			want = startAttempts
		}
		if made != want {
			t.Errorf("retry %v: command made %d times, want %d", retry, made, want)
		}
	}

	exe := Program(t, "int main(void) { return 3; }")
	made := 0
	_, err := retryStart(func() *exec.Cmd { made++; return Command(exe) }, (*exec.Cmd).Output, true)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 3 || made != 1 {
		t.Errorf("failing program: err %v, made %d times; want exit status 3, made once", err, made)
	}
}

// TestOutput runs a program of the target and returns its standard output
// only.
func TestOutput(t *testing.T) {
	exe := Program(t, "#include <stdio.h>\nint main(int argc, char **argv) { fprintf(stderr, \"err\"); printf(\"%d %s\", argc, argv[1]); return 0; }")
	out, err := Output(exe, "x")
	if err != nil || string(out) != "2 x" {
		t.Errorf("Output: %q, %v; want \"2 x\"", out, err)
	}
}
