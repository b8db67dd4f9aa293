package ctest

import (
	"errors"
	"os/exec"
	"runtime"
)

// startAttempts is how many times CombinedOutput tries to start a program.
const startAttempts = 4

// CombinedOutput runs the command newCmd makes and returns its standard
// output and standard error together, as exec.Cmd.CombinedOutput does.
//
// A test binary for Windows runs under wine here, whose CreateProcess now
// and then fails with "Internal error" before the program has started
// (seen in CI, about once in a few hundred starts). On Windows only, a
// command that did not start is made anew by newCmd (an exec.Cmd cannot be
// started twice) and tried again, up to startAttempts times in all. The
// error of a program that ran, an *exec.ExitError, is returned at once:
// its exit code is the test's result, never a reason to retry.
func CombinedOutput(newCmd func() *exec.Cmd) ([]byte, error) {
	return retryStart(newCmd, (*exec.Cmd).CombinedOutput, runtime.GOOS == "windows")
}

// Output runs program name of the target with args, through Command, and
// returns its standard output; a program that did not start is tried again
// as CombinedOutput says.
func Output(name string, args ...string) ([]byte, error) {
	newCmd := func() *exec.Cmd { return Command(name, args...) }
	return retryStart(newCmd, (*exec.Cmd).Output, runtime.GOOS == "windows")
}

// retryStart runs the command newCmd makes with run, again while it does
// not start and retry is set, up to startAttempts times in all.
func retryStart(newCmd func() *exec.Cmd, run func(*exec.Cmd) ([]byte, error), retry bool) ([]byte, error) {
	var out []byte
	var err error
	for range startAttempts {
		out, err = run(newCmd())
		var exit *exec.ExitError
		if err == nil || errors.As(err, &exit) || !retry {
			break
		}
	}
	return out, err
}
