package ffi

import (
	"math"
	"unsafe"
)

// fastPathOK reports whether calling Go funcs through erasedFunc delivers
// their arguments and results correctly on this toolchain. It is decided
// once at start-up by calling real funcs of mixed shapes.
var fastPathOK = fastPathWorks()

//go:noinline
func fastProbeMixed(a int8, x float32, b uint16, y float64, c int32, p unsafe.Pointer, d bool, e int64, f uint64) float64 {
	s := float64(a) + float64(x) + float64(b) + y + float64(c) + float64(uintptr(p)) + float64(e) + float64(f)
	if d {
		s = -s
	}
	return s
}

//go:noinline
func fastProbeSmall(a uint16, x float32, b int8) int16 {
	return int16(a)*100 + int16(x*10) + int16(b)
}

//go:noinline
func fastProbeInts(a, b, c, d, e, f, g, h, i int32) int32 {
	return a - b + c - d + e - f + g - h + i*1000
}

//go:noinline
func fastProbeFloats(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o float32) float32 {
	return a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*g + 8*h + 9*i + 10*j + 11*k + 12*l + 13*m + 14*n + 15*o
}

func fastPathWorks() bool {
	f32 := func(v float32) float64 { return math.Float64frombits(uint64(math.Float32bits(v))) }
	neg8 := int8(-3)
	// ints in order: a b c p d e f (then two ignored); floats: x y.
	_, r := eraseFunc(fastProbeMixed)(uint64(neg8), 7, 1000, 0, 1, 8, 1<<40, 99, 99,
		f32(0.5), 2.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if r != fastProbeMixed(-3, 0.5, 7, 2.25, 1000, nil, true, 8, 1<<40) {
		return false
	}
	// The short erased shapes of the small invokers: exactly the callee's
	// own register count.
	small := fastProbeSmall
	fv := (*[2]unsafe.Pointer)(unsafe.Pointer(&small))[0]
	si, _ := (*(*func(uint64, uint64, float64) (uint64, float64))(unsafe.Pointer(&fv)))(0xdead_0000_0005, uint64(neg8), f32(2.5))
	if int16(si) != fastProbeSmall(5, 2.5, -3) {
		return false
	}
	m9 := uint64(0xffffffff_00000000)
	ri, _ := eraseFunc(fastProbeInts)(m9|1, m9|2, m9|3, m9|4, m9|5, m9|6, m9|7, m9|8, m9|9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if int32(ri) != fastProbeInts(1, 2, 3, 4, 5, 6, 7, 8, 9) {
		return false
	}
	var fs [15]float64
	for i := range fs {
		fs[i] = f32(float32(i + 1))
	}
	_, rf := eraseFunc(fastProbeFloats)(0, 0, 0, 0, 0, 0, 0, 0, 0, fs[0], fs[1], fs[2], fs[3], fs[4], fs[5], fs[6], fs[7], fs[8], fs[9], fs[10], fs[11], fs[12], fs[13], fs[14])
	return math.Float32frombits(uint32(math.Float64bits(rf))) == fastProbeFloats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
}
