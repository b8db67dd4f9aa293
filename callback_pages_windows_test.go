package ffi_test

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/seed5ca82032/ffi"
)

// TestSlotPagesNeverWritableAndExecutable checks with VirtualQuery that the
// page of a callback pointer is execute-read, and that no part of the
// allocation holding it is writable and executable.
func TestSlotPagesNeverWritableAndExecutable(t *testing.T) {
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	var mbi windows.MemoryBasicInformation
	if err := windows.VirtualQuery(cb.Ptr(), &mbi, unsafe.Sizeof(mbi)); err != nil {
		t.Fatal(err)
	}
	if mbi.Protect != windows.PAGE_EXECUTE_READ {
		t.Errorf("slot page protection %#x, want PAGE_EXECUTE_READ (%#x)", mbi.Protect, windows.PAGE_EXECUTE_READ)
	}
	base := mbi.AllocationBase
	for addr := base; ; addr = mbi.BaseAddress + mbi.RegionSize {
		if err := windows.VirtualQuery(addr, &mbi, unsafe.Sizeof(mbi)); err != nil || mbi.AllocationBase != base {
			break
		}
		switch mbi.Protect &^ (windows.PAGE_GUARD | windows.PAGE_NOCACHE) {
		case windows.PAGE_EXECUTE_READWRITE, windows.PAGE_EXECUTE_WRITECOPY:
			t.Errorf("region %#x+%#x of the slot allocation is writable and executable (%#x)", mbi.BaseAddress, mbi.RegionSize, mbi.Protect)
		}
	}
}
