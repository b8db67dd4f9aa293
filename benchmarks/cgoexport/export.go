//go:build cgo

package cgoexport

import "unsafe"

// #include "vec.h"
import "C"

//export goAddII
func goAddII(a, b C.int) C.int { return a + b }

//export goAddDD
func goAddDD(a, b C.double) C.double { return a + b }

//export goVec
func goVec(v C.struct_vec) C.struct_vec { return C.struct_vec{x: v.y, y: v.x + 1} }

//export goMixed8
func goMixed8(a C.int, d C.double, l C.long, f C.float, c C.char, s C.short, p *C.char, u C.unsigned) C.long {
	return C.long(int64(a) + int64(d*2) + int64(l) + int64(f*2) + int64(c) + int64(s) + int64(uintptr(unsafe.Pointer(p))) + int64(u))
}

//export goLong12
func goLong12(a, b, c, d, e, f, g, h, i, j, k, l C.long) C.long {
	return a + b + c + d + e + f + g + h + i + j + k + l
}
