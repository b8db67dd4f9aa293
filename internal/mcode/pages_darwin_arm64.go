package mcode

import (
	"sync"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi/internal/errfmt"
	"golang.org/x/sys/unix"
)

// On Apple silicon, as LuaJIT does there, a group is a MAP_JIT mapping:
// mapped readable, writable and executable once, but each thread sees it
// either writable or executable, switched per thread with
// pthread_jit_write_protect_np (see jitRegion). This is what a program
// with the hardened runtime may do with the com.apple.security.cs.allow-jit
// entitlement, and what any other program may do too. If MAP_JIT is
// refused, or the switch is not supported, the group is mapped read-write
// and made read-execute by mprotect, as on other systems.
//
// libSystem's functions are called through purego, which needs no cgo.

var (
	libOnce sync.Once
	libErr  error
	// Addresses in libSystem: pthread_jit_write_protect_np,
	// pthread_jit_write_protect_supported_np, sys_icache_invalidate.
	jitWriteProtectNP, jitSupportedNP, icacheInvalidate uintptr
)

// loadLibSystem finds the libSystem functions, once.
func loadLibSystem() error {
	libOnce.Do(func() {
		h, err := purego.Dlopen("/usr/lib/libSystem.B.dylib", purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			libErr = errfmt.Errorf("mcode: loading libSystem: %w", err)
			return
		}
		for _, s := range []struct {
			name string
			addr *uintptr
		}{
			{"pthread_jit_write_protect_np", &jitWriteProtectNP},
			{"pthread_jit_write_protect_supported_np", &jitSupportedNP},
			{"sys_icache_invalidate", &icacheInvalidate},
		} {
			if *s.addr, err = purego.Dlsym(h, s.name); err != nil {
				libErr = errfmt.Errorf("mcode: libSystem: %w", err)
				return
			}
		}
	})
	return libErr
}

// mapRegion returns memory for one group: MAP_JIT where the per-thread
// switch works, else read-write memory sealed by mprotect.
func mapRegion(n int) (region, error) {
	if err := loadLibSystem(); err != nil {
		return region{}, err
	}
	if r, _, _ := purego.SyscallN(jitSupportedNP); r == 0 {
		return mapProtect(n)
	}
	code, err := unix.Mmap(-1, 0, n, unix.PROT_READ|unix.PROT_WRITE|unix.PROT_EXEC, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_JIT)
	if err != nil {
		return mapProtect(n) // no allow-jit entitlement under the hardened runtime
	}
	return jitRegion(code, addrOf(code), jitOps{
		writeProtect: func(protect bool) {
			var on uintptr
			if protect {
				on = 1
			}
			purego.SyscallN(jitWriteProtectNP, on)
		},
		unmap: func() { _ = unix.Munmap(code) },
	}), nil
}

// syncICache makes the n bytes of code at addr visible to instruction
// fetch with sys_icache_invalidate, Apple's way (it cleans the data cache
// and invalidates the instruction cache for the range on every core).
// mapRegion has loaded it before any group exists.
func syncICache(addr, n uintptr) {
	purego.SyscallN(icacheInvalidate, addr, n)
}
