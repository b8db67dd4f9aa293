package ffi_test

import (
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

const misuseSrc = `
#include <pthread.h>
#include <stdint.h>
int call_ii(int (*cb)(int, int), int a, int b) { return cb(a, b); }
int recurse(int (*cb)(int), int n) { return cb(n) + 1; }
static void *thread_main(void *p) { ((int (*)(int, int))p)(1, 2); return 0; }
int call_on_thread(int (*cb)(int, int)) {
	pthread_t t;
	if (pthread_create(&t, 0, thread_main, (void *)cb)) return -1;
	pthread_join(t, 0);
	return 0;
}
`

func misuseLib(t testing.TB) (callII, recurse, onThread uintptr) {
	t.Helper()
	callII, recurse, onThread, err := loadMisuseLib()
	if err != nil {
		t.Fatal(err)
	}
	return callII, recurse, onThread
}

func loadMisuseLib() (callII, recurse, onThread uintptr, err error) {
	so, err := ctest.Build(misuseSrc, "-O1", "-pthread")
	if err != nil {
		return 0, 0, 0, err
	}
	lib, err := ffi.Open(so)
	if err != nil {
		return 0, 0, 0, err
	}
	for name, p := range map[string]*uintptr{"call_ii": &callII, "recurse": &recurse, "call_on_thread": &onThread} {
		if *p, err = lib.Sym(name); err != nil {
			return 0, 0, 0, err
		}
	}
	return callII, recurse, onThread, nil
}

// mustMisuseLib is loadMisuseLib for helper processes.
func mustMisuseLib() (callII, recurse, onThread uintptr) {
	callII, recurse, onThread, err := loadMisuseLib()
	if err != nil {
		panic(err)
	}
	return callII, recurse, onThread
}

func init() {
	// A freed callback called from C with no handler installed ends the process.
	helpers["stale"] = func() {
		callII, _, _ := mustMisuseLib()
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b })
		if err != nil {
			panic(err)
		}
		cb.Free()
		purego.SyscallN(callII, cb.Ptr(), 1, 2)
	}
	// A panic in a callback on a thread created by C ends the process.
	helpers["panic-cthread"] = func() {
		_, _, onThread := mustMisuseLib()
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { panic("boom from a C thread") })
		if err != nil {
			panic(err)
		}
		purego.SyscallN(onThread, cb.Ptr())
	}
}

func TestStalePointerEndsProcess(t *testing.T) {
	code, out := runHelper(t, "stale")
	if code != 2 || !strings.Contains(out, "stale callback pointer") || !strings.Contains(out, "was called after Free") || !strings.Contains(out, "slot ") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

func TestPanicOnCThreadEndsProcess(t *testing.T) {
	code, out := runHelper(t, "panic-cthread")
	if code != 2 || !strings.Contains(out, "panic in callback int (*)(int, int)") || !strings.Contains(out, "boom from a C thread") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

func TestStalePointerHandler(t *testing.T) {
	callII, _, _ := misuseLib(t)
	var gotPtr uintptr
	var gotInfo string
	ffi.SetStaleCallbackHandler(func(ptr uintptr, info string) { gotPtr, gotInfo = ptr, info })
	defer ffi.SetStaleCallbackHandler(nil)
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b + 1000 })
	if err != nil {
		t.Fatal(err)
	}
	cb.Free()
	r, _, _ := purego.SyscallN(callII, cb.Ptr(), 1, 2)
	if int32(r) != 0 {
		t.Fatalf("stale call returned %d, want 0", int32(r))
	}
	if gotPtr != cb.Ptr() || !strings.Contains(gotInfo, "called after Free") {
		t.Fatalf("handler got %#x %q, want %#x", gotPtr, gotInfo, cb.Ptr())
	}
}

// TestPanicReachesGoCaller: a panic in a callback called during a call
// from Go into C reaches that Go caller as a Go panic with the original
// value; the callback machinery keeps working afterwards.
func TestPanicReachesGoCaller(t *testing.T) {
	callII, _, _ := misuseLib(t)
	type boom struct{ n int }
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 {
		if a == 13 {
			panic(boom{int(b)})
		}
		return a + b
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	var call func(cb *ffi.Callback, a, b int32) int32
	if err := ffi.Bind(&call, callII, "int call_ii(int (*)(int, int), int, int)"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		got := func() (r any) {
			defer func() { r = recover() }()
			call(cb, 13, int32(i))
			return nil
		}()
		if b, ok := got.(boom); !ok || b.n != i {
			t.Fatalf("recovered %#v, want boom{%d}", got, i)
		}
		if r := call(cb, 2, 3); r != 5 {
			t.Fatalf("after a panic the callback returned %d", r)
		}
	}
	// The same through purego's call path, which also enters C with
	// runtime.cgocall.
	got := func() (r any) {
		defer func() { r = recover() }()
		purego.SyscallN(callII, cb.Ptr(), 13, 99)
		return nil
	}()
	if b, ok := got.(boom); !ok || b.n != 99 {
		t.Fatalf("through purego: recovered %#v, want boom{99}", got)
	}
}

// TestReentry: Go -> C -> Go callback -> C -> Go callback ... 1,000 deep.
func TestReentry(t *testing.T) {
	_, recurse, _ := misuseLib(t)
	var cb *ffi.Callback
	var err error
	var rec func(cb *ffi.Callback, n int32) int32
	if err := ffi.Bind(&rec, recurse, "int recurse(int (*)(int), int)"); err != nil {
		t.Fatal(err)
	}
	maxDepth := 0
	cb, err = ffi.NewCallback("int (*)(int)", func(n int32) int32 {
		var pad [256]byte // use some Go stack at each level, so the goroutine stack grows and moves
		pad[n%256] = byte(n)
		if int(n) > maxDepth {
			maxDepth = int(n)
		}
		if n == 0 {
			return int32(pad[0])
		}
		return rec(cb, n-1) + 1
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	const depth = 1000
	if r := rec(cb, depth); r != 2*depth+1 || maxDepth != depth {
		t.Fatalf("recursion returned %d (max depth %d), want %d", r, maxDepth, 2*depth+1)
	}
}

// TestFuncLifetime: the library keeps a live callback's func alive with no
// help from the program (which holds only the *Callback), and lets a freed
// callback's func be collected once 16,384 more callbacks were freed
// (until then calls that C started before Free may still need it).
func TestFuncLifetime(t *testing.T) {
	callII, _, _ := misuseLib(t)
	var collected atomic.Bool
	cb := func() *ffi.Callback {
		captured := new([1024]byte)
		captured[7] = 7
		runtime.SetFinalizer(captured, func(*[1024]byte) { collected.Store(true) })
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return int32(captured[7]) + a + b })
		if err != nil {
			t.Fatal(err)
		}
		return cb
	}()
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	if collected.Load() {
		t.Fatal("the func of a live callback was collected")
	}
	if r, _, _ := purego.SyscallN(callII, cb.Ptr(), 1, 2); int32(r) != 10 {
		t.Fatalf("live callback returned %d", int32(r))
	}
	if err := cb.Free(); err != nil {
		t.Fatal(err)
	}
	for range 16 << 10 {
		c, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a - b })
		if err != nil {
			t.Fatal(err)
		}
		c.Free()
	}
	for i := 0; i < 50 && !collected.Load(); i++ {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	if !collected.Load() {
		t.Fatal("the func of a freed callback was never collected")
	}
}

// TestCreateFreeCyclesKeepMemoryFlat: millions of create/free cycles reuse
// the same slots and keep resident memory flat.
func TestCreateFreeCyclesKeepMemoryFlat(t *testing.T) {
	callII, _, _ := misuseLib(t)
	cycles := createFreeCycles
	if testing.Short() {
		cycles /= 10
	}
	cycle := func(i int) {
		k := int32(i)
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b + k })
		if err != nil {
			t.Fatal(err)
		}
		if i%1000 == 0 {
			if r, _, _ := purego.SyscallN(callII, cb.Ptr(), 1, 2); int32(r) != 3+k {
				t.Fatalf("cycle %d: got %d", i, int32(r))
			}
		}
		cb.Free()
	}
	for i := 0; i < 100_000; i++ { // warm up: fill the quarantine
		cycle(i)
	}
	debug.FreeOSMemory() // earlier tests' garbage must not count
	rss0, code0 := rssBytes(t), ffi.CodeBytes()
	for i := 0; i < cycles; i++ {
		cycle(i)
	}
	debug.FreeOSMemory()
	rss1, code1 := rssBytes(t), ffi.CodeBytes()
	t.Logf("%d create/free cycles: RSS %d -> %d MiB, machine code %d -> %d KiB", cycles, rss0>>20, rss1>>20, code0>>10, code1>>10)
	if code1 != code0 {
		t.Errorf("machine code grew from %d to %d bytes", code0, code1)
	}
	if rss1 > rss0+rssSlack {
		t.Errorf("resident memory grew from %d to %d MiB", rss0>>20, rss1>>20)
	}
}
