//go:build !(linux && (amd64 || arm64)) && !(windows && amd64)

package leaf

// prepareExit does nothing here: entries of the thread table are released
// at thread exit on Linux and Windows only (exit_linux.go,
// exit_windows_amd64.go).
func prepareExit() {}
