//go:build cgo

// Package cgoshapes is the cgo side of the bound-call shape benchmarks
// (BenchmarkBind* in package benchmarks): the same C functions, compiled
// into this package and called through cgo as a cgo program would.
package cgoshapes

/*
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// noipa: gcc must not inline these into cgo's wrappers (or specialise
// them for their callers), so that cgo calls them as it would call a
// function of a separately compiled library, as the other rows do.
#define SHAPES_STATIC static __attribute__((noipa))
#include "shapes.c.h"

extern int goCompareInts(void *, void *);
static int cmpGo(const void *a, const void *b) { return goCompareInts((void *)a, (void *)b); }
static void sortInts(int *v, size_t n) { qsort(v, n, sizeof(int), cmpGo); }
*/
import "C"

import "unsafe"

// Vec is struct vec.
type Vec struct{ X, Y float64 }

// Big3 is struct big3, 24 bytes: returned through a hidden pointer.
type Big3 struct{ A, B, C int64 }

// Mixed6 calls double mixed6(int, double, void *, long long, float, int).
func Mixed6(a int32, b float64, p unsafe.Pointer, c int64, d float32, e int32) float64 {
	return float64(C.mixed6(C.int(a), C.double(b), p, C.longlong(c), C.float(d), C.int(e)))
}

// Args10 calls long args10(long × 8, double, double).
func Args10(a, b, c, d, e, f, g, h int64, x, y float64) int64 {
	return int64(C.args10(C.long(a), C.long(b), C.long(c), C.long(d), C.long(e), C.long(f), C.long(g), C.long(h), C.double(x), C.double(y)))
}

// Vadd calls struct vec vadd(struct vec, struct vec).
func Vadd(a, b Vec) Vec {
	r := C.vadd(*(*C.struct_vec)(unsafe.Pointer(&a)), *(*C.struct_vec)(unsafe.Pointer(&b)))
	return *(*Vec)(unsafe.Pointer(&r))
}

// Make3 calls struct big3 make3(long).
func Make3(x int64) Big3 {
	r := C.make3(C.long(x))
	return *(*Big3)(unsafe.Pointer(&r))
}

// Snprintf2 calls snprintf(buf, n, format, a, b) through the fixed-argument
// wrapper fmt2 (cgo cannot call variadic C functions).
func Snprintf2(buf []byte, format *byte, a, b int32) int32 {
	return int32(C.fmt2((*C.char)(unsafe.Pointer(&buf[0])), C.size_t(len(buf)), (*C.char)(unsafe.Pointer(format)), C.int(a), C.int(b)))
}

// Strlen calls strlen on a copy of s, as a cgo program does (C.CString and
// free).
func Strlen(s string) uintptr {
	cs := C.CString(s)
	n := C.strlen(cs)
	C.free(unsafe.Pointer(cs))
	return uintptr(n)
}

// SortInts sorts v with C's qsort and a Go comparator exported to C.
func SortInts(v []int32) {
	C.sortInts((*C.int)(unsafe.Pointer(&v[0])), C.size_t(len(v)))
}

//export goCompareInts
func goCompareInts(a, b unsafe.Pointer) C.int {
	return C.int(*(*int32)(a) - *(*int32)(b))
}
