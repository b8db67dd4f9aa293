//go:build !windows

package bindcall

import (
	"os/exec"
	"regexp"
	"testing"
)

// TestDispatchFramesStayOnStack compiles this package (with the go command,
// so not under wine; the native run covers it) with the compiler's
// escape analysis report and checks that dispatch moves nothing to the
// heap: downcall.CallLocal is only sound for a Frame on the goroutine
// stack, and a heap move would be an allocation per call.
func TestDispatchFramesStayOnStack(t *testing.T) {
	out, err := exec.Command("go", "build", "-gcflags=-m", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build -gcflags=-m: %v\n%s", err, out)
	}
	if bad := regexp.MustCompile(`(?m)^.*dispatch\.go:.*moved to heap.*$`).FindAll(out, -1); len(bad) > 0 {
		t.Errorf("%d values of dispatch escape to the heap, first: %s", len(bad), bad[0])
	}
	if !regexp.MustCompile(`dispatch\.go:\d+:\d+: inlining call to extend`).Match(out) {
		t.Errorf("the escape analysis report does not cover dispatch.go:\n%.2000s", out)
	}
}
