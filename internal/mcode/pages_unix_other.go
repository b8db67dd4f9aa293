//go:build unix && !linux && !(darwin && arm64)

package mcode

// mapRegion returns memory for one group.
func mapRegion(n int) (region, error) { return mapProtect(n) }
