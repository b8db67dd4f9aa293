//go:build !amd64 && !arm64

package gateway

// crosscall2Addr is 0 where no gateway is written yet: callbacks report
// that the architecture is not supported.
func crosscall2Addr() uintptr { return 0 }
