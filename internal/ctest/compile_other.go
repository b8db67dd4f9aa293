//go:build !windows

package ctest

import "os/exec"

// agentDir is "": the tests run the compiler themselves.
func agentDir() string { return "" }

// compile runs the C compiler with args in directory dir and returns its
// combined output.
func compile(dir string, args []string) ([]byte, error) {
	cmd := exec.Command(CC(), args...)
	cmd.Dir = dir
	return cmd.CombinedOutput()
}
