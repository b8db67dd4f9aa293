package ffi

import (
	"fmt"
	"runtime"
	"sync"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// C memory and strings.
//
// Malloc, Free and CString use the C library's own malloc and free, found
// at run time in the running program (dlsym(RTLD_DEFAULT, "malloc")), so
// memory from Malloc may be freed by C code with free(3), and memory C
// returns from malloc may be released with Free. No cgo is involved.
//
// Passing a Go []byte where C expects a char pointer passes the address of
// its first element: C sees exactly the bytes of the slice, with no NUL
// added. A string passed for a char pointer, by contrast, is copied into a
// NUL-terminated buffer that lives for the call only. Memory that C keeps
// after the call (an error buffer, a stream buffer given to setvbuf) must be
// C memory: use Malloc or CString for it.

// libcMem holds the addresses of malloc and free.
var libcMem struct {
	once         sync.Once
	malloc, free uintptr
	err          error
}

// cMemFuncs returns the addresses of malloc and free, looking them up on
// first use.
func cMemFuncs() (malloc, free uintptr) {
	m := &libcMem
	m.once.Do(func() {
		if !downcall.Supported {
			m.err = errfmt.Errorf("calling C is not implemented on this platform yet")
			return
		}
		// The program's own symbols on Unix; on Windows the program module
		// exports nothing, and msvcrt.dll is the C library MinGW code uses.
		lib := ""
		if runtime.GOOS == "windows" {
			lib = "msvcrt.dll"
		}
		h, err := downcall.Dlopen(lib, downcall.RTLD_NOW)
		if err != nil {
			m.err = err
			return
		}
		if m.malloc, err = downcall.Dlsym(h, "malloc"); err != nil {
			m.err = err
			return
		}
		m.free, m.err = downcall.Dlsym(h, "free")
	})
	if m.err != nil {
		panic(fmt.Sprintf("ffi: C malloc/free not available: %v", m.err))
	}
	return m.malloc, m.free
}

// callC1 calls the C function fn with one pointer-sized argument and
// returns its integer result.
func callC1(fn uintptr, arg uintptr) uintptr {
	var f downcall.Frame
	f.Fn = fn
	f.GPR[0] = uint64(arg)
	downcall.Call(&f)
	return uintptr(f.RetGPR[0])
}

// Malloc allocates n bytes of C memory with the C library's malloc
// (msvcrt.dll's on Windows). The memory is not initialized and is not
// managed by the Go garbage collector: release it with Free (or C's
// free). Like cgo's C.malloc, Malloc(0) allocates at least one byte, and
// Malloc panics if C is out of memory, so the result is never nil.
func Malloc(n uintptr) unsafe.Pointer {
	malloc, _ := cMemFuncs()
	if n == 0 {
		n = 1
	}
	p := callC1(malloc, n)
	if p == 0 {
		panic(fmt.Sprintf("ffi: C malloc(%d) failed: out of memory", n))
	}
	return cPointer(p)
}

// Free releases C memory allocated by Malloc, CString or C's malloc. Free(nil)
// does nothing.
func Free(p unsafe.Pointer) {
	if p == nil {
		return
	}
	_, free := cMemFuncs()
	callC1(free, uintptr(p))
}

// CString copies s into C memory from Malloc, with a terminating NUL, and
// returns its address. The caller must Free it. A NUL byte inside s ends
// the string as C reads it.
func CString(s string) unsafe.Pointer {
	p := Malloc(uintptr(len(s)) + 1)
	b := unsafe.Slice((*byte)(p), len(s)+1)
	copy(b, s)
	b[len(s)] = 0
	return p
}

// GoString copies the NUL-terminated C string at p into a Go string; nil
// gives "".
func GoString(p unsafe.Pointer) string {
	s := downcall.GoString(uintptr(p))
	runtime.KeepAlive(p) // in case p is Go memory
	return s
}

// GoStringN copies the n bytes at p into a Go string, NUL bytes included.
// n == 0 gives "" (p may then be nil); a negative n panics.
func GoStringN(p unsafe.Pointer, n int) string {
	checkLen("GoStringN", p, n)
	if n == 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(p), n))
}

// GoBytes copies the n bytes at p into a new Go byte slice. n == 0 gives an
// empty, non-nil slice (p may then be nil); a negative n panics.
func GoBytes(p unsafe.Pointer, n int) []byte {
	checkLen("GoBytes", p, n)
	b := make([]byte, n)
	if n > 0 {
		copy(b, unsafe.Slice((*byte)(p), n))
	}
	return b
}

func checkLen(fn string, p unsafe.Pointer, n int) {
	if n < 0 {
		panic(fmt.Sprintf("ffi: %s: negative length %d", fn, n))
	}
	if n > 0 && p == nil {
		panic(fmt.Sprintf("ffi: %s: nil pointer with length %d", fn, n))
	}
}

// cPointer converts the address of C memory to an unsafe.Pointer. The
// memory is not Go memory, so the garbage collector ignores the pointer;
// the conversion through memory keeps vet's unsafeptr check, which is
// meant for Go memory, quiet.
func cPointer(addr uintptr) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&addr))
}
