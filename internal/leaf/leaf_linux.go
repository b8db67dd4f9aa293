//go:build linux && (amd64 || arm64)

package leaf

import "unsafe"

// Supported reports whether Call and the misuse check work here.
const Supported = true

// Crosscall2 returns the address the callback entry calls instead of
// crosscall2: a C-ABI function with crosscall2's arguments that checks
// that the thread is not inside a leaf call and jumps to crosscall2 (see
// the package documentation). A callback from inside a leaf call never
// reaches the runtime: misuse reports it and ends the process.
func Crosscall2() uintptr { return guardAddr }

// guardAddr holds the address of the assembly function guard.
var guardAddr uintptr

// noopAddr holds the address of the assembly function noop, a C-ABI
// function that returns at once (see race.go).
var noopAddr uintptr

// stubPC is the address of callLeaf and enterPC that of enter (set in
// assembly).
var stubPC, enterPC uintptr

// unrecorded is the word enter returns for a thread whose window of the
// table is full: its leaf calls store their name here, where nothing reads
// it.
//
//lint:ignore U1000 written by enter in leaf_$GOARCH.s
var unrecorded uintptr

// call is the assembly half of Call (leaf_$GOARCH.s): it runs callLeaf on
// the system stack through runtime·asmcgocall.
//
//go:noescape
func call(fn uintptr, frame unsafe.Pointer, name *string)

// writeErr writes p[:n] to standard error with a raw write system call.
//
//go:noescape
func writeErr(p *byte, n int)

// exit2 ends the process with status 2 (exit_group), running nothing else.
func exit2()

// misusePC is the code pointer of misuse, its register-ABI entry: the
// first word of a func value of a top-level function.
//
//lint:ignore U1000 read by the guard in leaf_$GOARCH.s
var misusePC = func() uintptr {
	f := misuse
	return **(**uintptr)(unsafe.Pointer(&f))
}()
