//go:build !windows

package gateway

func crosscall2Addr() uintptr
