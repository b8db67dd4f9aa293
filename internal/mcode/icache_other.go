//go:build !arm64

package mcode

// syncICache does nothing: on this architecture instruction fetch sees
// stores to code (amd64 keeps caches coherent; self-modifying code rules
// are met by the mprotect or the mapping that makes the group executable).
func syncICache(addr, n uintptr) {}
