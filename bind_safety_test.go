package ffi_test

import (
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"unsafe"
	"weak"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/bindcall"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// safetySrc holds C functions that keep what Go passed them across a call
// back into Go, during which the callback grows the goroutine's stack (so
// the runtime copies it to a new address) or runs the garbage collector.
const safetySrc = `
#include <stdarg.h>
#include <string.h>

// hold_string keeps s, calls cb, and then reports whether s still holds
// the bytes it held before the call (1) or not (0).
int hold_string(const char *s, int (*cb)(int)) {
	char before[512];
	size_t n = strlen(s);
	if (n >= sizeof before) return -1;
	memcpy(before, s, n + 1);
	cb(1);
	return strcmp(before, s) == 0;
}

// poke writes through p after calling cb and returns the first word p
// held before the call.
long long poke(long long *p, int (*cb)(int), long long v) {
	long long first = p[0];
	cb(2);
	p[1] = v;
	p[63] = v + 1;
	return first;
}

// vpoke is poke with p passed as its variadic argument, then a string
// that hold_string checks across the callback.
long long vpoke(int (*cb)(int), long long v, ...) {
	va_list ap; va_start(ap, v);
	long long *p = va_arg(ap, long long *);
	const char *s = va_arg(ap, const char *);
	va_end(ap);
	if (s && hold_string(s, cb) != 1) return -1;
	return poke(p, cb, v);
}

// poke_many is poke with six more pointer arguments (unused).
long long poke_many(long long *p, void *a, void *b, void *c, void *d, void *e, void *g, int (*cb)(int), long long v) {
	return poke(p, cb, v);
}

// twelve takes more integer arguments than Go's registers hold (so the
// bound func's last ones are on the Go stack), calls cb, writes through
// out and returns a struct with an array: Go returns it on the stack.
struct quad { int v[4]; void *p; };
struct quad twelve(long long a, long long b, long long c, long long d, long long e, long long f, long long g,
                   long long h, long long i, long long j, long long *out, int (*cb)(int)) {
	cb(3);
	*out = a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*g + 8*h + 9*i + 10*j;
	struct quad q = {{(int)a, (int)j, (int)(a + j), -1}, out};
	return q;
}

// twelve_sum is twelve with a scalar result: bound with the callback as a
// uintptr, every argument and the result pass in registers or plain stack
// words (the bound func's register path).
long long twelve_sum(long long a, long long b, long long c, long long d, long long e, long long f, long long g,
                     long long h, long long i, long long j, long long *out, int (*cb)(int)) {
	struct quad q = twelve(a, b, c, d, e, f, g, h, i, j, out, cb);
	return q.v[0] + 10 * q.v[1] + 100 * q.v[2] + 1000 * q.v[3];
}

// twelve_tri is twelve_sum with a 24-byte result, which C returns in
// memory and Go in three registers: where bound calls are compiled, the
// buffer is the stub's own and the stub writes the Go result words after
// the callback moved the stack.
struct tri { long long sum, v0, p; };
struct tri twelve_tri(long long a, long long b, long long c, long long d, long long e, long long f, long long g,
                      long long h, long long i, long long j, long long *out, int (*cb)(int)) {
	struct quad q = twelve(a, b, c, d, e, f, g, h, i, j, out, cb);
	struct tri t = {q.v[0] + 10 * q.v[1] + 100 * q.v[2] + 1000 * q.v[3], q.v[0], (long long)q.p};
	return t;
}
`

// growStackBy recurses with large frames so that the calling goroutine's
// stack grows (and is copied to a new address).
//
//go:noinline
func growStackBy(depth int) int {
	var buf [2048]byte
	buf[depth%len(buf)] = byte(depth)
	if depth == 0 {
		return int(buf[0])
	}
	return growStackBy(depth-1) + int(buf[depth%len(buf)]) - int(byte(depth))
}

// scribble fills stack frames with a pattern.
//
//go:noinline
func scribble(depth int) byte {
	var buf [1024]byte
	for i := range buf {
		buf[i] = 0xA5
	}
	if depth == 0 {
		return buf[depth]
	}
	return scribble(depth-1) ^ buf[depth]
}

type safetyFuncs struct {
	holdString func(s string, cb uintptr) int32
	poke       func(p *[64]int64, cb *ffi.Callback, v int64) int64
	twelve     func(a, b, c, d, e, f, g, h, i, j int64, out *int64, cb *ffi.Callback) quad
	// pokeReg and twelveSum take the callback as a uintptr: every word
	// they pass is a move of the bound func's register path; poke's
	// *Callback is converted in Go on that path; pokeMany (more pointer
	// arguments than the register path keeps) and twelve (a struct result
	// with a pointer on the Go stack) go through the dispatcher.
	pokeReg   func(p *[64]int64, cb uintptr, v int64) int64
	pokeMany  func(p *[64]int64, a, b, c, d, e, g unsafe.Pointer, cb uintptr, v int64) int64
	twelveSum func(a, b, c, d, e, f, g, h, i, j int64, out *int64, cb uintptr) int64
	twelveTri func(a, b, c, d, e, f, g, h, i, j int64, out *int64, cb uintptr) tri
	// vpoke takes the pointer (and a string) as variadic arguments: the
	// only reference to the object is in the []any.
	vpoke func(cb uintptr, v int64, args ...any) int64
	cb    *ffi.Callback
	// onCall runs inside the callback (set by each test).
	onCall atomic.Pointer[func(int32)]
}

type quad struct {
	V [4]int32
	P unsafe.Pointer
}

type tri struct{ Sum, V0, P int64 }

var safety struct {
	once sync.Once
	f    safetyFuncs
	err  error
}

func safetyLib(t *testing.T) *safetyFuncs {
	t.Helper()
	so := ctest.SharedLib(t, safetySrc, "-O1")
	safety.once.Do(func() {
		f := &safety.f
		lib, err := ffi.Open(so)
		if err != nil {
			safety.err = err
			return
		}
		for _, b := range []struct {
			fn   any
			decl string
		}{
			{&f.holdString, "int hold_string(const char *s, int (*cb)(int))"}, // uintptr: the shape the old typed fast path had
			{&f.poke, "long long poke(long long *p, int (*cb)(int), long long v)"},
			{&f.twelve, "struct quad { int v[4]; void *p; } twelve(long long a, long long b, long long c, long long d, long long e, long long f, long long g, long long h, long long i, long long j, long long *out, int (*cb)(int))"},
			{&f.pokeReg, "long long poke(long long *p, int (*cb)(int), long long v)"},
			{&f.pokeMany, "long long poke_many(long long *p, void *a, void *b, void *c, void *d, void *e, void *g, int (*cb)(int), long long v)"},
			{&f.twelveSum, "long long twelve_sum(long long a, long long b, long long c, long long d, long long e, long long f, long long g, long long h, long long i, long long j, long long *out, int (*cb)(int))"},
			{&f.twelveTri, "struct tri { long long sum, v0, p; } twelve_tri(long long a, long long b, long long c, long long d, long long e, long long f, long long g, long long h, long long i, long long j, long long *out, int (*cb)(int))"},
			{&f.vpoke, "long long vpoke(int (*cb)(int), long long v, ...)"},
		} {
			if err := lib.Bind(b.fn, b.decl); err != nil {
				safety.err = err
				return
			}
		}
		f.cb, safety.err = ffi.NewCallback("int (*)(int)", func(x int32) int32 {
			if h := f.onCall.Load(); h != nil && *h != nil {
				(*h)(x)
			}
			return x
		})
	})
	if safety.err != nil {
		t.Fatal(safety.err)
	}
	return &safety.f
}

func (f *safetyFuncs) during(h func(int32)) { f.onCall.Store(&h) }

// onFreshGoroutine runs fn on a new goroutine (whose stack starts small)
// and waits for it.
func onFreshGoroutine(fn func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn()
	}()
	<-done
}

// TestBindStringSurvivesStackGrowth: C keeps the char * of a Go string
// argument while a callback grows the goroutine stack. The copy must not
// live on that stack (issue 9, item 1: short strings did, and C saw them
// change when the stack moved).
func TestBindStringSurvivesStackGrowth(t *testing.T) {
	f := safetyLib(t)
	f.during(func(int32) {
		growStackBy(64)
		// The stack just moved; goroutines started now reuse the freed
		// stack memory and overwrite it.
		for range 4 {
			onFreshGoroutine(func() { scribble(8) })
		}
	})
	defer f.during(nil)
	for _, s := range []string{"", "x", "short string", strings.Repeat("thirty-one bytes of text ", 2)[:31], strings.Repeat("ab", 100), strings.Repeat("long ", 90)} {
		for i := range 5 {
			var got int32
			onFreshGoroutine(func() { got = f.holdString(s, f.cb.Ptr()) })
			if got != 1 {
				t.Fatalf("len %d, call %d: C saw the string change while the callback grew the stack (hold_string = %d)", len(s), i, got)
			}
		}
	}
}

// TestBindPointerArgsStayReachable passes the only reference to an object
// to C; during the call a callback runs the garbage collector (twice, so a
// freed object would be swept) and grows the stack, then C writes through
// the pointer. The object must stay reachable until C returns: its weak
// pointer must still resolve inside the callback and its cleanup must not
// run before the call ends.
func TestBindPointerArgsStayReachable(t *testing.T) {
	f := safetyLib(t)
	defer f.during(nil)
	// twelveTri's hidden result pointer makes its C stack words one more
	// than the register path's frame holds on Windows (with the shadow
	// space), so it takes the dispatcher there.
	if !bindcall.OnRegisterPath(f.pokeReg) || !bindcall.OnRegisterPath(f.twelveSum) || !bindcall.OnRegisterPath(f.poke) || !bindcall.OnRegisterPath(f.vpoke) ||
		bindcall.OnRegisterPath(f.twelveTri) != (runtime.GOOS != "windows") || bindcall.OnRegisterPath(f.pokeMany) || bindcall.OnRegisterPath(f.twelve) {
		t.Fatal("poke, pokeReg, vpoke, twelveSum and twelveTri (but on Windows) must run on the register path, pokeMany and twelve through the dispatcher")
	}
	for _, path := range []struct {
		name string
		poke func(p *[64]int64, v int64) int64
	}{
		{"dispatch", func(p *[64]int64, v int64) int64 { return f.pokeMany(p, nil, nil, nil, nil, nil, nil, f.cb.Ptr(), v) }},
		{"register path", func(p *[64]int64, v int64) int64 { return f.pokeReg(p, f.cb.Ptr(), v) }},
		{"register path with a callback argument", func(p *[64]int64, v int64) int64 { return f.poke(p, f.cb, v) }},
		{"register path, variadic", func(p *[64]int64, v int64) int64 { return f.vpoke(f.cb.Ptr(), v, p, "a string copied for C") }},
		// 16 to 20 words on the C stack: more than the register path's
		// frame holds, so this sequence of extra arguments runs dispatch's
		// code.
		{"variadic, many stack words", func(p *[64]int64, v int64) int64 {
			return f.vpoke(f.cb.Ptr(), v, p, nil, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
		}},
	} {
		t.Run(path.name, func(t *testing.T) { testPointerArgsStayReachable(t, f, path.poke) })
	}
}

func testPointerArgsStayReachable(t *testing.T, f *safetyFuncs, poke func(p *[64]int64, v int64) int64) {
	for i := range 20 {
		var cleaned atomic.Bool
		var wp weak.Pointer[[64]int64]
		var lostInCall bool
		f.during(func(int32) {
			runtime.GC()
			runtime.GC()
			lostInCall = wp.Value() == nil || cleaned.Load()
			growStackBy(32)
		})
		var first, v1, v63 int64
		onFreshGoroutine(func() {
			obj := new([64]int64)
			obj[0] = 0x5eed + int64(i)
			wp = weak.Make(obj)
			runtime.AddCleanup(obj, func(c *atomic.Bool) { c.Store(true) }, &cleaned)
			first = poke(obj, 77)
			// Read the object after the call through the weak pointer only:
			// the argument was its last strong reference.
			if p := wp.Value(); p != nil {
				v1, v63 = p[1], p[63]
			}
		})
		if lostInCall {
			t.Fatalf("call %d: the object passed to C was collected while C held it", i)
		}
		if first != 0x5eed+int64(i) || v1 != 77 || v63 != 78 {
			t.Fatalf("call %d: poke read %#x and wrote {%d, %d}, want %#x and {77, 78}", i, first, v1, v63, 0x5eed+int64(i))
		}
	}
}

// TestBindPanicThroughEveryPath: a callback that grows its stack and
// panics, called by C from inside a bound call, unwinds to the Go caller
// of the bound func on every path the call can take (the register path
// with its Go-side ops, the compiled stub of a sequence of variadic
// arguments, dispatch's code for a long one, a memory result, the
// dispatcher), where recover sees the value; the next calls work.
func TestBindPanicThroughEveryPath(t *testing.T) {
	f := safetyLib(t)
	defer f.during(nil)
	type boom struct{ i int }
	cur := 0
	f.during(func(int32) {
		growStackBy(8)
		panic(boom{cur})
	})
	buf := new([64]int64)
	var out int64
	for _, c := range []struct {
		name string
		call func()
	}{
		{"register path", func() { f.pokeReg(buf, f.cb.Ptr(), 1) }},
		{"register path with a callback argument", func() { f.poke(buf, f.cb, 1) }},
		{"dispatch", func() { f.pokeMany(buf, nil, nil, nil, nil, nil, nil, f.cb.Ptr(), 1) }},
		{"memory result", func() { f.twelveTri(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, &out, f.cb.Ptr()) }},
		{"variadic", func() { f.vpoke(f.cb.Ptr(), 1, buf, "a string") }},
		{"variadic, many stack words", func() { f.vpoke(f.cb.Ptr(), 1, buf, nil, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17) }},
	} {
		for i := range 20 {
			cur = i
			var rec any
			onFreshGoroutine(func() {
				defer func() { rec = recover() }()
				c.call()
			})
			if b, ok := rec.(boom); !ok || b.i != i {
				t.Fatalf("%s, call %d: recovered %#v, want boom{%d}", c.name, i, rec, i)
			}
		}
	}
	f.during(nil)
	buf[0] = 99
	if got := f.vpoke(f.cb.Ptr(), 5, buf, "x"); got != 99 || buf[1] != 5 {
		t.Fatalf("after the panics: vpoke = %d, wrote %d; want 99, 5", got, buf[1])
	}
}

// TestBindFuncCollectedDuringCall: the caller of a bound func need not
// keep the func value alive while it runs (here it is unreachable as soon
// as the call starts), so nothing the binding reads after C returns may
// depend on it. A callback run by C collects twice and fills the heap with
// junk of every small size, so a binding freed during the call reads junk
// (or, under GODEBUG=efence=1, unmapped memory) afterwards: pointer words
// to junkTarget, in objects of every small size class that holds
// pointers.
func TestBindFuncCollectedDuringCall(t *testing.T) {
	f := safetyLib(t)
	lib, err := ffi.Open(ctest.SharedLib(t, safetySrc, "-O1"))
	if err != nil {
		t.Fatal(err)
	}
	var junk [][]unsafe.Pointer
	f.during(func(int32) {
		runtime.GC()
		runtime.GC()
		junk = junk[:0]
		for n := 2; n <= 64; n += 2 {
			for range 128 {
				b := make([]unsafe.Pointer, n)
				for i := range b {
					b[i] = unsafe.Pointer(&junkTarget)
				}
				junk = append(junk, b)
			}
		}
	})
	defer f.during(nil)
	for i := range 10 {
		for _, c := range []struct {
			path string
			call func(lib *ffi.Library, cb *ffi.Callback, p *[64]int64, v int64) (int64, error)
		}{
			{"register path", pokeOnceReg},
			{"register path with a callback argument", pokeOnceCallback},
			{"dispatch", pokeOnceMany},
		} {
			obj := &[64]int64{0x5eed}
			got, err := c.call(lib, f.cb, obj, int64(i))
			if err != nil {
				t.Fatal(err)
			}
			if got != 0x5eed || obj[1] != int64(i) || obj[63] != int64(i)+1 {
				t.Fatalf("%s, call %d: poke returned %#x and wrote {%d, %d}, want 0x5eed and {%d, %d}", c.path, i, got, obj[1], obj[63], i, i+1)
			}
		}
	}
}

// junkTarget is what the junk points to: zeros.
var junkTarget [64]uint64

const pokeDecl = "long long poke(long long *p, int (*cb)(int), long long v)"

// pokeOnceReg, pokeOnceCallback and pokeOnceMany bind poke (or
// poke_many) and call it once; the func value is dead from the call on.
//
//go:noinline
func pokeOnceReg(lib *ffi.Library, cb *ffi.Callback, p *[64]int64, v int64) (int64, error) {
	var poke func(p *[64]int64, cb uintptr, v int64) int64
	if err := lib.Bind(&poke, pokeDecl); err != nil {
		return 0, err
	}
	return poke(p, cb.Ptr(), v), nil
}

//go:noinline
func pokeOnceCallback(lib *ffi.Library, cb *ffi.Callback, p *[64]int64, v int64) (int64, error) {
	var poke func(p *[64]int64, cb *ffi.Callback, v int64) int64
	if err := lib.Bind(&poke, pokeDecl); err != nil {
		return 0, err
	}
	return poke(p, cb, v), nil
}

//go:noinline
func pokeOnceMany(lib *ffi.Library, cb *ffi.Callback, p *[64]int64, v int64) (int64, error) {
	var poke func(p *[64]int64, a, b, c, d, e, g unsafe.Pointer, cb uintptr, v int64) int64
	if err := lib.Bind(&poke, "long long poke_many(long long *p, void *a, void *b, void *c, void *d, void *e, void *g, int (*cb)(int), long long v)"); err != nil {
		return 0, err
	}
	return poke(p, nil, nil, nil, nil, nil, nil, cb.Ptr(), v), nil
}

// TestBindStackArgumentsAcrossStackMoves calls a func whose last arguments
// and whose struct result are on the Go stack, from goroutines at many
// stack depths (so some calls grow the stack inside the bound call before
// C runs), with a callback that grows it again while C runs; C then writes
// through a pointer argument, and the results come back through the moved
// stack.
func TestBindStackArgumentsAcrossStackMoves(t *testing.T) {
	f := safetyLib(t)
	f.during(func(int32) { growStackBy(48) })
	defer f.during(nil)
	var recurse func(n int) bool
	recurse = func(n int) bool {
		var pad [128]byte
		pad[n%128] = 1
		if n > 0 {
			return recurse(n-1) && pad[n%128] == 1
		}
		// twelveSum first: its call must be the one that grows the
		// stack at some depths (in regCall's prologue, after the
		// trampoline wrote its C stack words).
		out2 := new(int64)
		sum := f.twelveSum(1, -2, 3, -4, 5, -6, 7, -8, 9, -10, out2, f.cb.Ptr())
		out3 := new(int64)
		tr := f.twelveTri(1, -2, 3, -4, 5, -6, 7, -8, 9, -10, out3, f.cb.Ptr())
		out := new(int64)
		q := f.twelve(1, -2, 3, -4, 5, -6, 7, -8, 9, -10, out, f.cb)
		want := int64(1 - 4 + 9 - 16 + 25 - 36 + 49 - 64 + 81 - 100)
		return *out == want && q.V == [4]int32{1, -10, -9, -1} && q.P == unsafe.Pointer(out) &&
			*out2 == want && sum == 1-100-900-1000 &&
			*out3 == want && tr == tri{1 - 100 - 900 - 1000, 1, int64(uintptr(unsafe.Pointer(out3)))}
	}
	for depth := range 60 {
		var ok bool
		onFreshGoroutine(func() { ok = recurse(depth) })
		if !ok {
			t.Fatalf("depth %d: wrong results after the stack moved", depth)
		}
	}
}

// TestBindSafetyUnderGODEBUG runs the three tests above again in child
// processes with the collector in stop-the-world mode and with every
// freed object's memory unmapped (efence), where a dangling pointer
// faults instead of reading stale bytes.
func TestBindSafetyUnderGODEBUG(t *testing.T) {
	for _, godebug := range []string{"gcstoptheworld=1", "gcstoptheworld=2", "efence=1"} {
		if raceEnabled && godebug == "efence=1" {
			// The Go 1.26 runtime itself faults running a cleanup
			// (runtime.AddCleanup) with efence under the race detector.
			continue
		}
		out, err := ctest.CombinedOutput(func() *exec.Cmd {
			cmd := ctest.Command(os.Args[0], "-test.run=^(TestBindStringSurvivesStackGrowth|TestBindPointerArgsStayReachable|TestBindStackArgumentsAcrossStackMoves|TestBindFuncCollectedDuringCall)$", "-test.count=1")
			cmd.Env = append(os.Environ(), "GODEBUG="+godebug, ctest.DirEnv+"="+ctest.Dir())
			return cmd
		})
		if err != nil || !strings.Contains(string(out), "PASS") {
			t.Errorf("GODEBUG=%s: %v\n%s", godebug, err, out)
		}
	}
}
