package ffi

import (
	"testing"

	"github.com/seed5ca82032/ffi/internal/bindcall"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// varEdgesSrc holds variadic functions for the edges of the variadic
// register path.
const varEdgesSrc = `
#include <stdarg.h>

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
