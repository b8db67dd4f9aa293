//go:build !darwin

package mcode

// syncICache makes the n bytes of code at addr, just written through the
// data side (stores or pwrite to the same pages), visible to instruction
// fetch on every core: clean the data cache to the point of unification,
// then invalidate the instruction cache, line by line with the line sizes
// from CTR_EL0 (icache_arm64.s). The range must be mapped readable.
//
//go:noescape
func syncICache(addr, n uintptr)
