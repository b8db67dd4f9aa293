package aapcs64

import (
	"os"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// TestMain removes the C fixtures the tests compiled.
func TestMain(m *testing.M) {
	code := m.Run()
	ctest.Cleanup()
	os.Exit(code)
}
