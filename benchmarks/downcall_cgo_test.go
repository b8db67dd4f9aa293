//go:build cgo

package benchmarks

import (
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/benchmarks/cgocall"
)

func init() {
	impls = append(impls, impl{
		name:  "cgo",
		add:   func(*testing.B) func(a, b int32) int32 { return cgocall.Add },
		hypot: func(*testing.B) func(x, y float64) float64 { return cgocall.Hypot },
		mixed6: func(*testing.B) mixed6Func {
			return func(a int32, b float64, p unsafe.Pointer, c int64, d float32, e int32) float64 {
				return cgocall.Mixed6(a, b, p, c, d, e)
			}
		},
	})
}
