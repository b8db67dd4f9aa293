package ffi

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/bindcall"
	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// bindSrc is the C fixture of the Bind tests. For every scalar type T it has
// id_T (T -> T), narrow_T (long long -> T, so the result register holds
// bits beyond T that the caller must discard) and widen_T (T -> long long,
// so the callee reads only T's bits of its argument).
const bindSrc = `
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SCALAR(T, N) \
	T id_##N(T x) { return x; } \
	T narrow_##N(long long x) { return (T)x; } \
	long long widen_##N(T x) { return (long long)x; }

SCALAR(_Bool, bool)
SCALAR(char, char)
SCALAR(signed char, schar)
SCALAR(unsigned char, uchar)
SCALAR(short, short)
SCALAR(unsigned short, ushort)
SCALAR(int, int)
SCALAR(unsigned int, uint)
SCALAR(long, long)
SCALAR(unsigned long, ulong)
SCALAR(long long, llong)
SCALAR(unsigned long long, ullong)
SCALAR(int8_t, i8)
SCALAR(uint8_t, u8)
SCALAR(int16_t, i16)
SCALAR(uint16_t, u16)
SCALAR(int32_t, i32)
SCALAR(uint32_t, u32)
SCALAR(int64_t, i64)
SCALAR(uint64_t, u64)
SCALAR(size_t, size)
SCALAR(intptr_t, intptr)

enum bind_color { BC_NEG = -5, BC_POS = 7 };
enum bind_color id_color(enum bind_color c) { return c; }

float id_float(float x) { return x; }
double id_double(double x) { return x; }
double float_to_double(float x) { return x; }
float double_to_float(double x) { return (float)x; }
float add_floats(float a, float b) { return a + b; }
void *id_ptr(void *p) { return p; }
void *ptr_add(void *p, long long n) { return (char *)p + n; }

// 16 arguments: 7 integers and 9 floating-point values, so both register
// files overflow onto the stack.
struct mix16 {
	int8_t a; double b; uint16_t c; float d; int32_t e; double f;
	uint64_t g; float h; long long i; double j; unsigned char k; double l;
	short m; float n; double o; double p;
};
double mix16(int8_t a, double b, uint16_t c, float d, int32_t e, double f,
             uint64_t g, float h, long long i, double j, unsigned char k,
             double l, short m, float n, double o, double p) {
	return a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*(double)g + 8*h + 9*i +
	       10*j + 11*k + 12*l + 13*m + 14*n + 15*o + 16*p;
}
void mix16_store(struct mix16 *out, int8_t a, double b, uint16_t c, float d,
                 int32_t e, double f, uint64_t g, float h, long long i, double j,
                 unsigned char k, double l, short m, float n, double o,
                 double p) {
	struct mix16 s = {a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p};
	*out = s;
}
// 16 integers of different widths.
long long ints16(char a, short b, int c, long long d, unsigned char e,
                 unsigned short f, unsigned g, unsigned long long h, long long i,
                 int j, short k, char l, long long m, unsigned n, int o, long long p) {
	return a - b + c - d + e - f + (long long)g - (long long)h + i - j + k - l +
	       m - (long long)n + o - p;
}
// 10 doubles and 10 floats interleaved: only the vector registers overflow.
double floats20(double a0, float b0, double a1, float b1, double a2, float b2,
                double a3, float b3, double a4, float b4, double a5, float b5,
                double a6, float b6, double a7, float b7, double a8, float b8,
                double a9, float b9) {
	return a0 + 2*b0 + 3*a1 + 4*b1 + 5*a2 + 6*b2 + 7*a3 + 8*b3 + 9*a4 + 10*b4 +
	       11*a5 + 12*b5 + 13*a6 + 14*b6 + 15*a7 + 16*b7 + 17*a8 + 18*b8 +
	       19*a9 + 20*b9;
}

void divmod(int a, int b, int *q, int *r) { *q = a / b; *r = a % b; }
void set_ptr(void **pp, void *v) { *pp = v; }
int fill_squares(int *buf, int n) {
	for (int i = 0; i < n; i++) buf[i] = i * i;
	return n;
}
long long sum_longs(const long long *v, int n) {
	long long s = 0;
	for (int i = 0; i < n; i++) s += v[i];
	return s;
}

// late_string takes its string after a double and an integer: on the
// register path its length word is a Go register no other argument uses.
long long late_string(double x, long long a, const char *s) { return a * 1000 + (long long)strlen(s) + (long long)x; }
size_t my_strlen(const char *s) { return strlen(s); }
const char *greeting(int which) { return which ? "hello, world" : 0; }
int count_char(const char *s, char c) {
	int n = 0;
	for (; *s; s++) n += *s == c;
	return n;
}
int str_eq(const char *a, const char *b) { return strcmp(a, b) == 0; }

struct pt { int x, y; };
struct dpt { double x, y; };
struct mixed { long long id; double w; };
struct big { long long a, b, c; };
struct pt pt_add(struct pt a, struct pt b) { struct pt r = {a.x + b.x, a.y + b.y}; return r; }
struct dpt dpt_scale(struct dpt p, double k) { struct dpt r = {p.x * k, p.y * k}; return r; }
struct mixed mixed_make(long long id, double w) { struct mixed m = {id, w}; return m; }
struct big big_make(long long x) { struct big b = {x, x * 2, x * 3}; return b; }
long long big_sum(struct big b) { return b.a + b.b * 10 + b.c * 100; }

int apply(int (*f)(int), int x) { return f(x); }
int nest(int (*cb)(int), int depth) { return cb(depth) + 1; }

// addr_of returns p; addr_stack returns its ninth argument, which every
// ABI here passes on the stack.
uintptr_t addr_of(const void *p) { return (uintptr_t)p; }
uintptr_t addr_stack(long long a, long long b, long long c, long long d, long long e, long long f, long long g, long long h, const void *p) {
	return (uintptr_t)p + (uintptr_t)(a + b + c + d + e + f + g + h);
}

// vsum_ints adds n ints; vsum_doubles adds n doubles, weighting each.
int vsum_ints(int n, ...) {
	va_list ap; va_start(ap, n);
	int s = 0;
	for (int i = 0; i < n; i++) s += va_arg(ap, int) * (i + 1);
	va_end(ap);
	return s;
}
double vsum_doubles(int n, ...) {
	va_list ap; va_start(ap, n);
	double s = 0;
	for (int i = 0; i < n; i++) s += va_arg(ap, double) * (i + 1);
	va_end(ap);
	return s;
}
// vstore reads its variadic arguments as fmt says and stores them: 'i'
// int, 'u' unsigned int, 'l' long long, 's' a string (its length) and 'p'
// a pointer go to ints; 'd' double goes to dbls. It returns the count.
int vstore(long long *ints, double *dbls, const char *fmt, ...) {
	va_list ap; va_start(ap, fmt);
	int n = 0;
	for (const char *f = fmt; *f; f++, n++) {
		switch (*f) {
		case 'i': *ints++ = va_arg(ap, int); break;
		case 'u': *ints++ = va_arg(ap, unsigned int); break;
		case 'l': *ints++ = va_arg(ap, long long); break;
		case 's': *ints++ = (long long)strlen(va_arg(ap, const char *)); break;
		case 'p': *ints++ = (long long)(intptr_t)va_arg(ap, void *); break;
		case 'd': *dbls++ = va_arg(ap, double); break;
		}
	}
	va_end(ap);
	return n;
}
`

var fixtureLib struct {
	sync.Mutex
	lib *Library
}

// bindLib returns the fixture library, compiled and opened once per test
// binary, with the fixture's enum declared in the default scope.
func bindLib(t testing.TB) *Library {
	t.Helper()
	fixtureLib.Lock()
	defer fixtureLib.Unlock()
	if fixtureLib.lib == nil {
		lib, err := Open(ctest.SharedLib(t, bindSrc, "-O2"))
		if err != nil {
			t.Fatal(err)
		}
		if err := Cdef("enum bind_color { BC_NEG = -5, BC_POS = 7 };"); err != nil {
			t.Fatal(err)
		}
		fixtureLib.lib = lib
	}
	return fixtureLib.lib
}

func mustBind(t testing.TB, lib *Library, fnPtr any, decl string) {
	t.Helper()
	if err := lib.Bind(fnPtr, decl); err != nil {
		t.Fatal(err)
	}
}

// wides are arguments for the narrow_* functions: their bits beyond any
// narrow type are set, so a result that is not extended from its own width
// shows.
var wides = []int64{0, 1, -1, 0x7f, 0x80, 0xff, 0x100, 0x17f, 0x7fff, 0x8000, 0xffff, 0x1_8000,
	0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0x1_2345_6789, -0x8000_0001, math.MaxInt64, math.MinInt64,
	0x1234_5678_9abc_def0, -0x1234_5678_9abc_def0}

// checkScalar binds id_N, narrow_N and widen_N for C type ctyp as Go type T
// and checks each value: narrow is Go's conversion from int64 (C's for
// these types), widen the conversion to int64.
func checkScalar[T comparable](t *testing.T, ctyp, n string, vals []T, narrow func(int64) T, widen func(T) int64) {
	t.Helper()
	lib := bindLib(t)
	var id func(T) T
	var nar func(int64) T
	var wid func(T) int64
	mustBind(t, lib, &id, fmt.Sprintf("%s id_%s(%s x)", ctyp, n, ctyp))
	mustBind(t, lib, &nar, fmt.Sprintf("%s narrow_%s(long long x)", ctyp, n))
	mustBind(t, lib, &wid, fmt.Sprintf("long long widen_%s(%s)", n, ctyp))
	for _, v := range vals {
		if got := id(v); got != v {
			t.Errorf("id_%s(%v) = %v", n, v, got)
		}
		if got, want := wid(v), widen(v); got != want {
			t.Errorf("widen_%s(%v) = %v, want %v", n, v, got, want)
		}
	}
	for _, x := range wides {
		if got, want := nar(x), narrow(x); got != want {
			t.Errorf("narrow_%s(%#x) = %v, want %v", n, x, got, want)
		}
	}
}

// longSize is the size of C long on the host: 8, or 4 on Windows.
var longSize = ctype.Host().LongSize

// Host names the tests use: the C library and the math library loaded by
// name, and words of the loader's messages for a missing library and for a
// missing file.
var hostLibc, hostLibm, hostNoLib, hostNoFile = "libc.so.6", "libm.so.6", "cannot open shared object file", "No such file or directory"

func init() {
	if runtime.GOOS == "windows" {
		// Windows says "The specified module could not be found.", wine
		// "Module not found.".
		hostLibc, hostLibm, hostNoLib, hostNoFile = "msvcrt.dll", "msvcrt.dll", "found", "found"
	}
}

func TestBindScalars(t *testing.T) {
	func() {
		i8s := []int8{0, 1, -1, 127, -128, 42}
		u8s := []uint8{0, 1, 127, 128, 255}
		i16s := []int16{0, -1, 32767, -32768, 1234}
		u16s := []uint16{0, 1, 32768, 65535}
		i32s := []int32{0, -1, math.MaxInt32, math.MinInt32, 123456}
		u32s := []uint32{0, 1, 1 << 31, math.MaxUint32}
		i64s := []int64{0, -1, math.MaxInt64, math.MinInt64, 1 << 40}
		u64s := []uint64{0, 1, 1 << 63, math.MaxUint64}

		checkScalar(t, "_Bool", "bool", []bool{false, true}, func(x int64) bool { return x != 0 },
			func(v bool) int64 {
				if v {
					return 1
				}
				return 0
			})
		charSigned := ctest.CharSigned(t) // plain char is unsigned on arm64 Linux
		checkScalar(t, "char", "char", i8s, func(x int64) int8 { return int8(x) }, func(v int8) int64 {
			if !charSigned {
				return int64(uint8(v))
			}
			return int64(v)
		})
		checkScalar(t, "signed char", "schar", i8s, func(x int64) int8 { return int8(x) }, func(v int8) int64 { return int64(v) })
		checkScalar(t, "unsigned char", "uchar", u8s, func(x int64) uint8 { return uint8(x) }, func(v uint8) int64 { return int64(v) })
		checkScalar(t, "short", "short", i16s, func(x int64) int16 { return int16(x) }, func(v int16) int64 { return int64(v) })
		checkScalar(t, "unsigned short", "ushort", u16s, func(x int64) uint16 { return uint16(x) }, func(v uint16) int64 { return int64(v) })
		checkScalar(t, "int", "int", i32s, func(x int64) int32 { return int32(x) }, func(v int32) int64 { return int64(v) })
		checkScalar(t, "unsigned int", "uint", u32s, func(x int64) uint32 { return uint32(x) }, func(v uint32) int64 { return int64(v) })
		if longSize == 8 {
			checkScalar(t, "long", "long", i64s, func(x int64) int64 { return x }, func(v int64) int64 { return v })
			checkScalar(t, "unsigned long", "ulong", u64s, func(x int64) uint64 { return uint64(x) }, func(v uint64) int64 { return int64(v) })
		} else { // Windows: long is 4 bytes
			checkScalar(t, "long", "long", i32s, func(x int64) int32 { return int32(x) }, func(v int32) int64 { return int64(v) })
			checkScalar(t, "unsigned long", "ulong", u32s, func(x int64) uint32 { return uint32(x) }, func(v uint32) int64 { return int64(v) })
		}
		checkScalar(t, "long long", "llong", i64s, func(x int64) int64 { return x }, func(v int64) int64 { return v })
		checkScalar(t, "unsigned long long", "ullong", u64s, func(x int64) uint64 { return uint64(x) }, func(v uint64) int64 { return int64(v) })
		checkScalar(t, "int8_t", "i8", i8s, func(x int64) int8 { return int8(x) }, func(v int8) int64 { return int64(v) })
		checkScalar(t, "uint8_t", "u8", u8s, func(x int64) uint8 { return uint8(x) }, func(v uint8) int64 { return int64(v) })
		checkScalar(t, "int16_t", "i16", i16s, func(x int64) int16 { return int16(x) }, func(v int16) int64 { return int64(v) })
		checkScalar(t, "uint16_t", "u16", u16s, func(x int64) uint16 { return uint16(x) }, func(v uint16) int64 { return int64(v) })
		checkScalar(t, "int32_t", "i32", i32s, func(x int64) int32 { return int32(x) }, func(v int32) int64 { return int64(v) })
		checkScalar(t, "uint32_t", "u32", u32s, func(x int64) uint32 { return uint32(x) }, func(v uint32) int64 { return int64(v) })
		checkScalar(t, "int64_t", "i64", i64s, func(x int64) int64 { return x }, func(v int64) int64 { return v })
		checkScalar(t, "uint64_t", "u64", u64s, func(x int64) uint64 { return uint64(x) }, func(v uint64) int64 { return int64(v) })
		checkScalar(t, "size_t", "size", []uintptr{0, 1, math.MaxUint64 >> 1, math.MaxUint64},
			func(x int64) uintptr { return uintptr(x) }, func(v uintptr) int64 { return int64(v) })
		checkScalar(t, "intptr_t", "intptr", i64s, func(x int64) int64 { return x }, func(v int64) int64 { return v })
		// Go int and uint match any C integer, converted as C converts.
		checkScalar(t, "short", "short", []int{0, -1, 300, -32768}, func(x int64) int { return int(int16(x)) }, func(v int) int64 { return int64(int16(v)) })
		checkScalar(t, "unsigned char", "uchar", []uint{0, 200, 255}, func(x int64) uint { return uint(uint8(x)) }, func(v uint) int64 { return int64(uint8(v)) })
		checkScalar(t, "int", "int", []int{0, -7, math.MaxInt32}, func(x int64) int { return int(int32(x)) }, func(v int) int64 { return int64(int32(v)) })
		checkScalar(t, "unsigned long long", "ullong", []uint{0, math.MaxUint64}, func(x int64) uint { return uint(x) }, func(v uint) int64 { return int64(v) })
		checkScalar(t, "unsigned long", "ulong", []uint{0, 1 << 31}, func(x int64) uint {
			if longSize == 4 {
				return uint(uint32(x))
			}
			return uint(x)
		}, func(v uint) int64 { return int64(v) })
	}()
}

func TestBindFloatsPointersEnums(t *testing.T) {
	func() {
		lib := bindLib(t)
		var idf func(float32) float32
		var idd func(float64) float64
		var f2d func(float32) float64
		var d2f func(float64) float32
		var addf func(float32, float32) float32
		mustBind(t, lib, &idf, "float id_float(float)")
		mustBind(t, lib, &idd, "double id_double(double)")
		mustBind(t, lib, &f2d, "double float_to_double(float)")
		mustBind(t, lib, &d2f, "float double_to_float(double)")
		mustBind(t, lib, &addf, "float add_floats(float, float)")
		for _, v := range []float32{0, float32(math.Copysign(0, -1)), 1.5, -3.25, math.MaxFloat32, math.SmallestNonzeroFloat32, float32(math.Inf(-1)), float32(math.NaN())} {
			if got := idf(v); math.Float32bits(got) != math.Float32bits(v) {
				t.Errorf("id_float(%v) = %v", v, got)
			}
			if got := f2d(v); math.Float64bits(got) != math.Float64bits(float64(v)) {
				t.Errorf("float_to_double(%v) = %v", v, got)
			}
			if got, want := addf(v, 0.25), v+0.25; math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("add_floats(%v, 0.25) = %v, want %v", v, got, want)
			}
		}
		for _, v := range []float64{0, -1.5, math.MaxFloat64, math.SmallestNonzeroFloat64, math.Inf(1), 1e300, 1.0 / 3} {
			if got := idd(v); math.Float64bits(got) != math.Float64bits(v) {
				t.Errorf("id_double(%v) = %v", v, got)
			}
			if got, want := d2f(v), float32(v); math.Float32bits(got) != math.Float32bits(want) {
				t.Errorf("double_to_float(%v) = %v, want %v", v, got, want)
			}
		}

		var idp func(unsafe.Pointer) unsafe.Pointer
		var idu func(uintptr) uintptr
		var idg func(*int32) *int32
		var padd func(unsafe.Pointer, int64) unsafe.Pointer
		mustBind(t, lib, &idp, "void *id_ptr(void *)")
		mustBind(t, lib, &idu, "void *id_ptr(void *)")
		mustBind(t, lib, &idg, "void *id_ptr(void *)")
		mustBind(t, lib, &padd, "void *ptr_add(void *p, long long n)")
		arr := new([4]int32)
		if got := idp(unsafe.Pointer(arr)); got != unsafe.Pointer(arr) {
			t.Errorf("id_ptr(%p) = %p", arr, got)
		}
		if got := idp(nil); got != nil {
			t.Errorf("id_ptr(nil) = %p", got)
		}
		if got := idu(^uintptr(0) - 7); got != ^uintptr(0)-7 {
			t.Errorf("id_ptr(%#x) = %#x", ^uintptr(0)-7, got)
		}
		if got := idg(&arr[1]); got != &arr[1] {
			t.Errorf("id_ptr(%p) = %p", &arr[1], got)
		}
		if got := padd(unsafe.Pointer(arr), 8); got != unsafe.Pointer(&arr[2]) {
			t.Errorf("ptr_add(%p, 8) = %p, want %p", arr, got, &arr[2])
		}

		var color func(int32) int32
		mustBind(t, lib, &color, "enum bind_color id_color(enum bind_color c)")
		for _, c := range []int32{-5, 7, 0} {
			if got := color(c); got != c {
				t.Errorf("id_color(%d) = %d", c, got)
			}
		}
		// An enum with a negative value takes only Go's signed integers.
		var ucolor func(uint32) uint32
		if err := lib.Bind(&ucolor, "enum bind_color id_color(enum bind_color c)"); err == nil || !strings.Contains(err.Error(), "C enum bind_color needs Go int32, int or uint") {
			t.Errorf("id_color bound with uint32: %v", err)
		}
	}()
}

// mix16 has the layout of the fixture's struct mix16.
type mix16 struct {
	A int8
	B float64
	C uint16
	D float32
	E int32
	F float64
	G uint64
	H float32
	I int64
	J float64
	K uint8
	L float64
	M int16
	N float32
	O float64
	P float64
}

func TestBindManyArguments(t *testing.T) {
	lib := bindLib(t)
	var sum func(int8, float64, uint16, float32, int32, float64, uint64, float32, int64, float64, uint8, float64, int16, float32, float64, float64) float64
	var store func(*mix16, int8, float64, uint16, float32, int32, float64, uint64, float32, int64, float64, uint8, float64, int16, float32, float64, float64)
	mustBind(t, lib, &sum, `double mix16(int8_t a, double b, uint16_t c, float d, int32_t e, double f,
		uint64_t g, float h, long long i, double j, unsigned char k, double l, short m, float n, double o, double p)`)
	mustBind(t, lib, &store, `void mix16_store(struct mix16 *out, int8_t a, double b, uint16_t c, float d,
		int32_t e, double f, uint64_t g, float h, long long i, double j, unsigned char k, double l, short m,
		float n, double o, double p)`)
	// Values exact in float and double, so any evaluation order agrees.
	in := mix16{-7, 1.5, 65000, -2.25, -100000, 0.125, 1 << 40, 3.5, -(1 << 33), -8.75, 250, 1 << 20, -300, 0.5, -1e6, 42}
	want := float64(in.A) + 2*in.B + 3*float64(in.C) + 4*float64(in.D) + 5*float64(in.E) + 6*in.F +
		7*float64(in.G) + 8*float64(in.H) + 9*float64(in.I) + 10*in.J + 11*float64(in.K) + 12*in.L +
		13*float64(in.M) + 14*float64(in.N) + 15*in.O + 16*in.P
	if got := sum(in.A, in.B, in.C, in.D, in.E, in.F, in.G, in.H, in.I, in.J, in.K, in.L, in.M, in.N, in.O, in.P); got != want {
		t.Errorf("mix16 = %v, want %v", got, want)
	}
	var out mix16
	store(&out, in.A, in.B, in.C, in.D, in.E, in.F, in.G, in.H, in.I, in.J, in.K, in.L, in.M, in.N, in.O, in.P)
	if out != in {
		t.Errorf("mix16_store stored\n%+v, want\n%+v", out, in)
	}

	var ints16 func(int8, int16, int32, int64, uint8, uint16, uint32, uint64, int64, int32, int16, int8, int64, uint32, int32, int64) int64
	mustBind(t, lib, &ints16, `long long ints16(char a, short b, int c, long long d, unsigned char e, unsigned short f,
		unsigned g, unsigned long long h, long long i, int j, short k, char l, long long m, unsigned n, int o, long long p)`)
	a, b, c, d, e, f := int8(-100), int16(-30000), int32(2_000_000_000), int64(-1<<50), uint8(200), uint16(60000)
	g, h, i, j, k, l := uint32(4_000_000_000), uint64(1<<45), int64(-1<<55), int32(-5), int16(7), int8(-9)
	m, n, o, p := int64(1<<60), uint32(3), int32(-2_000_000_000), int64(11)
	wantI := int64(a) - int64(b) + int64(c) - d + int64(e) - int64(f) + int64(g) - int64(h) + i - int64(j) + int64(k) - int64(l) + m - int64(n) + int64(o) - p
	if got := ints16(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p); got != wantI {
		t.Errorf("ints16 = %d, want %d", got, wantI)
	}

	var floats20 func(float64, float32, float64, float32, float64, float32, float64, float32, float64, float32,
		float64, float32, float64, float32, float64, float32, float64, float32, float64, float32) float64
	mustBind(t, lib, &floats20, `double floats20(double a0, float b0, double a1, float b1, double a2, float b2,
		double a3, float b3, double a4, float b4, double a5, float b5, double a6, float b6, double a7, float b7,
		double a8, float b8, double a9, float b9)`)
	var av [10]float64
	var bv [10]float32
	var wantF float64
	for x := range 10 {
		av[x], bv[x] = float64(x)+0.5, -float32(x)*0.25
		wantF += float64(2*x+1)*av[x] + float64(2*x+2)*float64(bv[x])
	}
	gotF := floats20(av[0], bv[0], av[1], bv[1], av[2], bv[2], av[3], bv[3], av[4], bv[4],
		av[5], bv[5], av[6], bv[6], av[7], bv[7], av[8], bv[8], av[9], bv[9])
	if gotF != wantF {
		t.Errorf("floats20 = %v, want %v", gotF, wantF)
	}
}

func TestBindOutParams(t *testing.T) {
	func() {
		lib := bindLib(t)
		var divmod func(int32, int32, *int32, *int32)
		mustBind(t, lib, &divmod, "void divmod(int a, int b, int *q, int *r)")
		for _, c := range [][2]int32{{17, 5}, {-17, 5}, {1 << 30, 7}} {
			var q, r int32
			divmod(c[0], c[1], &q, &r)
			if q != c[0]/c[1] || r != c[0]%c[1] {
				t.Errorf("divmod(%d, %d) = %d, %d", c[0], c[1], q, r)
			}
		}
		var setPtr func(*unsafe.Pointer, unsafe.Pointer)
		mustBind(t, lib, &setPtr, "void set_ptr(void **pp, void *v)")
		x := new(int64)
		var p unsafe.Pointer
		setPtr(&p, unsafe.Pointer(x))
		if p != unsafe.Pointer(x) {
			t.Errorf("set_ptr stored %p, want %p", p, x)
		}

		var fill func([]int32, int32) int32
		mustBind(t, lib, &fill, "int fill_squares(int *buf, int n)")
		buf := make([]int32, 100)
		if n := fill(buf, int32(len(buf))); n != 100 {
			t.Errorf("fill_squares returned %d", n)
		}
		for i, v := range buf {
			if v != int32(i*i) {
				t.Fatalf("fill_squares: buf[%d] = %d", i, v)
			}
		}
		var sum func([]int64, int32) int64
		mustBind(t, lib, &sum, "long long sum_longs(const long long *v, int n)")
		vals := []int64{1, -2, 1 << 40, 7}
		if got := sum(vals, 4); got != 1-2+1<<40+7 {
			t.Errorf("sum_longs = %d", got)
		}
		if got := sum(nil, 0); got != 0 {
			t.Errorf("sum_longs(nil, 0) = %d", got)
		}
	}()
}

func TestBindStrings(t *testing.T) {
	func() {
		lib := bindLib(t)
		var strlen func(string) uintptr
		var greeting func(int32) string
		var count func(string, int8) int32
		var eq func(string, string) int32
		mustBind(t, lib, &strlen, "size_t my_strlen(const char *s)")
		mustBind(t, lib, &greeting, "const char *greeting(int which)")
		mustBind(t, lib, &count, "int count_char(const char *s, char c)")
		mustBind(t, lib, &eq, "int str_eq(const char *a, const char *b)")
		var late func(float64, int64, string) int64
		mustBind(t, lib, &late, "long long late_string(double x, long long a, const char *s)")
		if got := late(2, 7, "abcde"); got != 7000+5+2 {
			t.Errorf("late_string(2, 7, abcde) = %d, want 7007", got)
		}
		for _, s := range []string{"", "a", "hello", "héllo wörld", strings.Repeat("x", 10000), "cut\x00here"} {
			want := len(s)
			if i := strings.IndexByte(s, 0); i >= 0 {
				want = i
			}
			if got := strlen(s); got != uintptr(want) {
				t.Errorf("strlen(%.20q) = %d, want %d", s, got, want)
			}
		}
		if got := greeting(1); got != "hello, world" {
			t.Errorf("greeting(1) = %q", got)
		}
		if got := greeting(0); got != "" {
			t.Errorf("greeting(0) (NULL) = %q", got)
		}
		if got := count("banana", 'a'); got != 3 {
			t.Errorf("count_char(banana, a) = %d", got)
		}
		if eq("abc", "abc") != 1 || eq("abc", "abd") != 0 {
			t.Errorf("str_eq wrong")
		}
	}()
}

type pt struct{ X, Y int32 }
type dpt struct{ X, Y float64 }
type mixedRec struct {
	ID int64
	W  float64
}
type big struct{ A, B, C int64 }

func TestBindStructs(t *testing.T) {
	lib := bindLib(t)
	if err := Cdef(`struct pt { int x, y; }; struct dpt { double x, y; };
		struct mixed { long long id; double w; }; struct big { long long a, b, c; };`); err != nil {
		t.Fatal(err)
	}
	var ptAdd func(pt, pt) pt
	var scale func(dpt, float64) dpt
	var mk func(int64, float64) mixedRec
	var bigMake func(int64) big
	var bigSum func(big) int64
	mustBind(t, lib, &ptAdd, "struct pt pt_add(struct pt a, struct pt b)")
	mustBind(t, lib, &scale, "struct dpt dpt_scale(struct dpt p, double k)")
	mustBind(t, lib, &mk, "struct mixed mixed_make(long long id, double w)")
	mustBind(t, lib, &bigMake, "struct big big_make(long long x)")
	mustBind(t, lib, &bigSum, "long long big_sum(struct big b)")
	if got := ptAdd(pt{1, -2}, pt{40, 100}); got != (pt{41, 98}) {
		t.Errorf("pt_add = %+v", got)
	}
	if got := scale(dpt{1.5, -2}, 4); got != (dpt{6, -8}) {
		t.Errorf("dpt_scale = %+v", got)
	}
	if got := mk(-77, 0.5); got != (mixedRec{-77, 0.5}) {
		t.Errorf("mixed_make = %+v", got)
	}
	if got := bigMake(1 << 40); got != (big{1 << 40, 2 << 40, 3 << 40}) {
		t.Errorf("big_make = %+v", got)
	}
	if got := bigSum(big{1, 2, 3}); got != 321 {
		t.Errorf("big_sum = %d", got)
	}
}

func TestBindCallbackParam(t *testing.T) {
	func() {
		lib := bindLib(t)
		cb, err := NewCallback("int (*)(int)", func(x int32) int32 { return 3*x + 1 })
		if err != nil {
			t.Fatal(err)
		}
		defer cb.Free()
		var apply func(*Callback, int32) int32
		var applyPtr func(uintptr, int32) int32
		mustBind(t, lib, &apply, "int apply(int (*f)(int), int x)")
		mustBind(t, lib, &applyPtr, "int apply(int (*f)(int), int x)")
		if got := apply(cb, 14); got != 43 {
			t.Errorf("apply(cb, 14) = %d", got)
		}
		if got := applyPtr(cb.Ptr(), -5); got != -14 {
			t.Errorf("apply(cb.Ptr(), -5) = %d", got)
		}
		// A C function pointer bound directly: the callback's own pointer.
		var viaPtr func(int32) int32
		if err := Bind(&viaPtr, cb.Ptr(), "int (*)(int)"); err != nil {
			t.Fatal(err)
		}
		if got := viaPtr(2); got != 7 {
			t.Errorf("Bind(cb.Ptr())(2) = %d", got)
		}
	}()
}

// TestBindSliceData checks what C receives for a slice: the address of
// its first element, or NULL when its capacity is 0 (nil, or made empty),
// in a register and on the stack, for normal and leaf calls: on the
// register path, a guarded move of the compiled stub.
func TestBindSliceData(t *testing.T) {
	lib := bindLib(t)
	var inReg, inRegLeaf func([]int32) uintptr
	var onStack, onStackLeaf func(a, b, c, d, e, f, g, h int64, p []int32) uintptr
	mustBind(t, lib, &inReg, "uintptr_t addr_of(const void *p)")
	mustBind(t, lib, &onStack, "uintptr_t addr_stack(long long a, long long b, long long c, long long d, long long e, long long f, long long g, long long h, const void *p)")
	for _, b := range []struct {
		fn   any
		decl string
	}{{&inRegLeaf, "uintptr_t addr_of(const void *p)"}, {&onStackLeaf, "uintptr_t addr_stack(long long a, long long b, long long c, long long d, long long e, long long f, long long g, long long h, const void *p)"}} {
		if err := lib.Bind(b.fn, b.decl, Leaf); err != nil {
			t.Fatal(err)
		}
	}
	for _, fn := range []any{inReg, onStack} {
		if !bindcall.OnRegisterPath(fn) {
			t.Errorf("%T: not on the register path", fn)
		}
	}
	backing := make([]int32, 4)
	for _, c := range []struct {
		name string
		s    []int32
		want uintptr
	}{
		{"nil", nil, 0},
		{"empty, capacity 0", make([]int32, 0), 0},
		{"empty, capacity 4", backing[:0], uintptr(unsafe.Pointer(&backing[0]))},
		{"from the second element", backing[1:3], uintptr(unsafe.Pointer(&backing[1]))},
		{"the last element's end", backing[4:], 0},
	} {
		for name, got := range map[string]uintptr{
			"register": inReg(c.s), "register, leaf": inRegLeaf(c.s),
			"stack": onStack(0, 0, 0, 0, 0, 0, 0, 0, c.s), "stack, leaf": onStackLeaf(1, 0, 0, 0, 0, 0, 0, -1, c.s),
		} {
			if got != c.want {
				t.Errorf("%s, %s: C got %#x, want %#x", c.name, name, got, c.want)
			}
		}
	}
}

func TestBindVarargs(t *testing.T) {
	lib := bindLib(t)
	var vints func(int32, ...any) int32
	var vdbl func(int32, ...any) float64
	var vstore func(*int64, *float64, string, ...any) int32
	mustBind(t, lib, &vints, "int vsum_ints(int n, ...)")
	mustBind(t, lib, &vdbl, "double vsum_doubles(int n, ...)")
	mustBind(t, lib, &vstore, "int vstore(long long *ints, double *dbls, const char *fmt, ...)")
	for n := 0; n <= 12; n++ { // past the registers onto the stack
		args := make([]any, n)
		var want int32
		for i := range n {
			v := int32(i*7 - 20)
			want += v * int32(i+1)
			switch i % 4 { // promoted to int whatever the Go width
			case 0:
				args[i] = int8(v)
			case 1:
				args[i] = int16(v)
			case 2:
				args[i] = v
			case 3:
				args[i] = int(v)
			}
		}
		if got := vints(int32(n), args...); got != want {
			t.Errorf("vsum_ints(%d, %v) = %d, want %d", n, args, got, want)
		}
		dargs := make([]any, n)
		var wantD float64
		for i := range n {
			v := float64(i) + 0.25
			wantD += v * float64(i+1)
			if i%2 == 0 {
				dargs[i] = float32(v) // promoted to double
			} else {
				dargs[i] = v
			}
		}
		if got := vdbl(int32(n), dargs...); got != wantD {
			t.Errorf("vsum_doubles(%d, %v) = %v, want %v", n, dargs, got, wantD)
		}
	}

	x := new(int32)
	ints := make([]int64, 16)
	dbls := make([]float64, 16)
	n := vstore(&ints[0], &dbls[0], "iiiudlspdpilud",
		int8(-3), true, uint16(65535), uint32(4_000_000_000), 2.5, int64(-1<<50), "four",
		unsafe.Pointer(x), float32(-0.75), nil, uint8(255), uint64(1<<63), uintptr(9), 1e300)
	if n != 14 {
		t.Fatalf("vstore read %d arguments, want 14", n)
	}
	wantInts := []int64{-3, 1, 65535, 4_000_000_000, -1 << 50, 4, int64(uintptr(unsafe.Pointer(x))), 0, 255, math.MinInt64, 9}
	if !reflect.DeepEqual(ints[:len(wantInts)], wantInts) {
		t.Errorf("vstore integers = %v, want %v", ints[:len(wantInts)], wantInts)
	}
	wantD := []float64{2.5, -0.75, 1e300}
	if !reflect.DeepEqual(dbls[:3], wantD) {
		t.Errorf("vstore doubles = %v, want %v", dbls[:3], wantD)
	}

	func() {
		defer func() {
			r := recover()
			err, _ := r.(error)
			if err == nil || !strings.Contains(err.Error(), "variadic argument 2") || !strings.Contains(err.Error(), "struct") {
				t.Errorf("a struct variadic argument: panic %v", r)
			}
		}()
		vints(2, 1, struct{ A int }{1})
	}()
}

// TestBindNestedRoundTrip: Go calls qsort (bound), qsort calls a Go
// comparator, which calls a bound C function that calls a Go callback that
// calls the bound C function again, 100 deep, before comparing.
func TestBindNestedRoundTrip(t *testing.T) {
	lib := bindLib(t)
	libc, err := Open(hostLibc)
	if err != nil {
		t.Fatal(err)
	}
	defer libc.Close()
	var qsort func([]int32, uintptr, uintptr, *Callback)
	mustBind(t, libc, &qsort, "void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))")
	var nest func(*Callback, int32) int32
	mustBind(t, lib, &nest, "int nest(int (*cb)(int), int depth)")

	var deep *Callback
	deep, err = NewCallback("int (*)(int)", func(depth int32) int32 {
		if depth == 0 {
			return 0
		}
		return nest(deep, depth-1) // C adds 1 per level
	})
	if err != nil {
		t.Fatal(err)
	}
	defer deep.Free()
	calls := 0
	cmp, err := NewCallback("int (*)(const void *, const void *)", func(a, b *int32) int32 {
		calls++
		if calls <= 3 {
			if got := nest(deep, 100); got != 101 {
				t.Errorf("nested 100 deep: %d, want 101", got)
			}
		}
		return *a - *b
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cmp.Free()
	vals := []int32{5, -3, 99, 0, 42, -100, 7, 7, 1}
	qsort(vals, uintptr(len(vals)), 4, cmp)
	want := []int32{-100, -3, 0, 1, 5, 7, 7, 42, 99}
	if !reflect.DeepEqual(vals, want) {
		t.Errorf("qsort: %v, want %v", vals, want)
	}
	if calls < 3 {
		t.Errorf("comparator called %d times", calls)
	}
}

func TestBindCdefName(t *testing.T) {
	lib := bindLib(t)
	if err := Cdef("unsigned short id_ushort(unsigned short);"); err != nil {
		t.Fatal(err)
	}
	var f func(uint16) uint16
	mustBind(t, lib, &f, "id_ushort")
	if got := f(65535); got != 65535 {
		t.Errorf("id_ushort(65535) = %d", got)
	}
	addr, err := lib.Sym("id_ushort")
	if err != nil {
		t.Fatal(err)
	}
	var g func(int) int
	if err := Bind(&g, addr, "id_ushort"); err != nil {
		t.Fatal(err)
	}
	if got := g(-1); got != 65535 {
		t.Errorf("id_ushort(-1) as Go int = %d, want 65535", got)
	}
}

func TestBindErrors(t *testing.T) {
	lib := bindLib(t)
	var ok func(int32) int32
	var f64 func(int64) int32
	var fres func(int32) float64
	var fstr func(int32) int32
	notFunc := new(int)
	var nilFuncPtr *func()
	tests := []struct {
		name   string
		bind   func() error
		substr []string
	}{
		{"nil", func() error { return lib.Bind(nil, "int id_int(int)") }, []string{"fnPtr is nil"}},
		{"nil func pointer", func() error { return lib.Bind(nilFuncPtr, "int id_int(int)") }, []string{"nil *func()"}},
		{"not a pointer", func() error { return lib.Bind(ok, "int id_int(int)") }, []string{"func(int32) int32", "pointer to a func"}},
		{"pointer to non-func", func() error { return lib.Bind(notFunc, "int id_int(int)") }, []string{"*int", "pointer to a func"}},
		{"missing symbol", func() error { return lib.Bind(&ok, "int no_such_function(int)") }, []string{"no_such_function", "not found"}},
		{"malformed", func() error { return lib.Bind(&ok, "int id_int(int") }, []string{`"int id_int(int"`, "1:"}},
		{"not a function", func() error { return lib.Bind(&ok, "int x") }, []string{"not a function"}},
		{"no name", func() error { return lib.Bind(&ok, "int (*)(int)") }, []string{"names no function"}},
		{"param mismatch", func() error { return lib.Bind(&f64, "int id_int(int x)") }, []string{"parameter 1 (x)", "int64", "int"}},
		{"result mismatch", func() error { return lib.Bind(&fres, "int id_int(int x)") }, []string{"result", "float64", "int"}},
		{"arity", func() error { return lib.Bind(&fstr, "int apply(int (*f)(int), int x)") }, []string{"2 parameters"}},
		{"zero address", func() error { return Bind(&ok, 0, "int (*)(int)") }, []string{"address is 0"}},
		{"varargs without ...any", func() error { return lib.Bind(&ok, "int vsum_ints(int n, ...)") }, []string{"variadic", "...any"}},
	}
	for _, tt := range tests {
		err := tt.bind()
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		for _, s := range tt.substr {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q does not mention %q", tt.name, err, s)
			}
		}
	}
	if ok != nil || f64 != nil {
		t.Errorf("a failed Bind set the func variable")
	}
	missing, err := Open("libffi-test-missing.so.0")
	if err == nil || missing != nil || !strings.Contains(err.Error(), hostNoLib) {
		t.Errorf("Open of a missing library: %v, %v", missing, err)
	}
}

func TestBindNoAllocs(t *testing.T) {
	lib := bindLib(t)
	var addf func(float32, float32) float32
	var idd func(float64) float64
	var idp func(unsafe.Pointer) unsafe.Pointer
	var nar func(int64) int32
	mustBind(t, lib, &addf, "float add_floats(float, float)")
	mustBind(t, lib, &idd, "double id_double(double)")
	mustBind(t, lib, &idp, "void *id_ptr(void *)")
	mustBind(t, lib, &nar, "int narrow_int(long long)")
	p := unsafe.Pointer(new(int))
	var bad bool
	allocs := testing.AllocsPerRun(1000, func() {
		bad = bad || addf(1, 2) != 3 || idd(2.5) != 2.5 || idp(p) != p || nar(1<<32+5) != 5
	})
	if allocs != 0 || bad {
		t.Errorf("%v allocations per round of 4 calls (wrong results: %v)", allocs, bad)
	}
}

func TestBindConcurrent(t *testing.T) {
	lib := bindLib(t)
	var id func(int64) int64
	var vints func(int32, ...any) int32
	mustBind(t, lib, &id, "long long id_llong(long long)")
	mustBind(t, lib, &vints, "int vsum_ints(int n, ...)")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				v := int64(g)<<32 | int64(i)
				if got := id(v); got != v {
					t.Errorf("id_long(%d) = %d", v, got)
					return
				}
				if got := vints(2, g, i); got != int32(g+2*i) {
					t.Errorf("vsum_ints(2, %d, %d) = %d", g, i, got)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestBindCallbackPanic: a Go callback panics inside a bound C call; the
// panic reaches the Go caller of the bound func (through the C frames),
// and both the fast and the reflection path keep working afterwards.
func TestBindCallbackPanic(t *testing.T) {
	lib := bindLib(t)
	cb, err := NewCallback("int (*)(int)", func(x int32) int32 {
		if x < 0 {
			panic(fmt.Sprintf("negative %d", x))
		}
		return x + 1
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	var fast func(uintptr, int32) int32
	var slow func(*Callback, int32) int32
	mustBind(t, lib, &fast, "int apply(int (*f)(int), int x)")
	mustBind(t, lib, &slow, "int apply(int (*f)(int), int x)")
	recovered := func(call func()) (r any) {
		defer func() { r = recover() }()
		call()
		return nil
	}
	for i := range 3 {
		if r := recovered(func() { fast(cb.Ptr(), int32(-1-i)) }); r != fmt.Sprintf("negative %d", -1-i) {
			t.Errorf("fast path: recovered %v", r)
		}
		if r := recovered(func() { slow(cb, int32(-10-i)) }); r != fmt.Sprintf("negative %d", -10-i) {
			t.Errorf("reflection path: recovered %v", r)
		}
		if a, b := fast(cb.Ptr(), 5), slow(cb, 6); a != 6 || b != 7 {
			t.Errorf("after a panic: apply = %d, %d; want 6, 7", a, b)
		}
	}
}

//go:noinline
func growStack(depth int) int32 {
	var pad [512]byte
	pad[depth%len(pad)] = 1
	if depth == 0 {
		return int32(pad[0])
	}
	return growStack(depth-1) + int32(pad[depth%len(pad)]) - 1
}

// TestBindCallbackGrowsStack: the callback grows the calling goroutine's
// stack a lot, so the stack (with the bound func's call frame on it) moves
// while C runs; the result must still arrive.
func TestBindCallbackGrowsStack(t *testing.T) {
	func() {
		lib := bindLib(t)
		cb, err := NewCallback("int (*)(int)", func(x int32) int32 { return growStack(1000) - 1 + x*2 }) // growStack returns 1
		if err != nil {
			t.Fatal(err)
		}
		defer cb.Free()
		var apply func(uintptr, int32) int32
		mustBind(t, lib, &apply, "int apply(int (*f)(int), int x)")
		for i := range 5 {
			got := make(chan int32)
			go func() { got <- apply(cb.Ptr(), int32(i)) }() // a fresh, small stack
			if r := <-got; r != int32(i*2) {
				t.Errorf("apply = %d, want %d", r, i*2)
			}
		}
	}()
}
