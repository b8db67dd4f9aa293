package leaf

// exitReady reports whether entries are registered for release at thread
// exit (prepareExit made the fiber-local storage index).
func exitReady() bool { return flsSetValue != 0 }
