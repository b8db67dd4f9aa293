//go:build !windows

package upcall

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestZinvokeUpToDate regenerates zinvoke.go and compares.
// It needs the go command, which a Windows test binary under wine cannot
// run.
func TestZinvokeUpToDate(t *testing.T) {
	dir := t.TempDir()
	if b, err := exec.Command("go", "run", "gen_invoke.go", "-d", dir).CombinedOutput(); err != nil {
		t.Fatalf("go run gen_invoke.go: %v\n%s", err, b)
	}
	for _, name := range []string{"zinvoke.go"} {
		want, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate", name)
		}
	}
}
