//go:build cgo

package benchmarks

import (
	"testing"

	"github.com/seed5ca82032/ffi/benchmarks/cgocall"
)

func init() {
	impls = append(impls, impl{
		name:  "cgo",
		add:   func(*testing.B) func(a, b int32) int32 { return cgocall.Add },
		hypot: func(*testing.B) func(x, y float64) float64 { return cgocall.Hypot },
	})
}
