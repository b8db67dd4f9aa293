//go:build !windows

package downcall

import (
	"os/exec"
	"regexp"
	"testing"
)

// TestFastFramesStayOnStack compiles this package with the compiler's
// escape analysis report and checks that no fast path moves its Frame to
// the heap: CallLocal is only sound for a Frame on the goroutine stack.
func TestFastFramesStayOnStack(t *testing.T) {
	out, err := exec.Command("go", "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	if bad := regexp.MustCompile(`(?m)^.*moved to heap: f$`).FindAll(out, -1); len(bad) > 0 {
		t.Errorf("%d Frames escape to the heap, first: %s", len(bad), bad[0])
	}
	if !regexp.MustCompile(`zfast\.go:\d+:\d+: func literal escapes to heap`).Match(out) {
		t.Errorf("the escape analysis report does not cover zfast.go:\n%.2000s", out)
	}
}
