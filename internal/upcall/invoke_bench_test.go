package upcall

import (
	"testing"
	"unsafe"
)

// BenchmarkInvoke measures the Go side of one callback call without the
// runtime's C-to-Go transition: slot lookup, argument conversion, the call
// of the Go func and the result store, from a frame built in Go.
func BenchmarkInvoke(b *testing.B) {
	for _, c := range []struct {
		name, decl string
		fn         any
		gpr        [8]uint64
		fpr        [8]uint64
	}{
		{"int(int,int)", "int (*)(int, int)", func(a, c int32) int32 { return a + c }, [8]uint64{1, 2}, [8]uint64{}},
		{"double(double,double)", "double (*)(double, double)", func(a, c float64) float64 { return a + c }, [8]uint64{}, [8]uint64{0x3ff0000000000000, 0x3ff0000000000000}},
		{"int(ptr,ptr)", "int (*)(const void *, const void *)", func(a, c unsafe.Pointer) int32 { return 0 }, [8]uint64{16, 32}, [8]uint64{}},
		{"vec(vec)", "struct { double x, y; } (*)(struct { double x, y; })", func(v struct{ X, Y float64 }) struct{ X, Y float64 } { return struct{ X, Y float64 }{v.Y, v.X + 1} }, [8]uint64{}, [8]uint64{0x3ff0000000000000, 0x3ff0000000000000}},
		{"mixed8", "long (*)(int, double, long, float, char, short, void *, unsigned)", func(a int32, d float64, l int64, f float32, c int8, s int16, p uintptr, u uint32) int64 {
			return int64(a) + int64(d) + l + int64(f) + int64(c) + int64(s) + int64(p) + int64(u)
		}, [8]uint64{1, 2, 3, 4, 5, 6}, [8]uint64{0x3ff0000000000000, 0x3f800000}},
		// The general call with a block (callgo.go): an array argument and
		// result (stack-assigned in Go), and more integers than Go's
		// argument registers (the last ones on the C stack).
		{"arr4(arr4)", "struct { int a[4]; } (*)(struct { int a[4]; })", func(v struct{ A [4]int32 }) struct{ A [4]int32 } { v.A[0]++; return v }, [8]uint64{1 | 2<<32, 3 | 4<<32}, [8]uint64{}},
		{"long12", "long (*)(long, long, long, long, long, long, long, long, long, long, long, long)", func(a, b, c, d, e, f, g, h, i, j, k, l int64) int64 {
			return a + b + c + d + e + f + g + h + i + j + k + l
		}, [8]uint64{1, 2, 3, 4, 5, 6, 7, 8}, [8]uint64{}},
		// The cost of the argument moves alone: a body that ignores them.
		{"mixed8-ignored", "long (*)(int, double, long, float, char, short, void *, unsigned)", func(a int32, d float64, l int64, f float32, c int8, s int16, p uintptr, u uint32) int64 {
			return 0
		}, [8]uint64{1, 2, 3, 4, 5, 6}, [8]uint64{0x3ff0000000000000, 0x3f800000}},
	} {
		b.Run(c.name, func(b *testing.B) {
			cb := newTestSlot(b, c.decl, c.fn)
			defer cb.Free()
			// What the entry reads from the slot's state word.
			stack := [8]uint64{7, 8, 9, 10, 11, 12, 13, 14} // the C caller's stack arguments
			f := &cframe{fpr: c.fpr, slot: uint64(cb.ID), state: *cb.rec.state, stackArgs: unsafe.Pointer(&stack)}
			copy(f.gpr[:], c.gpr[:]) // the frame has more integer registers on some architectures
			p := unsafe.Pointer(f)
			b.ReportAllocs()
			for b.Loop() {
				dispatch(p)
			}
		})
	}
}
