// Package gateway links the generated callback entry to the Go runtime's
// own path for foreign code calling into Go: crosscall2, which saves the C
// callee-saved registers and calls runtime·cgocallback, which runs a Go
// function on a goroutine stack (attaching an M first when the thread was
// created by C). crosscall2 comes from runtime/cgo when cgo is enabled and
// from purego's fake cgo runtime when it is not; importing purego selects
// the right one. On Windows the runtime's own C-to-Go path,
// syscall.NewCallback, stands in for crosscall2 (gateway_windows_amd64.go).
package gateway

import (
	"unsafe"

	_ "github.com/ebitengine/purego" // provides crosscall2 and the cgo runtime set-up in both modes
)

// Crosscall2 returns the address of crosscall2, a C-ABI function
// crosscall2(fn, frame unsafe.Pointer, n int32, ctxt uintptr) that runs the
// Go function whose code pointer is fn with argument frame.
func Crosscall2() uintptr { return crosscall2Addr() }

// FuncPC returns the code pointer that crosscall2 expects for f: the
// ABIInternal entry of a top-level Go function of type func(unsafe.Pointer).
// f must not be a closure: the runtime calls it without a context.
func FuncPC(f func(unsafe.Pointer)) uintptr {
	return **(**uintptr)(unsafe.Pointer(&f))
}
