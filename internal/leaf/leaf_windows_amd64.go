package leaf

import (
	"sync"
	"syscall"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/gateway"
)

// Supported reports whether Call and the misuse check work here.
const Supported = true

// Crosscall2 returns the address the callback entry calls instead of
// crosscall2: the Microsoft x64 function guard, which checks that the
// thread is not inside a leaf call and jumps to the gateway's C-to-Go
// function (the runtime's syscall.NewCallback path; see package gateway)
// with the registers untouched. It returns 0 if the gateway has none.
//
// The thread identity is the same as on linux/amd64, the g in the
// runtime's thread-local storage: on Windows the runtime keeps, in a TLS
// slot of the thread's TEB, a pointer to its M's g cell, and the guard
// reads the g through it. The slot is 0 on a thread the runtime has never
// entered, and the runtime clears it when it lets go of a thread that C
// created (after dropm), so a thread never sees the g of an M that another
// thread has borrowed since.
func Crosscall2() uintptr {
	targetOnce.Do(func() { target = gateway.Crosscall2() })
	if target == 0 {
		return 0
	}
	return guardAddr
}

var (
	targetOnce sync.Once
	// target is the gateway's C-to-Go function, where guard jumps.
	target uintptr
)

// guardAddr and noopAddr hold the addresses of the assembly functions
// guard and noop (a Microsoft x64 function that returns at once, see
// race.go).
var guardAddr, noopAddr uintptr

// call is the assembly half of Call (leaf_windows_amd64.s): it runs
// callLeaf on the system stack through runtime·asmcgocall.
//
//go:noescape
func call(fn uintptr, frame unsafe.Pointer, name *string)

// writeErr writes p[:n] to standard error with WriteFile, called directly
// (no Go runtime services: see misuse).
//
//go:noescape
func writeErr(p *byte, n int)

// exit2 ends the process with status 2 by ExitProcess, as the runtime's
// own exit does on Windows: it stops the other threads and runs no Go code.
// (TerminateProcess of the process itself left the parent waiting for the
// exited child's output now and then under wine 8.)
func exit2()

// misusePC is the code pointer of misuse, its register-ABI entry.
//
//lint:ignore U1000 read by the guard in leaf_windows_amd64.s
var misusePC = func() uintptr {
	f := misuse
	return **(**uintptr)(unsafe.Pointer(&f))
}()

// What writeErr and exit2 call, resolved once at start-up (misuse runs on
// the system stack inside a leaf call, where nothing can be loaded).
//
//lint:ignore U1000 read by writeErr and exit2 in leaf_windows_amd64.s
var stderrHandle, writeFileAddr, exitProcessAddr uintptr

func init() {
	k := syscall.NewLazyDLL("kernel32.dll")
	writeFileAddr = k.NewProc("WriteFile").Addr()
	exitProcessAddr = k.NewProc("ExitProcess").Addr()
	stderrHandle = uintptr(syscall.Stderr)
}

// stubPC is the address of callLeaf (set in assembly). There is no enter
// routine for compiled stubs here (enterPC 0).
var stubPC, enterPC uintptr
