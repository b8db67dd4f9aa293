package ffi_test

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// Tests for the guarantees an adversarial run broke (issue 9). Behaviour
// that used to end the process runs in a helper process.

const inflightSrc = `
#include <pthread.h>
static int (*fn)(int, int);
static int result;
static pthread_t th;
static void *run(void *p) { result = fn(20, 22); return 0; }
int start_call(int (*f)(int, int)) { fn = f; return pthread_create(&th, 0, run, 0); }
int join_call(void) { pthread_join(th, 0); return result; }
`

func init() {
	// Free while a C thread has called the pointer and waits for the only P
	// (GOMAXPROCS=1, held by this goroutine): the call runs the func it
	// started with. Free comes once the call is past the slot's entry: the
	// runtime has attached the C thread (it counts one goroutine more from
	// then on, needm), however long the thread takes to get there (under
	// emulation, or on a loaded machine, far more than a millisecond).
	// Each round prints whether the callback ran after Free.
	helpers["free-inflight"] = func() {
		runtime.GOMAXPROCS(1)
		lib, err := ffi.Open(os.Getenv("FFI_INFLIGHT_SO"))
		if err != nil {
			panic(err)
		}
		var start func(cb *ffi.Callback) int32
		var join func() int32
		if err := lib.Bind(&start, "int start_call(int (*)(int, int))"); err != nil {
			panic(err)
		}
		if err := lib.Bind(&join, "int join_call(void)"); err != nil {
			panic(err)
		}
		ffi.SetStaleCallbackHandler(func(ptr uintptr, info string) { fmt.Println("stale:", info) })
		for round := 0; round < 20; round++ {
			var freed, ran, ranAfterFree atomic.Bool
			cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 {
				ranAfterFree.Store(freed.Load())
				ran.Store(true)
				return a + b
			})
			if err != nil {
				panic(err)
			}
			n := runtime.NumGoroutine()
			if start(cb) != 0 {
				panic("pthread_create failed")
			}
			// Hold the P (no call that could yield) until the call is in the
			// window, or has run anyway (the P was taken by preemption).
			for runtime.NumGoroutine() == n && !ran.Load() {
			}
			freed.Store(true)
			cb.Free()
			r := join()
			fmt.Printf("round %d: returned %d, ran after Free: %v\n", round, r, ranAfterFree.Load())
		}
		os.Exit(0)
	}
	// A panic raised 300 Go frames deep in a qsort comparator, and one
	// raised at the bottom of a Go -> C -> Go chain 120 levels deep, both
	// reach the Go caller of the outermost C call.
	helpers["deep-panic"] = func() {
		_, recurse, _ := mustMisuseLib()
		libc, err := ffi.Open(libcName)
		if err != nil {
			panic(err)
		}
		var qsort func(base unsafe.Pointer, n, size uintptr, cmp *ffi.Callback)
		if err := libc.Bind(&qsort, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))"); err != nil {
			panic(err)
		}
		var deep func(n int) int32
		deep = func(n int) int32 {
			if n == 0 {
				panic("deep comparator panic")
			}
			return deep(n-1) + 1
		}
		cmp, err := ffi.NewCallback("int (*)(const void *, const void *)", func(a, b unsafe.Pointer) int32 { return deep(300) })
		if err != nil {
			panic(err)
		}
		data := make([]int32, 16)
		got := func() (r any) {
			defer func() { r = recover() }()
			qsort(unsafe.Pointer(&data[0]), uintptr(len(data)), 4, cmp)
			return nil
		}()
		fmt.Printf("qsort: recovered %v\n", got)

		var rec func(cb *ffi.Callback, n int32) int32
		if err := ffi.Bind(&rec, recurse, "int recurse(int (*)(int), int)"); err != nil {
			panic(err)
		}
		var cb *ffi.Callback
		cb, err = ffi.NewCallback("int (*)(int)", func(n int32) int32 {
			if n == 0 {
				panic(fmt.Sprintf("chain panic at depth %d", 120))
			}
			return rec(cb, n-1)
		})
		if err != nil {
			panic(err)
		}
		got = func() (r any) {
			defer func() { r = recover() }()
			rec(cb, 120)
			return nil
		}()
		fmt.Printf("chain: recovered %v\n", got)
		os.Exit(0)
	}
	// A chain of re-entries that began on a thread created by C: the
	// innermost callback panics; the panic travels up to the outermost
	// callback, which has no Go caller, and the library's message ends the
	// process.
	helpers["panic-cthread-chain"] = func() {
		_, recurse, onThread := mustMisuseLib()
		var rec func(cb *ffi.Callback, n int32) int32
		if err := ffi.Bind(&rec, recurse, "int recurse(int (*)(int), int)"); err != nil {
			panic(err)
		}
		var inner *ffi.Callback
		inner, err := ffi.NewCallback("int (*)(int)", func(n int32) int32 {
			if n == 0 {
				panic("boom at the bottom of a chain from a C thread")
			}
			return rec(inner, n-1)
		})
		if err != nil {
			panic(err)
		}
		outer, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return rec(inner, 5) })
		if err != nil {
			panic(err)
		}
		purego.SyscallN(onThread, outer.Ptr())
	}
	// runtime.Goexit in a callback on a thread created by C: a documented
	// limit; the runtime ends the process.
	helpers["goexit-cthread"] = func() {
		_, _, onThread := mustMisuseLib()
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { runtime.Goexit(); return 0 })
		if err != nil {
			panic(err)
		}
		purego.SyscallN(onThread, cb.Ptr())
	}
	// runtime.Goexit in a callback inside a call from Go: the goroutine
	// that made the call ends, running its deferred calls.
	helpers["goexit-gothread"] = func() {
		callII, _, _ := mustMisuseLib()
		cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { runtime.Goexit(); return 0 })
		if err != nil {
			panic(err)
		}
		var call func(cb *ffi.Callback, a, b int32) int32
		if err := ffi.Bind(&call, callII, "int call_ii(int (*)(int, int), int, int)"); err != nil {
			panic(err)
		}
		done := make(chan string)
		go func() {
			defer func() { done <- "deferred call ran" }()
			call(cb, 1, 2)
			done <- "call returned"
		}()
		fmt.Println(<-done)
		cb.Free() // the callback machinery still works
		os.Exit(0)
	}
	// The zero Callback and the zero Library return errors.
	helpers["zero-values"] = func() {
		var cb ffi.Callback
		fmt.Printf("callback Ptr %#x\n", cb.Ptr())
		fmt.Printf("callback Free: %v\n", errors.Is(cb.Free(), ffi.ErrZeroCallback))
		fmt.Printf("callback Set: %v\n", errors.Is(cb.Set(func(int32) {}), ffi.ErrZeroCallback))
		var nilCB *ffi.Callback
		fmt.Printf("nil callback Free: %v\n", errors.Is(nilCB.Free(), ffi.ErrZeroCallback))
		var lib ffi.Library
		_, err := lib.Sym("abort")
		fmt.Printf("library Sym: %v\n", errors.Is(err, ffi.ErrNotOpen))
		var abort func()
		fmt.Printf("library Bind: %v\n", errors.Is(lib.Bind(&abort, "void abort(void)"), ffi.ErrNotOpen))
		fmt.Printf("library Close: %v\n", errors.Is(lib.Close(), ffi.ErrNotOpen))
		os.Exit(0)
	}
}

// TestPanicReachesGoCallerAtAnyDepth: where the panic was raised (hundreds
// of frames deep) and how many re-entries lie between it and the Go caller
// does not decide whether it reaches that caller.
func TestPanicReachesGoCallerAtAnyDepth(t *testing.T) {
	code, out := runHelper(t, "deep-panic")
	if code != 0 || !strings.Contains(out, "qsort: recovered deep comparator panic") || !strings.Contains(out, "chain: recovered chain panic at depth 120") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// TestFreeWhileCallEntering: calls that C started before Free finish with
// the func they started with, also when they had not reached Go yet.
func TestFreeWhileCallEntering(t *testing.T) {
	so := ctest.SharedLib(t, inflightSrc, "-O1", "-pthread")
	t.Setenv("FFI_INFLIGHT_SO", so)
	code, out := runHelper(t, "free-inflight")
	after := strings.Count(out, "ran after Free: true")
	t.Logf("%d of 20 calls reached Go after Free", after)
	if code != 0 || strings.Contains(out, "stale") || strings.Count(out, "returned 42") != 20 || after == 0 {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// TestPanicInChainFromCThreadEndsProcess: the library's message, not the
// runtime's trace of an unrecovered panic.
func TestPanicInChainFromCThreadEndsProcess(t *testing.T) {
	code, out := runHelper(t, "panic-cthread-chain")
	if code != 2 || !strings.Contains(out, "ffi: panic in callback int (*)(int, int)") ||
		!strings.Contains(out, "on a thread created by C: boom at the bottom of a chain from a C thread") ||
		strings.Contains(out, "goroutine ") {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// TestGoexitOnCThreadEndsProcess checks the behaviour the package
// documentation states for this limit.
func TestGoexitOnCThreadEndsProcess(t *testing.T) {
	code, out := runHelper(t, "goexit-cthread")
	if code != 2 || !strings.Contains(out, "runtime.Goexit called in a thread that was not created by the Go runtime") {
		t.Fatalf("exit %d, output:\n%.2000s", code, out)
	}
}

func TestGoexitInsideGoCallEndsGoroutine(t *testing.T) {
	code, out := runHelper(t, "goexit-gothread")
	if code != 0 || out != "deferred call ran" {
		t.Fatalf("exit %d, output:\n%.2000s", code, out)
	}
}

func TestZeroValuesReturnErrors(t *testing.T) {
	code, out := runHelper(t, "zero-values")
	want := []string{"callback Ptr 0x0", "callback Free: true", "callback Set: true", "nil callback Free: true",
		"library Sym: true", "library Bind: true", "library Close: true"}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q", w)
		}
	}
	if code != 0 || t.Failed() {
		t.Fatalf("exit %d, output:\n%s", code, out)
	}
}

// TestCopiedCallbackFreedOnce: a copy of a Callback shares its state, so
// the slot is freed once; afterwards no two live callbacks share a pointer.
func TestCopiedCallbackFreedOnce(t *testing.T) {
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b })
	if err != nil {
		t.Fatal(err)
	}
	cp := new(ffi.Callback)
	reflect.ValueOf(cp).Elem().Set(reflect.ValueOf(cb).Elem()) // what *cp = *cb does, which vet reports
	if cp.Ptr() != cb.Ptr() {
		t.Fatalf("copy has pointer %#x, original %#x", cp.Ptr(), cb.Ptr())
	}
	if err := cp.Free(); err != nil {
		t.Fatal(err)
	}
	if err := cb.Free(); !errors.Is(err, ffi.ErrFreed) {
		t.Fatalf("Free through the original after Free through a copy: %v, want ErrFreed", err)
	}
	if err := cp.Set(func(a, b int32) int32 { return 0 }); !errors.Is(err, ffi.ErrFreed) {
		t.Fatalf("Set after Free: %v, want ErrFreed", err)
	}
	// Past the quarantine, twice over: a slot freed twice would be handed out twice.
	n := 2*16384 + 16
	seen := make(map[uintptr]bool, n)
	cbs := make([]*ffi.Callback, 0, n)
	defer func() {
		for _, c := range cbs {
			c.Free()
		}
	}()
	for i := 0; i < n; i++ {
		c, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a })
		if err != nil {
			t.Fatal(err)
		}
		cbs = append(cbs, c)
		if seen[c.Ptr()] {
			t.Fatalf("callback %d got pointer %#x, which a live callback has", i, c.Ptr())
		}
		seen[c.Ptr()] = true
	}
}

func TestNULInNames(t *testing.T) {
	if _, err := ffi.Open("\x00/not/here.so"); err == nil || !strings.Contains(err.Error(), "NUL byte at offset 0") {
		t.Errorf("Open with a NUL: %v", err)
	}
	libc := openC(t, libcName)
	if _, err := libc.Sym("abort\x00strlen"); err == nil || !strings.Contains(err.Error(), "NUL byte at offset 5") {
		t.Errorf("Sym with a NUL: %v", err)
	}
	var f func()
	if err := libc.Bind(&f, "void abort\x00(void)"); err == nil {
		t.Errorf("Bind of a declaration with a NUL: no error")
	}
}

// TestUnionsRefuseGoPointers: C bytes may not become Go pointers or
// headers, through a union or a struct with bitfields, in either direction.
func TestUnionsRefuseGoPointers(t *testing.T) {
	s := ffi.NewScope()
	if err := s.Cdef(`
		union u16 { short s; unsigned char b[2]; };
		union u192 { long long l[3]; char c[24]; };
		union u64 { long long l; void *p; double d; };
		union u128 { long long l[2]; char c[16]; };
		struct bits { unsigned a : 3; unsigned b : 29; long long l; };
		struct holder { int k; union u128 u; };
	`); err != nil {
		t.Fatal(err)
	}
	type words struct{ A, B uint64 }
	type hidden struct {
		A uint64
		S *int
	}
	type holder struct {
		K int32
		U any
	}
	bad := []struct {
		decl string
		fn   any
		want string
	}{
		{"void (*)(union u128)", func(any) {}, "interface"},
		{"void (*)(union u128)", func(string) {}, "string"},
		{"void (*)(union u128)", func(error) {}, "interface"},
		{"void (*)(union u64)", func(map[int]int) {}, "map"},
		{"void (*)(union u64)", func(chan int) {}, "chan"},
		{"void (*)(union u64)", func(func()) {}, "func"},
		{"void (*)(union u64)", func(*int) {}, "pointer vs. value"}, // refused before the pointer check
		{"void (*)(union u64)", func(unsafe.Pointer) {}, "pointer"},
		{"void (*)(union u192)", func([]byte) {}, "slice"},
		{"void (*)(union u128)", func(hidden) {}, "field S"},
		{"union u128 (*)(void)", func() hidden { return hidden{} }, "field S"},
		{"void (*)(struct bits)", func(hidden) {}, "bitfields"},
		{"void (*)(struct holder)", func(holder) {}, "interface"},
	}
	for _, c := range bad {
		if cb, err := s.NewCallback(c.decl, c.fn); err == nil {
			cb.Free()
			t.Errorf("NewCallback(%q, %T) accepted", c.decl, c.fn)
		} else if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Go pointer") && c.want != "pointer vs. value" {
			t.Errorf("NewCallback(%q, %T): %v, want the error to name %q", c.decl, c.fn, err, c.want)
		}
		fp := reflect.New(reflect.TypeOf(c.fn))
		if err := s.Bind(fp.Interface(), 1, c.decl); err == nil || !strings.Contains(err.Error(), "Go pointer") && c.want != "pointer vs. value" {
			t.Errorf("Bind(%q, %T): %v, want an error", c.decl, c.fn, err)
		}
	}
	good := []struct {
		decl string
		fn   any
	}{
		{"void (*)(union u16)", func(int16) {}},
		{"void (*)(union u16)", func([1]uint16) {}},
		{"void (*)(union u64)", func(uintptr) {}},
		{"void (*)(union u64)", func(float64) {}},
		{"void (*)(union u128)", func(words) {}},
		{"union u128 (*)(void)", func() [2]uint64 { return [2]uint64{} }},
		{"void (*)(struct bits)", func(words) {}},
	}
	for _, c := range good {
		cb, err := s.NewCallback(c.decl, c.fn)
		if err != nil {
			t.Errorf("NewCallback(%q, %T): %v", c.decl, c.fn, err)
			continue
		}
		cb.Free()
	}
}

// TestBindRefusesSlicesOfGoPointers: C reads a slice's elements, so they
// must not be Go strings, pointers or other headers.
func TestBindRefusesSlicesOfGoPointers(t *testing.T) {
	for _, c := range []struct {
		fn   any
		want string
	}{
		{new(func([]string) int32), "string holds a Go pointer"},
		{new(func([]*byte) int32), "pointer"},
		{new(func([][]byte) int32), "slice"},
		{new(func([]any) int32), "interface"},
	} {
		err := ffi.Bind(c.fn, 1, "int f(char **)")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "parameter 1") {
			t.Errorf("Bind(%T): %v, want an error naming parameter 1 and %q", c.fn, err, c.want)
		}
	}
	var ok func([]uintptr) int32
	if err := ffi.Bind(&ok, 1, "int f(char **)"); err != nil {
		t.Errorf("[]uintptr for char **: %v", err)
	}
	var snprintf func(buf []byte, n uintptr, format string, args ...any) int32
	libc := openC(t, libcName)
	if err := libc.Bind(&snprintf, "int "+snprintfName+"(char *, size_t, const char *, ...)"); err != nil {
		t.Fatal(err)
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "string holds a Go pointer") {
			t.Errorf("variadic []string: %v, want a panic naming the problem", r)
		}
	}()
	buf := make([]byte, 64)
	snprintf(buf, 64, "%s", []string{"a"})
}

const sretSrc = `
#include <string.h>
struct big { long long a, b, c; };
typedef struct big (*bigfn)(int);
#if defined(__x86_64__) && defined(_WIN64)
/* Microsoft x64: out is the hidden result pointer in rcx, x goes in edx,
   and f must return out in rax. 40 bytes: the shadow space and alignment. */
void *call_sret(bigfn f, struct big *out, int x);
__asm__(".text\n.globl call_sret\n.def call_sret; .scl 2; .type 32; .endef\ncall_sret:\n"
	"\tsub $40, %rsp\n"
	"\tmov %rcx, %rax\n"
	"\tmov %rdx, %rcx\n"
	"\tmov %r8d, %edx\n"
	"\tcall *%rax\n"
	"\tadd $40, %rsp\n"
	"\tret\n");
#elif defined(__x86_64__)
/* Calls f(x) with out as the hidden result pointer and returns what f left
   in rax, which System V requires to be that pointer. */
void *call_sret(bigfn f, struct big *out, int x);
__asm__(".text\n.globl call_sret\n.type call_sret,@function\ncall_sret:\n"
	"\tpush %rbx\n"
	"\tmov %rdi, %rax\n"
	"\tmov %rsi, %rdi\n"
	"\tmov %edx, %esi\n"
	"\tcall *%rax\n"
	"\tpop %rbx\n"
	"\tret\n");
#else
/* AAPCS64 passes the result address in x8 and returns nothing for it. */
void *call_sret(bigfn f, struct big *out, int x) { *out = f(x); return out; }
#endif
`

// TestStaleCallMemoryResult: a stale call whose result is returned through
// a hidden pointer zeroes that buffer and returns its address as the
// calling convention requires.
func TestStaleCallMemoryResult(t *testing.T) {
	lib, err := ffi.Open(ctest.SharedLib(t, sretSrc, "-O1"))
	if err != nil {
		t.Fatal(err)
	}
	callSret, err := lib.Sym("call_sret")
	if err != nil {
		t.Fatal(err)
	}
	s := ffi.NewScope()
	if err := s.Cdef("struct big { long long a, b, c; };"); err != nil {
		t.Fatal(err)
	}
	type big struct{ A, B, C int64 }
	cb, err := s.NewCallback("struct big (*)(int)", func(x int32) big { return big{int64(x), 2, 3} })
	if err != nil {
		t.Fatal(err)
	}
	out := new(big)
	var pin runtime.Pinner // C writes it; it must not be on the stack
	pin.Pin(out)
	defer pin.Unpin()
	if r, _, _ := purego.SyscallN(callSret, cb.Ptr(), uintptr(unsafe.Pointer(out)), 7); r != uintptr(unsafe.Pointer(out)) || *out != (big{7, 2, 3}) {
		t.Fatalf("live call: returned %#x (buffer %p), %+v", r, out, *out)
	}
	calls := 0
	ffi.SetStaleCallbackHandler(func(uintptr, string) { calls++ })
	defer ffi.SetStaleCallbackHandler(nil)
	cb.Free()
	*out = big{-1, -1, -1}
	r, _, _ := purego.SyscallN(callSret, cb.Ptr(), uintptr(unsafe.Pointer(out)), 7)
	if calls != 1 {
		t.Fatalf("handler called %d times", calls)
	}
	if r != uintptr(unsafe.Pointer(out)) {
		t.Errorf("stale call returned %#x, want the buffer address %p", r, out)
	}
	if *out != (big{}) {
		t.Errorf("stale call left the result %+v, want zero", *out)
	}
}
