package mcode

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/errfmt"
	"golang.org/x/sys/windows"
)

var procFlushInstructionCache = windows.NewLazySystemDLL("kernel32.dll").NewProc("FlushInstructionCache")

// region is memory for one group: code is written into write, computed for
// (and later executed at) base, then seal makes it executable and not
// writable.
type region struct {
	write []byte
	base  uintptr
	seal  func() error
	drop  func()
}

// mapRegion reserves and commits n bytes read-write with VirtualAlloc; seal
// switches them to execute-read with VirtualProtect and flushes the
// instruction cache, so a group is never writable and executable at once.
func mapRegion(n int) (region, error) {
	base, err := windows.VirtualAlloc(0, uintptr(n), windows.MEM_RESERVE|windows.MEM_COMMIT, windows.PAGE_READWRITE)
	if err != nil {
		return region{}, errfmt.Errorf("mcode: VirtualAlloc %d bytes: %w", n, err)
	}
	// The memory is not Go memory: the GC neither scans nor moves it.
	b := unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&base))), n)
	return region{
		write: b,
		base:  base,
		seal: func() error {
			var old uint32
			if err := windows.VirtualProtect(base, uintptr(n), windows.PAGE_EXECUTE_READ, &old); err != nil {
				return errfmt.Errorf("mcode: VirtualProtect execute+read: %w", err)
			}
			// FlushInstructionCache(GetCurrentProcess(), base, n); it cannot
			// fail for memory of this process.
			_, _, _ = procFlushInstructionCache.Call(uintptr(windows.CurrentProcess()), base, uintptr(n))
			return nil
		},
		drop: func() { _ = windows.VirtualFree(base, 0, windows.MEM_RELEASE) },
	}, nil
}
