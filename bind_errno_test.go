package ffi_test

import (
	"errors"
	"strings"
	"syscall"
	"testing"
	"unsafe"

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

// TestBindCallbackTypeChecked: a *Callback passed for a function pointer
// parameter of another C type is refused at the call with an error naming
// both types; a plain C pointer (uintptr) is passed as is.
func TestBindCallbackTypeChecked(t *testing.T) {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		t.Fatal(err)
	}
	var qsort func(base unsafe.Pointer, n, size uintptr, cmp *ffi.Callback)
	if err := libc.Bind(&qsort, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))"); err != nil {
		t.Fatal(err)
	}
	wrong, err := ffi.NewCallback("void (*)(int)", func(int32) {})
	if err != nil {
		t.Fatal(err)
	}
	defer wrong.Free()
	data := []int32{3, 1, 2}
	func() {
		defer func() {
			err, _ := recover().(error)
			if err == nil || !strings.Contains(err.Error(), "void (*)(int)") || !strings.Contains(err.Error(), "int (*)(const void *, const void *)") {
				t.Errorf("qsort with a callback of the wrong type: panic %v", err)
			}
		}()
		qsort(unsafe.Pointer(&data[0]), 3, 4, wrong)
	}()
	right, err := ffi.NewCallback("int (*)(const int *, const int *)", func(a, b *int32) int32 { return *a - *b })
	if err != nil {
		t.Fatal(err)
	}
	defer right.Free()
	qsort(unsafe.Pointer(&data[0]), 3, 4, right)
	var qsortPtr func(base unsafe.Pointer, n, size uintptr, cmp uintptr)
	if err := libc.Bind(&qsortPtr, "void qsort(void *, size_t, size_t, int (*)(const void *, const void *))"); err != nil {
		t.Fatal(err)
	}
	data = append(data, 0)
	qsortPtr(unsafe.Pointer(&data[0]), 4, 4, right.Ptr())
	if data[0] != 0 || data[1] != 1 || data[2] != 2 || data[3] != 3 {
		t.Errorf("sorted = %v", data)
	}
}

// TestBindVarargsRefused: variadic arguments with no C promotion panic
// with an error naming the argument's position and Go type.
func TestBindVarargsRefused(t *testing.T) {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		t.Fatal(err)
	}
	var snprintf func(buf []byte, n uintptr, format string, args ...any) int32
	if err := libc.Bind(&snprintf, "int snprintf(char *, size_t, const char *, ...)"); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 16)
	for _, tt := range []struct {
		arg  any
		want string
	}{
		{struct{ A int }{1}, "struct { A int }"},
		{[]string{"a"}, "[]string"},
		{map[int]int{}, "map[int]int"},
		{make(chan int), "chan int"},
		{complex(1, 2), "complex128"},
	} {
		func() {
			defer func() {
				err, _ := recover().(error)
				if err == nil || !strings.Contains(err.Error(), "variadic argument 2") || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%T as a variadic argument: panic %v", tt.arg, err)
				}
			}()
			snprintf(buf, 16, "%d %p", 1, tt.arg)
		}()
	}
	if n := snprintf(buf, 16, "%d-%s", 42, "go"); n != 5 || string(buf[:5]) != "42-go" {
		t.Errorf("snprintf = %d, %q", n, buf[:5])
	}
}
