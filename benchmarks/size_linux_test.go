package benchmarks

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// TestMinimalProgramSize builds the minimal program of issue #10 (bind one C
// function, make one callback: testdata/size/ffi) and the same program
// written with purego (testdata/size/purego), with cgo off and on and with
// and without -ldflags='-s -w', runs both, and logs their sizes and the
// difference. It fails when a program does not build or does not print
// what it should; the size difference is reported, not asserted. Run it
// alone to see the table:
//
//	go test -count=1 -v -run TestMinimalProgramSize ./benchmarks
func TestMinimalProgramSize(t *testing.T) {
	dir := t.TempDir()
	size := func(cgo, ldflags, prog string) int64 {
		t.Helper()
		exe := filepath.Join(dir, prog+"-cgo"+cgo+map[string]string{"": "", "-s -w": "-sw"}[ldflags])
		cmd := exec.Command("go", "build", "-o", exe, "-ldflags="+ldflags, filepath.Join("testdata", "size", prog, "main.go"))
		// For the test's own target (under qemu, the arm64 build), run as
		// the tests run their C programs (ctest.Command).
		cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo, "GOOS="+runtime.GOOS, "GOARCH="+runtime.GOARCH)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("CGO_ENABLED=%s go build %s: %v\n%s", cgo, prog, err, out)
		}
		out, err := ctest.Command(exe).CombinedOutput()
		if err != nil || strings.TrimSpace(string(out)) != "3 true" {
			t.Fatalf("CGO_ENABLED=%s %s printed %q (%v), want \"3 true\"", cgo, prog, out, err)
		}
		fi, err := os.Stat(exe)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	// The tests compile their C fixtures with the system C compiler, which
	// the cgo builds need too.
	for _, cgo := range []string{"0", "1"} {
		for _, ldflags := range []string{"", "-s -w"} {
			f, p := size(cgo, ldflags, "ffi"), size(cgo, ldflags, "purego")
			t.Logf("CGO_ENABLED=%s ldflags=%-7q ffi %9d B  purego %9d B  ffi-purego %+9d B (%+.2f MB)", cgo, ldflags, f, p, f-p, float64(f-p)/1e6)
		}
	}
}
