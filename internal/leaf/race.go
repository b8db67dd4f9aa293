//go:build race && ((linux && (amd64 || arm64)) || (windows && amd64))

package leaf

import "unsafe"

// raceEnabled: the race detector is on. The runtime's cgocall tells it
// that C code may synchronize Go code (a release on a runtime variable
// before C runs, an acquire after). A leaf call skips cgocall, so Call
// makes the same two annotations by calling an empty C function through
// cgocall before and after the leaf call: the release of the first and
// the acquire of the second bracket the C code, as in a cgo call.
const raceEnabled = true

// raceSync runs the empty C function noop through runtime.cgocall.
func raceSync() { cgocall(noopAddr, nil) }

//go:linkname cgocall runtime.cgocall
//go:noescape
func cgocall(fn uintptr, arg unsafe.Pointer) int32
