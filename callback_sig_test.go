package ffi_test

import (
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// sigCase is one callback signature driven from C: the C fixture calls the
// callback with Args (C literals), and checks that the result equals Want
// (a C literal; empty for void). The Go func checks every argument it
// receives and records a mismatch in bad.
type sigCase struct {
	decl string // C function pointer type
	fn   any
	args string
	want string
}

var bad atomic.Value // string: first argument mismatch seen on the Go side

func expect(cond bool, format string, a ...any) {
	if !cond {
		bad.CompareAndSwap(nil, fmt.Sprintf(format, a...))
	}
}

func sigCases() []sigCase {
	const big = int64(-1) << 40
	p := fakePtr(0x123456789ab0)
	return []sigCase{
		{"signed char (*)(signed char, signed char)", func(a, b int8) int8 { expect(a == -1 && b == 127, "schar %d %d", a, b); return -128 }, "-1, 127", "-128"},
		{"unsigned char (*)(unsigned char, unsigned char)", func(a, b uint8) uint8 { expect(a == 255 && b == 1, "uchar %d %d", a, b); return 254 }, "255, 1", "254"},
		{"char (*)(char)", func(a int8) int8 { expect(a == 'x', "char %d", a); return 'y' }, "'x'", "'y'"},
		{"short (*)(short, short)", func(a, b int16) int16 { expect(a == -2 && b == 32767, "short %d %d", a, b); return -32768 }, "-2, 32767", "-32768"},
		{"unsigned short (*)(unsigned short)", func(a uint16) uint16 { expect(a == 65535, "ushort %d", a); return 65534 }, "65535", "65534"},
		{"int (*)(int, int)", func(a, b int32) int32 { expect(a == -3 && b == math.MaxInt32, "int %d %d", a, b); return math.MinInt32 }, "-3, 2147483647", "(-2147483647-1)"},
		{"unsigned int (*)(unsigned int)", func(a uint32) uint32 { expect(a == 0xfffffff0, "uint %#x", a); return 0xfffffffe }, "0xfffffff0u", "0xfffffffeu"},
		{"long long (*)(long long)", func(a int64) int64 { expect(a == big-5, "long long %d", a); return big + 7 }, "-(1LL<<40)-5", "-(1LL<<40)+7"},
		{"unsigned long long (*)(unsigned long long)", func(a uint64) uint64 { expect(a == math.MaxUint64, "ulong %#x", a); return 1 << 63 }, "~0ULL", "(1ULL<<63)"},
		{"long (*)(long)", func(a int) int { expect(a == -(1<<30)-5, "long %d", a); return 1<<31 - 1 }, "-(1L<<30)-5", "2147483647L"},
		{"unsigned long (*)(unsigned long)", func(a uint) uint { expect(a == 1<<32-1, "ulong %#x", a); return 1 << 31 }, "4294967295UL", "(1UL<<31)"},
		{"long long (*)(long long)", func(a int64) int64 { expect(a == math.MinInt64, "ll %d", a); return math.MaxInt64 }, "(-9223372036854775807LL-1)", "9223372036854775807LL"},
		{"unsigned long long (*)(unsigned long long)", func(a uint64) uint64 { expect(a == 0x8000000000000001, "ull %#x", a); return 42 }, "0x8000000000000001ULL", "42"},
		{"int8_t (*)(int8_t)", func(a int8) int8 { expect(a == -100, "i8 %d", a); return 100 }, "-100", "100"},
		{"uint8_t (*)(uint8_t)", func(a uint8) uint8 { expect(a == 200, "u8 %d", a); return 201 }, "200", "201"},
		{"int16_t (*)(int16_t)", func(a int16) int16 { expect(a == -30000, "i16 %d", a); return 30000 }, "-30000", "30000"},
		{"uint16_t (*)(uint16_t)", func(a uint16) uint16 { expect(a == 60000, "u16 %d", a); return 60001 }, "60000", "60001"},
		{"int32_t (*)(int32_t)", func(a int32) int32 { expect(a == -2000000000, "i32 %d", a); return 2000000000 }, "-2000000000", "2000000000"},
		{"uint32_t (*)(uint32_t)", func(a uint32) uint32 { expect(a == 4000000000, "u32 %d", a); return 4000000001 }, "4000000000u", "4000000001u"},
		{"int64_t (*)(int64_t)", func(a int64) int64 { expect(a == -1, "i64 %d", a); return -2 }, "-1", "-2"},
		{"uint64_t (*)(uint64_t)", func(a uint64) uint64 { expect(a == 1<<63, "u64 %d", a); return 1<<63 + 1 }, "(1ULL<<63)", "((1ULL<<63)+1)"},
		{"size_t (*)(size_t)", func(a uintptr) uintptr { expect(a == 1<<50, "size_t %d", a); return 3 }, "((size_t)1<<50)", "3"},
		{"int (*)(signed char, short)", func(a int, b int) int { expect(a == -7 && b == -8, "go int %d %d", a, b); return -9 }, "-7, -8", "-9"},
		{"unsigned char (*)(unsigned int)", func(a uint) uint { expect(a == 0xffffffff, "go uint %#x", a); return 0x1ff }, "0xffffffffu", "0xff"},
		{"_Bool (*)(_Bool, _Bool)", func(a, b bool) bool { expect(a && !b, "bool %v %v", a, b); return true }, "1, 0", "1"},
		{"float (*)(float, float)", func(a, b float32) float32 { expect(a == 1.5 && b == -0.25, "float %v %v", a, b); return 3.75 }, "1.5f, -0.25f", "3.75f"},
		{"double (*)(double, double)", func(a, b float64) float64 {
			expect(a == -2.25e100 && b == 1e-300, "double %v %v", a, b)
			return math.Pi
		}, "-2.25e100, 1e-300", "3.141592653589793"},
		{"double (*)(int, double, int, float)", func(a int32, b float64, c int32, d float32) float64 {
			expect(a == 1 && b == 2.5 && c == 3 && d == 4.5, "mixed %v %v %v %v", a, b, c, d)
			return 11.5
		}, "1, 2.5, 3, 4.5f", "11.5"},
		{"float (*)(double, int, float, long long)", func(a float64, b int32, c float32, d int64) float32 {
			expect(a == 0.125 && b == -1 && c == 8 && d == big, "mixed2 %v %v %v %v", a, b, c, d)
			return -1
		}, "0.125, -1, 8.0f, -(1LL<<40)", "-1.0f"},
		{"void * (*)(void *, const char *)", func(a, b unsafe.Pointer) unsafe.Pointer {
			expect(a == p && b == nil, "ptr %p %p", a, b)
			return unsafe.Add(p, 16)
		}, "(void *)0x123456789ab0, (const char *)0", "(void *)0x123456789ac0"},
		{"uintptr_t (*)(int *)", func(a *int32) uintptr { expect(uintptr(unsafe.Pointer(a)) == 0x1000, "ptr2 %p", a); return 0x2000 }, "(int *)0x1000", "0x2000"},
		{"void (*)(int, double)", func(a int32, b float64) { expect(a == 5 && b == 6, "void %v %v", a, b) }, "5, 6.0", ""},
		{"void (*)(void)", func() {}, "", ""},
		{"int (*)(void)", func() int32 { return 77 }, "", "77"},
		{"long long (*)(int, int, int, int, int, int, int, int, int, int, int, int, int, int, int, int)",
			func(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15 int32) int64 {
				got := []int32{a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15}
				for i, v := range got {
					expect(v == int32(-i-1), "int16 arg %d = %d", i, v)
				}
				return -1
			}, seq("-%d", 16), "-1"},
		{"unsigned char (*)(unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char, unsigned char)",
			func(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15 uint8) uint8 {
				got := []uint8{a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15}
				for i, v := range got {
					expect(v == uint8(250+i), "uchar16 arg %d = %d", i, v)
				}
				return 250
			}, seq("(unsigned char)(249+%d)", 16), "250"},
		{"double (*)(double, double, double, double, double, double, double, double, double, double, double, double, double, double, double, double)",
			func(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15 float64) float64 {
				got := []float64{a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15}
				for i, v := range got {
					expect(v == float64(i+1)+0.5, "double16 arg %d = %v", i, v)
				}
				return 0.5
			}, seq("%d.5", 16), "0.5"},
		{"float (*)(float, float, float, float, float, float, float, float, float, float, float, float, float, float, float, float)",
			func(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15 float32) float32 {
				got := []float32{a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15}
				for i, v := range got {
					expect(v == -float32(i+1), "float16 arg %d = %v", i, v)
				}
				return 0.25
			}, seq("-%d.0f", 16), "0.25f"},
		{"double (*)(int, double, long long, float, short, double, char, float, long long, double, unsigned, float, int, double, signed char, float)",
			func(a0 int32, a1 float64, a2 int64, a3 float32, a4 int16, a5 float64, a6 int8, a7 float32, a8 int64, a9 float64, a10 uint32, a11 float32, a12 int32, a13 float64, a14 int8, a15 float32) float64 {
				expect(a0 == -1 && a2 == -3 && a4 == -5 && a6 == -7 && a8 == -9 && a10 == 11 && a12 == -13 && a14 == -15, "mixed16 ints %v %v %v %v %v %v %v %v", a0, a2, a4, a6, a8, a10, a12, a14)
				expect(a1 == 2 && a3 == 4 && a5 == 6 && a7 == 8 && a9 == 10 && a11 == 12 && a13 == 14 && a15 == 16, "mixed16 floats %v %v %v %v %v %v %v %v", a1, a3, a5, a7, a9, a11, a13, a15)
				return -0.5
			}, "-1, 2.0, -3L, 4.0f, -5, 6.0, -7, 8.0f, -9LL, 10.0, 11u, 12.0f, -13, 14.0, -15, 16.0f", "-0.5"},
		{"int (*)(double, double, double, double, double, double, double, double, double, double, int, int, int, int, int, int, int, int)",
			func(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9 float64, i0, i1, i2, i3, i4, i5, i6, i7 int32) int32 {
				expect(d8 == 9 && d9 == 10 && i6 == 7 && i7 == 8 && d0 == 1 && i0 == 1, "overflow both %v %v %v %v", d8, d9, i6, i7)
				return int32(d0+d1+d2+d3+d4+d5+d6+d7+d8+d9) + i0 + i1 + i2 + i3 + i4 + i5 + i6 + i7
			}, "1.0,2.0,3.0,4.0,5.0,6.0,7.0,8.0,9.0,10.0,1,2,3,4,5,6,7,8", "91"},
		{"unsigned short (*)(long long, long long, long long, long long, long long, long long, short, unsigned short, signed char, unsigned char)",
			func(a, b, c, d, e, f int64, g int16, h uint16, i int8, j uint8) uint16 {
				expect(g == -1 && h == 65535 && i == -1 && j == 255, "narrow stack %v %v %v %v", g, h, i, j)
				return 65535
			}, "1,2,3,4,5,6,-1,65535,-1,255", "65535"},
		{"float (*)(float, double, float, double, float, double, float, double, float, double)",
			func(a float32, b float64, c float32, d float64, e float32, f float64, g float32, h float64, i float32, j float64) float32 {
				expect(i == 9.5 && j == 10.5 && a == 1.5, "float stack %v %v", i, j)
				return i
			}, "1.5f,2.5,3.5f,4.5,5.5f,6.5,7.5f,8.5,9.5f,10.5", "9.5f"},
		{"void * (*)(void *, void *, void *, void *, void *, void *, void *, void *)",
			func(a, b, c, d, e, f, g, h unsafe.Pointer) unsafe.Pointer {
				// Addresses of at least 4096: the runtime rejects smaller
				// non-nil pointers when it copies a stack.
				expect(uintptr(g) == 0x70000 && uintptr(h) == 0x80000, "ptr stack %v %v", g, h)
				return h
			}, "(void*)0x10000,(void*)0x20000,(void*)0x30000,(void*)0x40000,(void*)0x50000,(void*)0x60000,(void*)0x70000,(void*)0x80000", "(void*)0x80000"},
		{"enum color (*)(enum color)", func(c int32) int32 { expect(c == 6, "enum %d", c); return 5 }, "BLUE", "GREEN"},
		// No value of enum color is negative: GCC types it unsigned int, and
		// Go's uint32 matches it too.
		{"enum color (*)(enum color)", func(c uint32) uint32 { expect(c == 6, "enum %d", c); return 5 }, "BLUE", "GREEN"},
		{"_Bool (*)(int, int, int, int, int, int, _Bool)", func(a, b, c, d, e, f int32, g bool) bool { expect(g, "bool stack %v", g); return false }, "0,0,0,0,0,0,1", "0"},
		{"double (*)(float)", func(a float32) float64 { expect(a == float32(0.1), "f2d %v", a); return float64(a) }, "0.1f", "(double)0.1f"},
		{"float (*)(double)", func(a float64) float32 { expect(a == 0.1, "d2f %v", a); return float32(a) }, "0.1", "0.1f"},
	}
}

func seq(format string, n int) string {
	var s []string
	for i := 1; i <= n; i++ {
		s = append(s, fmt.Sprintf(format, i))
	}
	return strings.Join(s, ", ")
}

// splitFuncPtr splits "R (*)(P)" into "R" and "P".
func splitFuncPtr(decl string) (string, string) {
	i := strings.Index(decl, "(*)(")
	return strings.TrimSpace(decl[:i]), decl[i+4 : len(decl)-1]
}

func TestCallbackSignatures(t *testing.T) {
	cases := sigCases()
	if err := ffi.Cdef("enum color { RED, GREEN = 5, BLUE };"); err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	src.WriteString("#include <stdint.h>\n#include <stddef.h>\n#include <stdbool.h>\nenum color { RED, GREEN = 5, BLUE };\n")
	for i, c := range cases {
		ret, params := splitFuncPtr(c.decl)
		if params == "" {
			params = "void"
		}
		fmt.Fprintf(&src, "typedef %s (*cb%d_t)(%s);\n", ret, i, params)
		if c.want == "" {
			fmt.Fprintf(&src, "int call%d(cb%d_t cb) { cb(%s); return 1; }\n", i, i, c.args)
		} else {
			fmt.Fprintf(&src, "int call%d(cb%d_t cb) { %s r = cb(%s); return r == (%s)(%s); }\n", i, i, ret, c.args, ret, c.want)
		}
	}
	lib := openC(t, ctest.SharedLib(t, src.String(), "-O1"))
	if len(cases) < 40 {
		t.Fatalf("only %d signatures", len(cases))
	}
	for i, c := range cases {
		t.Run(c.decl, func(t *testing.T) {
			cb, err := ffi.NewCallback(c.decl, c.fn)
			if err != nil {
				t.Fatal(err)
			}
			defer cb.Free()
			bad = atomic.Value{}
			sym, err := lib.Sym(fmt.Sprintf("call%d", i))
			if err != nil {
				t.Fatal(err)
			}
			r, _, _ := purego.SyscallN(sym, cb.Ptr())
			if msg := bad.Load(); msg != nil {
				t.Errorf("Go side received wrong arguments: %s", msg)
			}
			if int32(r) != 1 {
				t.Errorf("C side received a wrong result (want %s)", c.want)
			}
		})
	}
}

// TestCallbackResultWidening checks what C code that reads the full 32-bit
// register sees for narrow results: the C fixture declares the callback as
// returning int while it was created returning a narrow type.
func TestCallbackResultWidening(t *testing.T) {
	lib := openC(t, ctest.SharedLib(t, "int call_int(int (*cb)(void)) { return cb(); }\n"+
		"int as_char(int v) { return (char)v; }\n", "-O1"))
	sym, err := lib.Sym("call_int")
	if err != nil {
		t.Fatal(err)
	}
	asChar, err := lib.Sym("as_char")
	if err != nil {
		t.Fatal(err)
	}
	// Plain char is signed on some targets and unsigned on others (arm64
	// Linux): the C compiler says what (int)(char)0x1ff is.
	charFF, _, _ := purego.SyscallN(asChar, 0x1ff)
	for _, c := range []struct {
		decl string
		fn   any
		want int32
	}{
		{"signed char (*)(void)", func() int8 { return -1 }, -1},
		{"unsigned char (*)(void)", func() uint8 { return 255 }, 255},
		{"short (*)(void)", func() int16 { return -2 }, -2},
		{"unsigned short (*)(void)", func() uint16 { return 65535 }, 65535},
		{"_Bool (*)(void)", func() bool { return true }, 1},
		{"char (*)(void)", func() int { return 0x1ff }, int32(charFF)},
		{"unsigned char (*)(void)", func() int { return -1 }, 255},
	} {
		cb, err := ffi.NewCallback(c.decl, c.fn)
		if err != nil {
			t.Fatal(err)
		}
		r, _, _ := purego.SyscallN(sym, cb.Ptr())
		if int32(r) != c.want {
			t.Errorf("%s: C read (int) %d, want %d", c.decl, int32(r), c.want)
		}
		cb.Free()
	}
}

func openC(t testing.TB, path string) *ffi.Library {
	t.Helper()
	h, err := ffi.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// fakePtr returns an unsafe.Pointer holding addr, an address C code will
// only compare (never a Go object).
func fakePtr(addr uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&addr)) }
