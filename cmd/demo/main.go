// Command demo shows the library at work: libc's qsort sorting Go data with
// a Go comparator handed to C as a real function pointer, a callback
// retargeted under the same pointer, and the C layout of a declaration.
package main

import (
	"cmp"
	"fmt"
	"log"
	"math"
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi"
)

// libcName is the C library's file: msvcrt.dll on Windows.
func libcName() string {
	if runtime.GOOS == "windows" {
		return "msvcrt.dll"
	}
	return "libc.so.6"
}

func main() {
	log.SetFlags(0)
	libc, err := ffi.Open(libcName())
	if err != nil {
		log.Fatal(err)
	}
	defer libc.Close()

	var qsort func(base unsafe.Pointer, n, size uintptr, cmp *ffi.Callback)
	if err := libc.Bind(&qsort, "void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))"); err != nil {
		log.Fatal(err)
	}

	calls := 0
	ascending := func(a, b unsafe.Pointer) int32 {
		calls++
		return compareInt32(a, b)
	}
	cb, err := ffi.NewCallback("int (*)(const void *, const void *)", ascending)
	if err != nil {
		log.Fatal(err)
	}
	defer cb.Free()

	data := []int32{42, 7, math.MaxInt32, -3, 19, 0, math.MinInt32, 7, 1000, -250}
	qsort(unsafe.Pointer(&data[0]), uintptr(len(data)), 4, cb)
	fmt.Printf("qsort with a Go comparator at %#x: %v (%d calls from C)\n", cb.Ptr(), data, calls)

	// Same C function pointer, new Go func.
	if err := cb.Set(func(a, b unsafe.Pointer) int32 { return compareInt32(b, a) }); err != nil {
		log.Fatal(err)
	}
	qsort(unsafe.Pointer(&data[0]), uintptr(len(data)), 4, cb)
	fmt.Printf("after Set, same pointer %#x:        %v\n", cb.Ptr(), data)

	// A mismatched Go func is refused with an error naming the parameter.
	if err := cb.Set(func(a float64, b unsafe.Pointer) int32 { return 0 }); err != nil {
		fmt.Println("refused:", err)
	}

	// Threads that C creates run Go code: pthread_create with a Go start routine.
	var pthreadCreate func(th *uint64, attr unsafe.Pointer, start *ffi.Callback, arg uintptr) int32
	var pthreadJoin func(th uint64, ret unsafe.Pointer) int32
	if err := libc.Bind(&pthreadCreate, "int pthread_create(unsigned long *thread, const void *attr, void *(*start)(void *), void *arg)"); err != nil {
		log.Fatal(err)
	}
	if err := libc.Bind(&pthreadJoin, "int pthread_join(unsigned long thread, void **retval)"); err != nil {
		log.Fatal(err)
	}
	results := make(chan string, 4)
	start, err := ffi.NewCallback("void *(*)(void *)", func(arg uintptr) uintptr {
		results <- fmt.Sprintf("C thread %d ran Go code", arg)
		return 0
	})
	if err != nil {
		log.Fatal(err)
	}
	defer start.Free()
	threads := make([]uint64, 4)
	for i := range threads {
		if rc := pthreadCreate(&threads[i], nil, start, uintptr(i)); rc != 0 {
			log.Fatalf("pthread_create: %d", rc)
		}
	}
	for _, th := range threads {
		pthreadJoin(th, nil)
	}
	close(results)
	n := 0
	for r := range results {
		if n == 0 {
			fmt.Print(r)
		}
		n++
	}
	fmt.Printf(" (and %d more: threads created by pthread_create, unknown to Go)\n", n-1)

	// The C type model: layout of a declaration on this target.
	if err := ffi.Cdef(`
		struct sample {
			char     tag;
			double   when;
			unsigned channel : 4, muted : 1;
			float    gain[2];
		};`); err != nil {
		log.Fatal(err)
	}
	size, _ := ffi.Sizeof("struct sample")
	align, _ := ffi.Alignof("struct sample")
	fmt.Printf("struct sample: size %d, align %d;", size, align)
	for _, f := range []string{"tag", "when", "gain"} {
		off, _ := ffi.Offsetof("struct sample", f)
		fmt.Printf(" %s@%d", f, off)
	}
	fmt.Println()
}

// compareInt32 is a qsort comparator for C ints. It compares rather than
// subtracts: *a - *b overflows for values far apart (MinInt32 and 1) and
// gives the wrong sign.
func compareInt32(a, b unsafe.Pointer) int32 {
	return int32(cmp.Compare(*(*int32)(a), *(*int32)(b)))
}
