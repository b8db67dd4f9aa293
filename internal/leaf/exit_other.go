//go:build !(linux && (amd64 || arm64))

package leaf

// prepareExit does nothing here: entries of the thread table are released
// at thread exit on Linux only (exit_linux.go).
func prepareExit() {}
