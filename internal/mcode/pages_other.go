//go:build !unix && !windows

package mcode

import "errors"

type region struct {
	write []byte
	base  uintptr
	seal  func() error
	drop  func()
}

func mapRegion(n int) (region, error) {
	return region{}, errors.New("mcode: executable pages are not implemented on this OS yet")
}
