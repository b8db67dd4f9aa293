//go:build !unix

package mcode

import "errors"

var errNoPages = errors.New("mcode: executable pages are not implemented on this OS yet")

func mapRW(n int) ([]byte, error) { return nil, errNoPages }
func protectRX(b []byte) error    { return errNoPages }
func unmap(b []byte)              {}
