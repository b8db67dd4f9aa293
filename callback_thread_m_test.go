package ffi_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/threadkey"
)

// parkSrc starts one thread with pthread_create that calls a callback,
// parks until released, calls it again and exits.
const parkSrc = `
#include <pthread.h>

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stage; /* 0 started, 1 called back and parked, 2 released */
static pthread_t th;
static int (*cb)(int);
static int sum;

static void *park(void *p) {
	(void)p;
	sum = cb(1);
	pthread_mutex_lock(&mu);
	stage = 1;
	pthread_cond_broadcast(&cv);
	while (stage != 2) pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	sum += cb(2);
	return 0;
}

/* park_start starts the thread and returns once it has called back once
   and parked: the callback's result, or -1. */
int park_start(int (*f)(int)) {
	cb = f;
	stage = 0;
	if (pthread_create(&th, 0, park, 0)) return -1;
	pthread_mutex_lock(&mu);
	while (stage != 1) pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return sum;
}

/* park_finish releases the thread, waits for it to exit and returns the
   sum of both callbacks' results. */
int park_finish(void) {
	pthread_mutex_lock(&mu);
	stage = 2;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(th, 0);
	return sum;
}
`

// TestCallbackThreadsKeepTheirM: making a callback makes the thread key
// (see internal/threadkey: cgo on, Unix; cgo off, Linux and macOS), so that
// a thread C created keeps the Go M it attached on its first callback until
// it exits, instead of attaching and detaching one (needm, dropm:
// microseconds) on every callback; cgo's export wrappers do the same.
//
// It is observed through runtime.NumGoroutine, which counts the goroutine of
// an M attached to a C thread: one more while the parked thread keeps its
// M, and none once it exits (the key's destructor drops the M; without it
// the M leaks and the count stays up). Where there is no key (Windows) the
// M is dropped after each callback and the count never moves.
func TestCallbackThreadsKeepTheirM(t *testing.T) {
	lib := openC(t, ctest.SharedLib(t, parkSrc, "-O1", "-pthread"))
	var start func(*ffi.Callback) int32
	var finish func() int32
	if err := lib.Bind(&start, "int park_start(int (*)(int))"); err != nil {
		t.Fatal(err)
	}
	if err := lib.Bind(&finish, "int park_finish(void)"); err != nil {
		t.Fatal(err)
	}
	cb, err := ffi.NewCallback("int (*)(int)", func(x int32) int32 { return x * 10 })
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	if got := threadkey.ThreadsBound(); got != threadkey.Supported {
		t.Fatalf("thread key made: %v, want %v", got, threadkey.Supported)
	}
	want := 0
	if threadkey.Supported {
		want = 1
	}
	// Other goroutines of the test binary may still be ending: take the
	// first attempt whose count before and after agree.
	var seen []string
	for attempt := 0; attempt < 5; attempt++ {
		runtime.GC()
		before := runtime.NumGoroutine()
		if r := start(cb); r != 10 {
			t.Fatalf("park_start = %d, want 10", r)
		}
		during := runtime.NumGoroutine()
		if r := finish(); r != 30 {
			t.Fatalf("park_finish = %d, want 30", r)
		}
		after := runtime.NumGoroutine()
		if during-before == want && after == before {
			return
		}
		seen = append(seen, fmt.Sprintf("before %d, parked %d, exited %d", before, during, after))
	}
	t.Errorf("goroutines while a C thread that called back is parked: want %d more (its M kept), and none after it exits (M dropped); saw %v", want, seen)
}
