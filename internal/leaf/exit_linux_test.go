//go:build linux && (amd64 || arm64)

package leaf

// exitReady reports whether entries are registered for release at thread
// exit (prepareExit made the thread key).
func exitReady() bool { return setspecific != 0 }
