package ffi_test

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi"
)

// TestBindErrnoRefused: errno results are not supported on Windows, so
// Bind refuses a Go func with an error result, naming the function and
// the reason, and binds the same function without it.
func TestBindErrnoRefused(t *testing.T) {
	libc, err := ffi.Open(libcName)
	if err != nil {
		t.Fatal(err)
	}
	defer libc.Close()
	var absErr func(int32) (int32, error)
	err = libc.Bind(&absErr, "int abs(int)")
	if err == nil || !strings.Contains(err.Error(), "abs") || !strings.Contains(err.Error(), "errno, which is not supported on windows/amd64") {
		t.Fatalf("Bind with an error result = %v, want errno refused", err)
	}
	var abs func(int32) int32
	if err := libc.Bind(&abs, "int abs(int)"); err != nil {
		t.Fatal(err)
	}
	if r := abs(-5); r != 5 {
		t.Errorf("abs(-5) = %d, want 5", r)
	}
}
