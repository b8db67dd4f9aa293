//go:build !windows

package ctest

import "testing"

// TestHeadersInstalled preprocesses every header the tests load: on a
// machine without one of the -dev packages it fails naming it.
func TestHeadersInstalled(t *testing.T) {
	for _, h := range Headers {
		if src := h.Preprocess(t, "-P"); len(src) < 1000 {
			t.Errorf("<%s> preprocessed to only %d bytes", h.Name, len(src))
		}
	}
}
