package threadkey

import "testing"

// TestBindThreads checks that BindThreads makes the runtime's thread key
// where it can (cgo on, Unix), and that it is idempotent.
func TestBindThreads(t *testing.T) {
	BindThreads()
	BindThreads()
	if got := ThreadsBound(); got != Supported {
		t.Errorf("thread key made: %v, want %v", got, Supported)
	}
}
