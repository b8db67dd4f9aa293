//go:build !cgo || !unix

// Package threadkey makes the Go runtime keep the M of a thread that C
// created bound to it between callbacks (see BindThreads).
package threadkey

// Supported reports whether BindThreads works here (cgo on, Unix).
const Supported = false

// BindThreads does nothing without cgo or off Unix: purego's runtime
// stand-in (cgo off) makes no thread key, and Windows has none, so a
// callback on a thread that C created attaches and detaches an M each time.
func BindThreads() {}

// ThreadsBound reports false: see BindThreads.
func ThreadsBound() bool { return false }
