//go:build !cgo && !windows

package benchmarks

// Without cgo there is no cgo row.
var cgoSortInts func([]int32)
