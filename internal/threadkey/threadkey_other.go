//go:build !unix || (!cgo && !((linux || darwin) && (amd64 || arm64)))

package threadkey

// Supported reports whether BindThreads works here: with cgo on, on Unix;
// with cgo off, on Linux and macOS (amd64, arm64).
const Supported = false

// BindThreads does nothing here: Windows has no thread key (the runtime
// attaches and detaches an M on every callback from a thread that C
// created, for cgo's exported functions too), and on other systems with cgo
// off the key is not made (see threadkey_fakecgo.go).
func BindThreads() {}

// ThreadsBound reports false: see BindThreads.
func ThreadsBound() bool { return false }
