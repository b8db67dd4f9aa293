//go:build !windows

package ctest

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
)

// TestHeadersInstalled preprocesses every header the tests load: on a
// machine without one of the -dev packages it fails naming it.
func TestHeadersInstalled(t *testing.T) {
	for _, h := range Headers {
		if src := h.Preprocess(t, "-P"); len(src) < 1000 {
			t.Errorf("<%s> preprocessed to only %d bytes", h.Name, len(src))
		}
	}
}

// TestFlagsForTarget checks that the -I flags of every header name the
// multiarch directories of the compiler's target, never another's (the
// host's x86_64-linux-gnu with CC=aarch64-linux-gnu-gcc).
func TestFlagsForTarget(t *testing.T) {
	out, err := exec.Command(CC(), "-dumpmachine").Output()
	if err != nil {
		t.Fatalf("%s -dumpmachine: %v", CC(), err)
	}
	target := strings.TrimSpace(string(out))
	for _, h := range Headers {
		for _, f := range h.Flags(t) {
			if strings.Contains(f, "-linux-gnu") && !strings.Contains(f, "/"+target+"/") && !strings.HasSuffix(f, "/"+target) {
				t.Errorf("<%s>: flag %s is not for the target %s of %s", h.Name, f, target, CC())
			}
		}
	}
}

func TestCrossPkgConfigDir(t *testing.T) {
	for _, cc := range []string{"cc", "gcc", "clang", "gcc-12", "nonesuch-linux-gnu-gcc", "/opt/x/nonesuch-linux-gnu-gcc"} {
		if dir := crossPkgConfigDir(cc); dir != "" {
			t.Errorf("crossPkgConfigDir(%q) = %q, want none", cc, dir)
		}
	}
	// A triplet with a multiarch directory: the one of the running Go
	// program's own C compiler, when the Debian layout is there.
	if triplet := map[string]string{"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}[runtime.GOARCH]; triplet != "" {
		want := "/usr/lib/" + triplet + "/pkgconfig"
		if _, err := os.Stat(want); err == nil {
			if dir := crossPkgConfigDir("/usr/bin/" + triplet + "-gcc"); dir != want {
				t.Errorf("crossPkgConfigDir(%s-gcc) = %q, want %q", triplet, dir, want)
			}
		}
	}
}
