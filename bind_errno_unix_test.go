//go:build !windows

package ffi_test

import (
	"errors"
	"syscall"
	"testing"

	"github.com/seed5ca82032/ffi"
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
