package ffi_test

import (
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// createThreadSrc starts threads with the Win32 CreateThread (no C runtime
// or pthread layer in between) that call a callback and check each result.
const createThreadSrc = `
#include <windows.h>

typedef long long (*cb_t)(long long thread, long long i, double x);
struct job { cb_t cb; long long id, n, bad; };

static DWORD WINAPI run(LPVOID p) {
	struct job *j = p;
	for (long long i = 0; i < j->n; i++)
		if (j->cb(j->id, i, (double)i * 0.5) != j->id * 1000 + i) j->bad++;
	return 0;
}

/* runs nthreads threads of n calls each; returns the wrong results, or -1 */
long long create_threads(cb_t cb, int nthreads, long long n) {
	HANDLE h[16];
	struct job jobs[16];
	if (nthreads > 16) return -1;
	for (int i = 0; i < nthreads; i++) {
		jobs[i] = (struct job){cb, i, n, 0};
		h[i] = CreateThread(NULL, 0, run, &jobs[i], 0, NULL);
		if (!h[i]) return -1;
	}
	WaitForMultipleObjects(nthreads, h, TRUE, INFINITE);
	long long bad = 0;
	for (int i = 0; i < nthreads; i++) { CloseHandle(h[i]); bad += jobs[i].bad; }
	return bad;
}
`

// TestCallbacksFromCreateThread: 8 threads made by CreateThread, which Go
// never saw, call one callback 2,000 times each.
func TestCallbacksFromCreateThread(t *testing.T) {
	lib := openC(t, ctest.SharedLib(t, createThreadSrc, "-O1"))
	var run func(cb *ffi.Callback, nthreads int32, n int64) int64
	if err := lib.Bind(&run, "long long create_threads(void *cb, int nthreads, long long n)"); err != nil {
		t.Fatal(err)
	}
	cb, err := ffi.NewCallback("long long (*)(long long, long long, double)", func(thread, i int64, x float64) int64 {
		if x != float64(i)*0.5 {
			return -1
		}
		return thread*1000 + i
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	if bad := run(cb, 8, 2000); bad != 0 {
		t.Errorf("%d wrong results (or -1: a thread was not created)", bad)
	}
}
