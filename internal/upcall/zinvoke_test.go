//go:build !windows

package upcall

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestZinvokeUpToDate regenerates zinvoke.go and compares. It needs the go
// command, which a Windows test binary under wine cannot run.
func TestZinvokeUpToDate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "zinvoke.go")
	if b, err := exec.Command("go", "run", "gen_invoke.go", "-o", out).CombinedOutput(); err != nil {
		t.Fatalf("go run gen_invoke.go: %v\n%s", err, b)
	}
	want, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("zinvoke.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("zinvoke.go is stale: run go generate")
	}
}
