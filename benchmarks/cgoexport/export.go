//go:build cgo

package cgoexport

import "C"

//export goAddII
func goAddII(a, b C.int) C.int { return a + b }

//export goAddDD
func goAddDD(a, b C.double) C.double { return a + b }
