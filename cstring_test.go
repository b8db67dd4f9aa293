package ffi

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// mustPanic runs f and returns the text of its panic; it fails the test if
// f returns normally.
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("no panic")
		}
		if e, ok := r.(error); ok {
			msg = e.Error()
		} else {
			msg, _ = r.(string)
		}
	}()
	f()
	return ""
}

func openLibc(t *testing.T) *Library {
	t.Helper()
	libc, err := Open(hostLibc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { libc.Close() })
	return libc
}

// TestCStringsWithLibc moves strings and bytes between Go and C memory
// through libc's own string functions, and frees memory C allocated.
func TestCStringsWithLibc(t *testing.T) {
	libc := openLibc(t)
	var strlen func(unsafe.Pointer) uintptr
	var strdup func(unsafe.Pointer) unsafe.Pointer
	var memcpy func(dst unsafe.Pointer, src []byte, n uintptr) unsafe.Pointer
	var memcmp func(a, b unsafe.Pointer, n uintptr) int32
	mustBind(t, libc, &strlen, "size_t strlen(const char *)")
	strdupName := "strdup"
	if runtime.GOOS == "windows" {
		strdupName = "_strdup" // msvcrt's name
	}
	mustBind(t, libc, &strdup, "char *"+strdupName+"(const char *)")
	mustBind(t, libc, &memcpy, "void *memcpy(void *, const void *, size_t)")
	mustBind(t, libc, &memcmp, "int memcmp(const void *, const void *, size_t)")

	for _, s := range []string{"", "a", "hello, C", strings.Repeat("long ", 1000)} {
		cs := CString(s)
		if n := strlen(cs); n != uintptr(len(s)) {
			t.Errorf("strlen(CString(%.10q)) = %d, want %d", s, n, len(s))
		}
		dup := strdup(cs) // malloc'd by C, released by Free
		Free(cs)
		if got := GoString(dup); got != s {
			t.Errorf("GoString(strdup(%.10q)) = %.10q", s, got)
		}
		Free(dup)
	}

	// CString stops where C stops: at the first NUL.
	cs := CString("ab\x00cd")
	if got, n := GoString(cs), strlen(cs); got != "ab" || n != 2 {
		t.Errorf("CString with a NUL inside: GoString %q, strlen %d", got, n)
	}
	if got := GoStringN(cs, 5); got != "ab\x00cd" {
		t.Errorf("GoStringN(cs, 5) = %q, want the NUL kept", got)
	}
	Free(cs)

	src := []byte("\x00binary\xffdata\x00")
	buf := Malloc(uintptr(len(src)))
	memcpy(buf, src, uintptr(len(src)))
	got := GoBytes(buf, len(src))
	if !bytes.Equal(got, src) {
		t.Errorf("GoBytes after memcpy = %q, want %q", got, src)
	}
	got[0] = 'X' // a copy: the C memory is unchanged
	if *(*byte)(buf) != 0 {
		t.Error("GoBytes shares memory with C")
	}
	twin := CString(string(src))
	if memcmp(buf, twin, uintptr(len(src))) != 0 {
		t.Error("memcmp: CString and Malloc+memcpy differ")
	}
	Free(twin)
	Free(buf)

	if GoString(nil) != "" || GoStringN(nil, 0) != "" || len(GoBytes(nil, 0)) != 0 || GoBytes(nil, 0) == nil {
		t.Error("nil pointers with zero lengths: want empty results")
	}
	Free(nil) // allowed, like free(NULL)
	if p := Malloc(0); p == nil {
		t.Error("Malloc(0) = nil")
	} else {
		Free(p)
	}
	for _, tt := range []struct {
		f    func()
		want string
	}{
		{func() { GoStringN(nil, -1) }, "ffi: GoStringN: negative length -1"},
		{func() { GoBytes(nil, -2) }, "ffi: GoBytes: negative length -2"},
		{func() { GoBytes(nil, 3) }, "ffi: GoBytes: nil pointer with length 3"},
		{func() { Malloc(^uintptr(0) >> 1) }, "ffi: C malloc(9223372036854775807) failed: out of memory"},
	} {
		if msg := mustPanic(t, tt.f); msg != tt.want {
			t.Errorf("panic %q, want %q", msg, tt.want)
		}
	}
}

// TestMallocBufferKeptByC gives stdio a Malloc'd buffer with setvbuf: C
// keeps writing into it after the call returned, across garbage
// collections.
func TestMallocBufferKeptByC(t *testing.T) {
	libc := openLibc(t)
	var fopen func(path, mode string) unsafe.Pointer
	var setvbuf func(f, buf unsafe.Pointer, mode int32, size uintptr) int32
	var fputs func(s string, f unsafe.Pointer) int32
	var fclose func(f unsafe.Pointer) int32
	mustBind(t, libc, &fopen, "void *fopen(const char *, const char *)")
	mustBind(t, libc, &setvbuf, "int setvbuf(void *stream, char *buf, int mode, size_t size)")
	mustBind(t, libc, &fputs, "int fputs(const char *, void *)")
	mustBind(t, libc, &fclose, "int fclose(void *)")

	// Not t.TempDir: under wine 8, its cleanup (os.RemoveAll) fails with
	// "Invalid function"; the file and directory are removed one by one.
	dir, err := os.MkdirTemp("", "ffi-setvbuf")
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := os.Remove(dir); err != nil {
			t.Error(err)
		}
	}()
	path := filepath.Join(dir, "out.txt")
	f := fopen(path, "wb") // binary: no \r added on Windows
	if f == nil {
		t.Fatal("fopen failed")
	}
	const size = 1 << 12
	buf := Malloc(size)
	const _IOFBF = 0
	if rc := setvbuf(f, buf, _IOFBF, size); rc != 0 {
		t.Fatalf("setvbuf = %d", rc)
	}
	fputs("first line\n", f)
	runtime.GC()
	fputs("second line\n", f)
	if got := GoStringN(buf, len("first line\nsecond line\n")); got != "first line\nsecond line\n" {
		t.Errorf("stdio buffer holds %q", got)
	}
	if data, _ := os.ReadFile(path); len(data) != 0 {
		t.Errorf("file written before the flush: %q", data)
	}
	fclose(f)
	Free(buf)
	if data, err := os.ReadFile(path); err != nil || string(data) != "first line\nsecond line\n" {
		t.Errorf("file = %q, %v", data, err)
	}
	if err := os.Remove(path); err != nil { // C closed it
		t.Error(err)
	}
}

// TestErrorBufferKeptByC is the libcurl CURLOPT_ERRORBUFFER pattern: C
// keeps a pointer to a caller's buffer and writes a message into it during a
// later call.
func TestErrorBufferKeptByC(t *testing.T) {
	so := ctest.SharedLib(t, `
		#include <stdio.h>
		static char *errbuf;
		void set_error_buffer(char *buf) { errbuf = buf; }
		int perform(int x) {
			if (x >= 0) return 0;
			snprintf(errbuf, 64, "negative input %d", x);
			return 7;
		}`)
	lib, err := Open(so)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	var setErrorBuffer func(unsafe.Pointer)
	var perform func(int32) int32
	mustBind(t, lib, &setErrorBuffer, "void set_error_buffer(char *)")
	mustBind(t, lib, &perform, "int perform(int)")

	buf := Malloc(64)
	defer Free(buf)
	setErrorBuffer(buf)
	runtime.GC()
	if rc := perform(-3); rc != 7 || GoString(buf) != "negative input -3" {
		t.Errorf("perform(-3) = %d, error buffer %q", rc, GoString(buf))
	}
	setErrorBuffer(nil)
}
