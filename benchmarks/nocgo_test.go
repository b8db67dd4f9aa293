//go:build !cgo

package benchmarks

import "testing"

// Without cgo there is no //export reference point.
func benchCgoII(b *testing.B)     {}
func benchCgoDD(b *testing.B)     {}
func benchCgoVec(b *testing.B)    {}
func benchCgoMixed8(b *testing.B) {}
func benchCgoThread(b *testing.B) {}
func benchCgoLong12(b *testing.B) {}
