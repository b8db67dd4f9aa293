//go:build unix && !linux

package mcode

// mapRegion returns memory for one group.
func mapRegion(n int) (region, error) { return mapProtect(n) }
