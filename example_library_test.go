//go:build !windows

package ffi_test

import (
	"fmt"
	"log"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

func ExampleOpen() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()

	// Sym gives a C function's address; Bind with an address calls it.
	addr, err := libc.Sym("strlen")
	if err != nil {
		log.Fatal(err)
	}
	var strlen func(s string) uintptr
	if err := ffi.Bind(&strlen, addr, "size_t (*)(const char *)"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strlen("hello"))

	_, err = libc.Sym("no_such_function")
	fmt.Println(err != nil)
	// Output:
	// 5
	// true
}

func ExampleLibrary_Var() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()

	// extern int optind; the index of the next argument getopt(3) reads.
	p, err := libc.Var("optind")
	if err != nil {
		log.Fatal(err)
	}
	optind := (*int32)(p)
	fmt.Println("optind =", *optind)
	// Output: optind = 1
}

// Declare once with Cdef, then bind by function name.
func ExampleLibrary_Bind_byName() {
	if err := ffi.Cdef(`
		size_t strspn(const char *s, const char *accept);
		int atoi(const char *nptr);`); err != nil {
		log.Fatal(err)
	}
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	var strspn func(s, accept string) uintptr
	var atoi func(s string) int32
	if err := libc.Bind(&strspn, "strspn"); err != nil {
		log.Fatal(err)
	}
	if err := libc.Bind(&atoi, "atoi"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(strspn("2026-12-01", "0123456789"), atoi("  42 apples"))
	// Output: 4 42
}

// A library opened in a scope binds with that scope's declarations.
func ExampleScope_Open() {
	s := ffi.NewScope()
	if err := s.Cdef(`
		typedef struct { long quot; long rem; } ldiv_t;
		ldiv_t ldiv(long numer, long denom);`); err != nil {
		log.Fatal(err)
	}
	libc, err := s.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	type ldivT struct{ Quot, Rem int64 } // the C struct, field by field
	var ldiv func(numer, denom int64) ldivT
	if err := libc.Bind(&ldiv, "ldiv"); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", ldiv(47, 5))
	// Output: {Quot:9 Rem:2}
}

// Structs by value: a Go struct with the C struct's layout, in both
// directions.
func ExampleBind_structByValue() {
	s := ffi.NewScope()
	if err := s.Cdef(`
		struct tm_ish { int sec, min, hour; };
		typedef struct { int quot; int rem; } div_t;`); err != nil {
		log.Fatal(err)
	}
	type divT struct{ Quot, Rem int32 }

	// A C function that returns a struct by value: libc's div.
	libc, err := s.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	var div func(numer, denom int32) divT
	if err := libc.Bind(&div, "div_t div(int numer, int denom)"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(div(-7, 2))

	// A Go callback that takes a struct by value, called through its C
	// pointer.
	type hms struct{ Sec, Min, Hour int32 }
	cb, err := s.NewCallback("int (*)(struct tm_ish)", func(t hms) int32 { return t.Hour*3600 + t.Min*60 + t.Sec })
	if err != nil {
		log.Fatal(err)
	}
	defer cb.Free()
	var seconds func(hms) int32
	if err := s.Bind(&seconds, cb.Ptr(), "int (*)(struct tm_ish)"); err != nil {
		log.Fatal(err)
	}
	fmt.Println(seconds(hms{Sec: 5, Min: 4, Hour: 1}))
	// Output:
	// {-3 -1}
	// 3845
}

func ExampleCString() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	var strdup func(s unsafe.Pointer) unsafe.Pointer
	var toupper func(c int32) int32
	if err := libc.Bind(&strdup, "char *strdup(const char *)"); err != nil {
		log.Fatal(err)
	}
	if err := libc.Bind(&toupper, "int toupper(int)"); err != nil {
		log.Fatal(err)
	}

	s := ffi.CString("hello") // C memory: C may keep it
	defer ffi.Free(s)
	dup := strdup(s) // allocated by C's malloc, released by ffi.Free
	defer ffi.Free(dup)
	b := unsafe.Slice((*byte)(dup), 5)
	b[0] = byte(toupper(int32(b[0])))
	fmt.Println(ffi.GoString(dup), ffi.GoString(s), ffi.GoStringN(dup, 2), ffi.GoBytes(dup, 3))
	// Output: Hello hello He [72 101 108]
}

func ExampleMalloc() {
	libc, err := ffi.Open("libc.so.6")
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()
	var snprintf func(buf unsafe.Pointer, size uintptr, format string, args ...any) int32
	if err := libc.Bind(&snprintf, "int snprintf(char *, size_t, const char *, ...)"); err != nil {
		log.Fatal(err)
	}
	const size = 32
	buf := ffi.Malloc(size) // C memory, not moved or collected by Go
	defer ffi.Free(buf)
	n := snprintf(buf, size, "%d-%s", 7, "up")
	fmt.Println(n, ffi.GoString(buf))
	// Output: 4 7-up
}
