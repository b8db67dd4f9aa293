package ffi_test

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// threadSrc starts threads with pthread_create (threads Go never saw) that
// call a callback many times and check every result in C.
const threadSrc = `
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

typedef int64_t (*cb_t)(int64_t thread, int64_t i, double x);
struct job { cb_t cb; int64_t id; int64_t n; int64_t bad; };

static void *run(void *p) {
	struct job *j = p;
	for (int64_t i = 0; i < j->n; i++) {
		int64_t r = j->cb(j->id, i, (double)i * 0.5);
		if (r != j->id * 1000000007LL + i * 3) j->bad++;
	}
	return 0;
}

/* runs nthreads threads of n calls each; returns the number of wrong results, or -1 */
int64_t run_threads(cb_t cb, int nthreads, int64_t n) {
	pthread_t t[64];
	struct job jobs[64];
	if (nthreads > 64) return -1;
	for (int i = 0; i < nthreads; i++) {
		jobs[i] = (struct job){cb, i, n, 0};
		if (pthread_create(&t[i], 0, run, &jobs[i])) return -1;
	}
	int64_t bad = 0;
	for (int i = 0; i < nthreads; i++) { pthread_join(t[i], 0); bad += jobs[i].bad; }
	return bad;
}

int call_ii(int (*cb)(int, int), int a, int b) { return cb(a, b); }
`

func threadLib(t testing.TB) (runThreads, callII uintptr) {
	lib := openC(t, ctest.SharedLib(t, threadSrc, "-O1", "-pthread"))
	var err error
	if runThreads, err = lib.Sym("run_threads"); err != nil {
		t.Fatal(err)
	}
	if callII, err = lib.Sym("call_ii"); err != nil {
		t.Fatal(err)
	}
	return runThreads, callII
}

// TestCallbacksFromCThreads: 16 threads created by C call one callback
// concurrently with goroutines that make calls into C which call back.
func TestCallbacksFromCThreads(t *testing.T) {
	perThread := 100_000 / stressDiv
	if testing.Short() {
		perThread = 5_000
	}
	runThreads, callII := threadLib(t)
	var calls atomic.Int64
	cb, err := ffi.NewCallback("int64_t (*)(int64_t, int64_t, double)", func(th, i int64, x float64) int64 {
		calls.Add(1)
		if x != float64(i)*0.5 {
			return -1
		}
		return th*1000000007 + i*3
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	add, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b })
	if err != nil {
		t.Fatal(err)
	}
	defer add.Free()

	// The goroutines make bound calls (Go -> C) that call back into Go.
	var callAdd func(cb *ffi.Callback, a, b int32) int32
	if err := ffi.Bind(&callAdd, callII, "int call_ii(int (*)(int, int), int, int)"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var goBad atomic.Int64
	stop := make(chan struct{})
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if r := callAdd(add, int32(g), int32(i)); r != int32(g+i) {
					goBad.Add(1)
				}
			}
		}(g)
	}
	r, _, _ := purego.SyscallN(runThreads, cb.Ptr(), 16, uintptr(perThread))
	close(stop)
	wg.Wait()
	if int64(r) != 0 {
		t.Fatalf("C threads saw %d wrong results", int64(r))
	}
	if got := calls.Load(); got != int64(16*perThread) {
		t.Fatalf("%d callback calls, want %d", got, 16*perThread)
	}
	if goBad.Load() != 0 {
		t.Fatalf("goroutines calling C saw %d wrong results", goBad.Load())
	}
}

// TestSetWhileCalling retargets a callback while C threads call it: every
// call sees the old or the new func, never anything else.
func TestSetWhileCalling(t *testing.T) {
	runThreads, _ := threadLib(t)
	good := func(th, i int64, x float64) int64 { return th*1000000007 + i*3 }
	alsoGood := func(th, i int64, x float64) int64 { return i*3 + th*1000000007 } // same values, another func
	cb, err := ffi.NewCallback("int64_t (*)(int64_t, int64_t, double)", good)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	done := make(chan int64)
	go func() {
		r, _, _ := purego.SyscallN(runThreads, cb.Ptr(), 8, 20_000)
		done <- int64(r)
	}()
	sets := 0
	for {
		select {
		case r := <-done:
			if r != 0 {
				t.Fatalf("%d wrong results while Set ran %d times", r, sets)
			}
			if sets == 0 {
				t.Fatal("no Set happened during the calls")
			}
			return
		default:
		}
		fn := good
		if sets%2 == 1 {
			fn = alsoGood
		}
		if err := cb.Set(fn); err != nil {
			t.Fatal(err)
		}
		sets++
		runtime.Gosched()
	}
}

// TestConcurrentLifecycle creates, calls and frees callbacks from many
// goroutines at once.
func TestConcurrentLifecycle(t *testing.T) {
	_, callII := threadLib(t)
	goroutines, cycles := 16, 100_000/stressDiv
	if testing.Short() {
		cycles = 1_000
	}
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < cycles; i++ {
				k := int32(g*cycles + i)
				cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a*b + k })
				if err != nil {
					errs <- err
					return
				}
				r, _, _ := purego.SyscallN(callII, cb.Ptr(), 3, uintptr(i))
				if int32(r) != 3*int32(i)+k {
					errs <- fmt.Errorf("goroutine %d cycle %d: got %d want %d", g, i, int32(r), 3*int32(i)+k)
					return
				}
				if err := cb.Free(); err != nil {
					errs <- err
					return
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

// TestBlockingCallback blocks inside a callback (channel receive and sleep)
// while a ticker goroutine keeps ticking: the runtime does not stall.
func TestBlockingCallback(t *testing.T) {
	_, callII := threadLib(t)
	release := make(chan int32)
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 {
		time.Sleep(20 * time.Millisecond)
		return <-release + a + b
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	var ticks atomic.Int64
	stopTicker := make(chan struct{})
	go func() {
		tk := time.NewTicker(time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-tk.C:
				ticks.Add(1)
			case <-stopTicker:
				return
			}
		}
	}()
	result := make(chan int32)
	go func() {
		r, _, _ := purego.SyscallN(callII, cb.Ptr(), 1, 2)
		result <- int32(r)
	}()
	// While the callback blocks, the ticker goroutine must keep ticking:
	// wait for 20 ticks (a stalled runtime never gets there).
	deadline := time.Now().Add(20 * time.Second)
	for ticks.Load() < 20 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d ticks in 20s while a callback blocked", ticks.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
	release <- 100
	if r := <-result; r != 103 {
		t.Fatalf("blocking callback returned %d", r)
	}
	close(stopTicker)
}
