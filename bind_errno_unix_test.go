//go:build !windows

package ffi_test

import (
	"errors"
	"sync"
	"syscall"
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// TestBindErrnoResult binds open(2) with an extra error result: errno is
// cleared before the call and read right after it on the same thread.
func TestBindErrnoResult(t *testing.T) {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		t.Fatal(err)
	}
	var open func(path string, flags int32, mode ...any) (int32, error)
	if err := libc.Bind(&open, "int open(const char *path, int flags, ...)"); err != nil {
		t.Fatal(err)
	}
	var closeFD func(fd int32) (int32, error)
	if err := libc.Bind(&closeFD, "int close(int fd)"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		fd, err := open("/nonexistent/ffi-test", syscall.O_RDONLY)
		if fd != -1 || !errors.Is(err, syscall.ENOENT) {
			t.Fatalf("open(/nonexistent) = %d, %v; want -1, ENOENT", fd, err)
		}
		// A successful call after a failed one: errno was cleared first.
		fd, err = open("/dev/null", syscall.O_RDONLY)
		if fd < 0 || err != nil {
			t.Fatalf("open(/dev/null) = %d, %v; want a descriptor and nil", fd, err)
		}
		if _, err := closeFD(fd); err != nil {
			t.Fatalf("close(%d) = %v", fd, err)
		}
		if _, err := closeFD(fd); !errors.Is(err, syscall.EBADF) {
			t.Fatalf("close of a closed descriptor = %v, want EBADF", err)
		}
	}
	if allocs := testing.AllocsPerRun(100, func() { open("/nonexistent/ffi-test", syscall.O_RDONLY) }); allocs != 0 {
		t.Errorf("%v allocations per failing call, want 0", allocs)
	}
}

const errnoLeafSrc = `
#include <errno.h>
int set_errno(int e) { if (e) errno = e; return -e; }
long long set_errno_ll(int e, long long v) { if (e) errno = e; return v; }
`

// TestBindErrnoLeaf: leaf bindings with an error result, from several
// goroutines at once: each call reads the errno its own C call set (or
// nil when it set none), with int and long long results.
func TestBindErrnoLeaf(t *testing.T) {
	lib, err := ffi.Open(ctest.SharedLib(t, errnoLeafSrc, "-O2"))
	if err != nil {
		t.Fatal(err)
	}
	var setErrno func(int32) (int32, error)
	var setErrnoLL func(int32, int64) (int64, error)
	if err := lib.Bind(&setErrno, "int set_errno(int e)", ffi.Leaf); err != nil {
		t.Fatal(err)
	}
	if err := lib.Bind(&setErrnoLL, "long long set_errno_ll(int e, long long v)", ffi.Leaf); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				e := []syscall.Errno{0, syscall.ENOENT, syscall.EBADF}[(g+i)%3]
				r, err := setErrno(int32(e))
				v, errLL := setErrnoLL(int32(e), int64(i)<<33)
				if r != -int32(e) || v != int64(i)<<33 || (e == 0) != (err == nil) || (e == 0) != (errLL == nil) ||
					(e != 0 && (!errors.Is(err, e) || !errors.Is(errLL, e))) {
					t.Errorf("errno %d: set_errno = %d, %v; set_errno_ll = %d, %v", e, r, err, v, errLL)
					return
				}
			}
		}()
	}
	wg.Wait()
}
