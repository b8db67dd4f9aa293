package ffi

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/bindcall"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// varEdgesSrc holds variadic functions for the edges of the variadic
// register path.
const varEdgesSrc = `
#include <stdarg.h>
#include <string.h>

// vres_sum reads n variadic arguments, long long at even positions and
// double at odd ones, and returns a struct that C returns in memory (24
// bytes) and Go in three registers.
struct vres { long long sum; double dsum; long long n; };
struct vres vres_sum(int n, ...) {
	va_list ap; va_start(ap, n);
	struct vres r = {0, 0, n};
	for (int i = 0; i < n; i++) {
		if (i % 2 == 0) r.sum += va_arg(ap, long long) * (i + 1);
		else r.dsum += va_arg(ap, double) * (i + 1);
	}
	va_end(ap);
	return r;
}

// b600 is larger than the part of a pooled scratch buffer that holds the
// fixed arguments' copies and the memory result (512 bytes).
struct b600 { long long v[75]; };

// vbig600 returns its n long long variadic arguments in a b600, n in the
// last word.
struct b600 vbig600(int n, ...) {
	va_list ap; va_start(ap, n);
	struct b600 r = {{0}};
	for (int i = 0; i < n; i++) r.v[i] = va_arg(ap, long long);
	r.v[74] = n;
	va_end(ap);
	return r;
}

// vlen600 adds b's first and last words and the lengths of its n string
// variadic arguments.
long long vlen600(struct b600 b, int n, ...) {
	va_list ap; va_start(ap, n);
	long long s = b.v[0] + b.v[74];
	for (int i = 0; i < n; i++) s += (long long)strlen(va_arg(ap, const char *));
	va_end(ap);
	return s;
}
`

// TestBindVarargsMemoryResult: a variadic function with only scalar fixed
// parameters that returns a struct in memory, bound to a Go struct result
// in registers. Its extra arguments must reach C on every path: the
// compiled stub of each sequence, dispatch's code for sequences past the
// register path's stack words, and dispatch alone without compiled stubs.
// (The register path once gave the memory result to the stub of the fixed
// parameters alone, which then ran with no Go-side work: the extra
// arguments were never placed, and C read garbage.)
func TestBindVarargsMemoryResult(t *testing.T) {
	lib, err := Open(ctest.SharedLib(t, varEdgesSrc, "-O2"))
	if err != nil {
		t.Fatal(err)
	}
	type vres struct {
		Sum  int64
		DSum float64
		N    int64
	}
	const decl = "struct vres { long long sum; double dsum; long long n; } vres_sum(int n, ...)"
	var compiled, plain func(int32, ...any) vres
	if err := lib.Bind(&compiled, decl); err != nil {
		t.Fatal(err)
	}
	bindcall.SetCompiledStubs(false)
	err = lib.Bind(&plain, decl)
	bindcall.SetCompiledStubs(true)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func(int32, ...any) vres{"compiled stubs": compiled, "no compiled stubs": plain} {
		for n := range 25 {
			args := make([]any, n)
			want := vres{N: int64(n)}
			for i := range args {
				if i%2 == 0 {
					v := int64(i*1000 - 7)
					args[i] = v
					want.Sum += v * int64(i+1)
				} else {
					v := float64(i) + 0.25
					args[i] = v
					want.DSum += v * float64(i+1)
				}
			}
			for range 2 { // the sequence's first call and a cached one
				if got := f(int32(n), args...); got != want {
					t.Fatalf("%s: vres_sum(%d, %v) = %+v, want %+v", name, n, args, got, want)
				}
			}
		}
	}
}

// TestBindVarargsConcurrentSequences: goroutines call one fresh binding
// with random sequences of extra arguments at once, so that the lock-free
// cache of Go type sequences, the plans, the compiled stubs and dispatch's
// code for long sequences are all filled while other calls read them;
// every call must place every argument right.
func TestBindVarargsConcurrentSequences(t *testing.T) {
	lib := bindLib(t)
	var vstore func(*int64, *float64, string, ...any) int32
	mustBind(t, lib, &vstore, "int vstore(long long *ints, double *dbls, const char *fmt, ...)")
	seed := rand.Uint64()
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, uint64(g)))
			for range 150 {
				data := make([]byte, r.IntN(33))
				for j := range data {
					data[j] = byte(r.Uint32())
				}
				if !checkVstore(t, vstore, data) {
					t.Errorf("seed %d, goroutine %d: %v", seed, g, data)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// Named types of every promoted class, for TestBindVarargsValues.
type (
	vNamedI8  int8
	vNamedU16 uint16
	vNamedStr string
	vNamedF32 float32
	vNamedBs  []byte
	vNamedPtr *int32
)

// TestBindVarargsValues: nil, typed nil pointers and callbacks, slices at
// the edges of their backing array and named types promote as their
// kinds do.
func TestBindVarargsValues(t *testing.T) {
	lib := bindLib(t)
	var vstore func(*int64, *float64, string, ...any) int32
	mustBind(t, lib, &vstore, "int vstore(long long *ints, double *dbls, const char *fmt, ...)")
	var nilInt *int32
	var nilCB *Callback
	x := int32(5)
	buf := []byte("hello")
	addr := func(p unsafe.Pointer) int64 { return int64(uintptr(p)) }
	for _, c := range []struct {
		name string
		args []any
		fmt  string
		ints []int64
		dbls []float64
	}{
		{"nils", []any{nil, nilInt, unsafe.Pointer(nil), nilCB, []byte(nil), vNamedPtr(nil)}, "pppppp", []int64{0, 0, 0, 0, 0, 0}, nil},
		{"slices", []any{buf[:0:0], buf[5:], buf[:0], buf[2:], vNamedBs(buf[1:1]), vNamedBs(nil)}, "pppppp",
			[]int64{0, 0, addr(unsafe.Pointer(&buf[0])), addr(unsafe.Pointer(&buf[2])), addr(unsafe.Pointer(&buf[1])), 0}, nil},
		{"pointers", []any{&x, vNamedPtr(&x), unsafe.Pointer(&x)}, "ppp", []int64{addr(unsafe.Pointer(&x)), addr(unsafe.Pointer(&x)), addr(unsafe.Pointer(&x))}, nil},
		{"named scalars", []any{vNamedI8(-3), vNamedU16(65535), vNamedStr("abc"), vNamedF32(1.5), vNamedStr("")}, "iisds", []int64{-3, 65535, 3, 0}, []float64{1.5}},
	} {
		ints := make([]int64, 16)
		dbls := make([]float64, 16)
		if n := vstore(&ints[0], &dbls[0], c.fmt, c.args...); int(n) != len(c.fmt) {
			t.Errorf("%s: vstore read %d arguments, want %d", c.name, n, len(c.fmt))
		}
		if !slices.Equal(ints[:len(c.ints)], c.ints) || !slices.Equal(dbls[:len(c.dbls)], c.dbls) {
			t.Errorf("%s: C read ints %#x, doubles %v; want %#x, %v", c.name, ints[:len(c.ints)], dbls[:len(c.dbls)], c.ints, c.dbls)
		}
	}
}

// TestBindVarargsPastCaps calls one fresh binding with 1,100 sequences of
// promoted types (11 ints or long longs: the bits of i), past the compiled
// stubs (64) and the plans kept (1,024), twice each: every call places every
// argument right, whether its sequence has a stub, a kept plan run by
// dispatch's code, or a plan built for the call alone.
func TestBindVarargsPastCaps(t *testing.T) {
	lib := bindLib(t)
	var vstore func(*int64, *float64, string, ...any) int32
	mustBind(t, lib, &vstore, "int vstore(long long *ints, double *dbls, const char *fmt, ...)")
	args := make([]any, 11)
	want := make([]int64, 11)
	format := make([]byte, 11)
	ints := make([]int64, 11)
	var dbls [1]float64
	for i := range 1100 {
		for j := range args {
			if i>>j&1 == 1 {
				want[j] = int64(j)<<35 | int64(i)
				args[j], format[j] = want[j], 'l'
			} else {
				want[j] = int64(-j - i)
				args[j], format[j] = int32(want[j]), 'i'
			}
		}
		for range 2 {
			clear(ints)
			if n := vstore(&ints[0], &dbls[0], string(format), args...); n != 11 || !slices.Equal(ints, want) {
				t.Fatalf("sequence %d (%s): vstore read %d arguments: %d, want %d", i, format, n, ints, want)
			}
		}
	}
}

// TestBindVarargsLargeAggregates: a variadic function that returns, or
// takes by value, a struct larger than the pooled scratch buffer's fixed
// part is called like any other, on every path (compiled stubs for short
// sequences, dispatch's code for long ones). (Such bindings were made
// without error and then panicked at every call: "aggregates of 600 bytes
// with variadic arguments are not supported".)
func TestBindVarargsLargeAggregates(t *testing.T) {
	lib, err := Open(ctest.SharedLib(t, varEdgesSrc, "-O2"))
	if err != nil {
		t.Fatal(err)
	}
	type b600 struct{ V [75]int64 }
	var vbig func(int32, ...any) b600
	var vlen func(b600, int32, ...any) int64
	if err := lib.Bind(&vbig, "struct b600 { long long v[75]; } vbig600(int n, ...)"); err != nil {
		t.Fatal(err)
	}
	if err := lib.Bind(&vlen, "long long vlen600(struct b600 b, int n, ...)"); err != nil {
		t.Fatal(err)
	}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	for n := range 20 {
		args := make([]any, n)
		strs := make([]any, n)
		var want b600
		for i := range args {
			want.V[i] = int64(i)*3 - 5
			args[i], strs[i] = want.V[i], letters[:i]
		}
		want.V[74] = int64(n)
		if got := vbig(int32(n), args...); got != want {
			t.Fatalf("vbig600(%d, %v) = %v, want %v", n, args, got.V[:n], want.V[:n])
		}
		var b b600
		b.V[0], b.V[74] = 1000, 7
		if got, want := vlen(b, int32(n), strs...), int64(1007+n*(n-1)/2); got != want {
			t.Fatalf("vlen600(b, %d, %q) = %d, want %d", n, strs, got, want)
		}
	}
}
