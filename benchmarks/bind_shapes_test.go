//go:build !windows

package benchmarks

import (
	"os"
	"sort"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// The bound-call shapes of issue 10, each with an ffi row (Library.Bind),
// a purego row (RegisterFunc, where purego supports the shape) and, with
// cgo, a cgo row calling the same C code (bind_shapes_cgo_test.go).

type big3 struct{ A, B, C int64 }

// shapeCgo holds the cgo row of each shape, added by
// bind_shapes_cgo_test.go when cgo is on.
var shapeCgo = map[string]func(b *testing.B){}

// shapesLib compiles cgoshapes/shapes.c.h into a shared library (once per
// binary) and opens it with ffi and with purego.
func shapesLib(b *testing.B) (*ffi.Library, uintptr) {
	src, err := os.ReadFile("cgoshapes/shapes.c.h")
	if err != nil {
		b.Fatal(err)
	}
	so := ctest.SharedLib(b, "#define SHAPES_STATIC\n#include <stddef.h>\n"+string(src), "-O2")
	lib, err := ffi.Open(so)
	if err != nil {
		b.Fatal(err)
	}
	h, err := purego.Dlopen(so, purego.RTLD_NOW|purego.RTLD_LOCAL)
	if err != nil {
		b.Fatal(err)
	}
	return lib, h
}

func mustBind(b *testing.B, lib *ffi.Library, fn any, decl string) {
	if err := lib.Bind(fn, decl); err != nil {
		b.Fatal(err)
	}
}

// puregoRegister binds fn with purego.RegisterLibFunc, skipping the row if
// purego does not support the shape.
func puregoRegister(b *testing.B, fn any, h uintptr, name string) {
	defer func() {
		if r := recover(); r != nil {
			b.Skipf("purego: %v", r)
		}
	}()
	purego.RegisterLibFunc(fn, h, name)
}

// runShape runs the ffi, purego and cgo rows of one shape.
func runShape(b *testing.B, shape string, ffiRow, puregoRow func(b *testing.B)) {
	b.Run("ffi", ffiRow)
	if cgo := shapeCgo[shape]; cgo != nil {
		b.Run("cgo", cgo)
	}
	if puregoRow != nil {
		b.Run("purego", puregoRow)
	}
}

var sink float64

func BenchmarkBindMixed6(b *testing.B) {
	x := new(int)
	mixed := func(b *testing.B, f func(int32, float64, unsafe.Pointer, int64, float32, int32) float64) {
		if got := f(1, 2.5, unsafe.Pointer(x), 4, 0.5, 6); got != 15 {
			b.Fatalf("mixed6 = %v, want 15", got)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += f(int32(i), 2.5, unsafe.Pointer(x), 4, 0.5, 6)
		}
	}
	runShape(b, "Mixed6", func(b *testing.B) {
		lib, _ := shapesLib(b)
		var f func(int32, float64, unsafe.Pointer, int64, float32, int32) float64
		mustBind(b, lib, &f, "double mixed6(int a, double b, void *p, long long c, float d, int e)")
		mixed(b, f)
	}, func(b *testing.B) {
		_, h := shapesLib(b)
		var f func(int32, float64, unsafe.Pointer, int64, float32, int32) float64
		puregoRegister(b, &f, h, "mixed6")
		mixed(b, f)
	})
}

func BenchmarkBindArgs10(b *testing.B) {
	run := func(b *testing.B, f func(a, b, c, d, e, f, g, h int64, x, y float64) int64) {
		if got := f(1, 2, 3, 4, 5, 6, 7, 8, 9, 10); got != 55 {
			b.Fatalf("args10 = %v, want 55", got)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += float64(f(int64(i), 2, 3, 4, 5, 6, 7, 8, 9, 10))
		}
	}
	runShape(b, "Args10", func(b *testing.B) {
		lib, _ := shapesLib(b)
		var f func(a, b, c, d, e, f, g, h int64, x, y float64) int64
		mustBind(b, lib, &f, "long args10(long a, long b, long c, long d, long e, long f, long g, long h, double x, double y)")
		run(b, f)
	}, func(b *testing.B) {
		_, h := shapesLib(b)
		var f func(a, b, c, d, e, f, g, h int64, x, y float64) int64
		puregoRegister(b, &f, h, "args10")
		run(b, f)
	})
}

const vecDecl = "struct vec { double x, y; } vadd(struct vec a, struct vec b)"

func BenchmarkBindStructVec(b *testing.B) {
	run := func(b *testing.B, f func(a, b vec) vec) {
		if got := f(vec{1, 2}, vec{3, 4}); got != (vec{4, 6}) {
			b.Fatalf("vadd = %v", got)
		}
		b.ReportAllocs()
		v := vec{}
		for b.Loop() {
			v = f(v, vec{1, 0.5})
		}
		sink += v.X
	}
	runShape(b, "StructVec", func(b *testing.B) {
		lib, _ := shapesLib(b)
		var f func(a, b vec) vec
		mustBind(b, lib, &f, vecDecl)
		run(b, f)
	}, func(b *testing.B) {
		_, h := shapesLib(b)
		var f func(a, b vec) vec
		puregoRegister(b, &f, h, "vadd")
		run(b, f)
	})
}

func BenchmarkBindStructSRet(b *testing.B) {
	run := func(b *testing.B, f func(x int64) big3) {
		if got := f(5); got != (big3{5, 6, 7}) {
			b.Fatalf("make3 = %v", got)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += float64(f(int64(i)).C)
		}
	}
	runShape(b, "StructSRet", func(b *testing.B) {
		lib, _ := shapesLib(b)
		var f func(x int64) big3
		mustBind(b, lib, &f, "struct big3 { long a, b, c; } make3(long x)")
		run(b, f)
	}, func(b *testing.B) {
		_, h := shapesLib(b)
		var f func(x int64) big3
		puregoRegister(b, &f, h, "make3")
		run(b, f)
	})
}

// BenchmarkBindVarargs calls snprintf with two int variadic arguments and,
// for reference, the fixed-argument C wrapper fmt2 around it.
func BenchmarkBindVarargs(b *testing.B) {
	format := []byte("%d-%d\x00")
	run := func(b *testing.B, f func(buf []byte, a, c int32) int32) {
		buf := make([]byte, 32)
		if n := f(buf, 12, 345); n != 6 || string(buf[:6]) != "12-345" {
			b.Fatalf("snprintf wrote %q (%d)", buf[:6], n)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			sink += float64(f(buf, int32(i), 7))
		}
	}
	b.Run("ffi", func(b *testing.B) {
		libc, err := ffi.Open("libc.so.6")
		if err != nil {
			b.Fatal(err)
		}
		var snprintf func(buf []byte, n uintptr, format []byte, args ...any) int32
		mustBind(b, libc, &snprintf, "int snprintf(char *buf, size_t n, const char *format, ...)")
		run(b, func(buf []byte, a, c int32) int32 { return snprintf(buf, uintptr(len(buf)), format, a, c) })
	})
	b.Run("ffiFixedWrapper", func(b *testing.B) {
		lib, _ := shapesLib(b)
		var fmt2 func(buf []byte, n uintptr, format []byte, a, c int32) int32
		mustBind(b, lib, &fmt2, "int fmt2(char *buf, size_t n, const char *format, int a, int b)")
		run(b, func(buf []byte, a, c int32) int32 { return fmt2(buf, uintptr(len(buf)), format, a, c) })
	})
	if cgo := shapeCgo["Varargs"]; cgo != nil {
		b.Run("cgoFixedWrapper", cgo)
	}
	b.Run("puregoFixedWrapper", func(b *testing.B) {
		_, h := shapesLib(b)
		var fmt2 func(buf *byte, n uintptr, format *byte, a, c int32) int32
		puregoRegister(b, &fmt2, h, "fmt2")
		run(b, func(buf []byte, a, c int32) int32 { return fmt2(&buf[0], uintptr(len(buf)), &format[0], a, c) })
	})
}

// BenchmarkBindQsortCallback sorts 16 ints with libc's qsort and a Go
// comparator: the README's example shape (a *Callback parameter).
func BenchmarkBindQsortCallback(b *testing.B) {
	data := make([]int32, 16)
	fill := func() {
		for i := range data {
			data[i] = int32((i * 7919) % 16)
		}
	}
	check := func(b *testing.B) {
		if !sort.SliceIsSorted(data, func(i, j int) bool { return data[i] < data[j] }) {
			b.Fatalf("not sorted: %v", data)
		}
	}
	b.Run("ffi", func(b *testing.B) {
		libc, err := ffi.Open("libc.so.6")
		if err != nil {
			b.Fatal(err)
		}
		var qsort func(base unsafe.Pointer, n, size uintptr, cmp *ffi.Callback)
		mustBind(b, libc, &qsort, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))")
		cmp, err := ffi.NewCallback("int (*)(const void *, const void *)", func(a, b unsafe.Pointer) int32 { return *(*int32)(a) - *(*int32)(b) })
		if err != nil {
			b.Fatal(err)
		}
		defer cmp.Free()
		b.ReportAllocs()
		for b.Loop() {
			fill()
			qsort(unsafe.Pointer(&data[0]), uintptr(len(data)), 4, cmp)
		}
		check(b)
	})
	if cgo := shapeCgo["Qsort"]; cgo != nil {
		b.Run("cgo", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fill()
				cgoSortInts(data)
			}
			check(b)
		})
	}
	b.Run("purego", func(b *testing.B) {
		h, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW|purego.RTLD_LOCAL)
		if err != nil {
			b.Fatal(err)
		}
		var qsort func(base unsafe.Pointer, n, size uintptr, cmp uintptr)
		puregoRegister(b, &qsort, h, "qsort")
		cmp := purego.NewCallback(func(a, b unsafe.Pointer) int32 { return *(*int32)(a) - *(*int32)(b) })
		b.ReportAllocs()
		for b.Loop() {
			fill()
			qsort(unsafe.Pointer(&data[0]), uintptr(len(data)), 4, cmp)
		}
		check(b)
	})
}

func BenchmarkBindStrlen(b *testing.B) {
	s := "a Go string of some length"
	run := func(b *testing.B, f func(string) uintptr) {
		if got := f(s); got != uintptr(len(s)) {
			b.Fatalf("strlen = %d", got)
		}
		b.ReportAllocs()
		for b.Loop() {
			sink += float64(f(s))
		}
	}
	runShape(b, "Strlen", func(b *testing.B) {
		libc, err := ffi.Open("libc.so.6")
		if err != nil {
			b.Fatal(err)
		}
		var strlen func(string) uintptr
		mustBind(b, libc, &strlen, "size_t strlen(const char *)")
		run(b, strlen)
	}, func(b *testing.B) {
		h, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW|purego.RTLD_LOCAL)
		if err != nil {
			b.Fatal(err)
		}
		var strlen func(string) uintptr
		puregoRegister(b, &strlen, h, "strlen")
		run(b, strlen)
	})
}

// BenchmarkBindSetup measures Bind itself (parse, match, classify, build
// the call plan) against purego's RegisterLibFunc.
func BenchmarkBindSetup(b *testing.B) {
	b.Run("ffi", func(b *testing.B) {
		lib, _ := shapesLib(b)
		b.ReportAllocs()
		for b.Loop() {
			var f func(int32, float64, unsafe.Pointer, int64, float32, int32) float64
			mustBind(b, lib, &f, "double mixed6(int a, double b, void *p, long long c, float d, int e)")
		}
	})
	b.Run("purego", func(b *testing.B) {
		_, h := shapesLib(b)
		b.ReportAllocs()
		for b.Loop() {
			var f func(int32, float64, unsafe.Pointer, int64, float32, int32) float64
			purego.RegisterLibFunc(&f, h, "mixed6")
		}
	})
}
