//go:build !amd64 && !arm64

package upcall

// blockInvokers is empty: without callGo (callgo_*.s) every signature
// invokeSmall does not take uses reflection.
var blockInvokers [0]sized

// compileMovers does nothing: there are no movers (mover.go) here.
func (sh *shape) compileMovers() bool { return false }
