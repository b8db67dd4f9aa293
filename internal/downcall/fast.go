package downcall

import (
	"runtime"
	"unsafe"
)

// ArgOp places one argument of a typed fast path: a Go scalar, pointer or
// string whose C value goes in one argument register.
type ArgOp struct {
	// Reg is the register: 0..5 the integer argument registers (Frame.GPR),
	// 6..13 the vector registers xmm0..xmm7 (Frame.FPR[Reg-6]).
	Reg uint8
	// Shift is 64 minus the C value's width in bits: the low bits of the Go
	// value are the C value, extended to 64 bits by a shift pair.
	Shift  uint8
	Signed bool
	// String: the Go value is a string, passed as a pointer to a
	// NUL-terminated copy that lives for the call.
	String bool
}

// ResultOp reads the result of a typed fast path.
type ResultOp struct {
	FPR    bool  // xmm0 rather than rax
	Shift  uint8 // as in ArgOp: the C result's low bits are extended
	Signed bool
	// String: a C char pointer returned as a Go string (copied; NULL is "").
	String bool
}

// Fast is a prepared call of one C function with scalar arguments in
// registers only (no stack arguments, no aggregate, not variadic).
type Fast struct {
	Fn   uintptr
	Args []ArgOp
	Res  ResultOp
}

//go:generate go run gen.go

// SetFast stores into *fnPtr a Go func that calls c without reflection or
// allocation (strings excepted), if fnPtr is a pointer to one of the func
// types with a generated fast path (zfast.go); otherwise it returns false.
// The caller has checked that the Go func type matches c.
func SetFast(fnPtr any, c *Fast) bool {
	return setFast(fnPtr, c)
}

// regs returns the Frame's argument registers as one array: GPR then FPR.
func regs(f *Frame) *[14]uint64 {
	return (*[14]uint64)(unsafe.Pointer(&f.GPR))
}

// word returns the register image of the argument at v as op describes.
// A string is copied to a NUL-terminated buffer, kept reachable in *keep
// for the call.
func word[T any](v *T, op *ArgOp, keep *unsafe.Pointer) uint64 {
	if op.String {
		return stringWord(unsafe.Pointer(v), keep)
	}
	var bits uint64
	switch unsafe.Sizeof(*v) {
	case 1:
		bits = uint64(*(*uint8)(unsafe.Pointer(v)))
	case 2:
		bits = uint64(*(*uint16)(unsafe.Pointer(v)))
	case 4:
		bits = uint64(*(*uint32)(unsafe.Pointer(v)))
	default:
		bits = *(*uint64)(unsafe.Pointer(v))
	}
	return extend(bits, op.Shift, op.Signed)
}

func extend(w uint64, sh uint8, signed bool) uint64 {
	w <<= sh
	if signed {
		return uint64(int64(w) >> sh)
	}
	return w >> sh
}

// stringWord copies the Go string at v to a new NUL-terminated buffer,
// keeps the buffer in *keep and returns its address. Not inlined: it is
// the rare branch of every fast path.
//
//go:noinline
func stringWord(v unsafe.Pointer, keep *unsafe.Pointer) uint64 {
	s := *(*string)(v)
	b := make([]byte, len(s)+1)
	copy(b, s)
	*keep = unsafe.Pointer(&b[0])
	return uint64(uintptr(*keep))
}

// GoString copies the NUL-terminated C string at p (0 gives "").
//
//go:noinline
func GoString(p uintptr) string {
	if p == 0 {
		return ""
	}
	base := *(*unsafe.Pointer)(unsafe.Pointer(&p))
	n := 0
	for *(*byte)(unsafe.Add(base, n)) != 0 {
		n++
	}
	return string(unsafe.Slice((*byte)(base), n))
}

// result returns the C result in f as a Go value of type R.
func result[R any](f *Frame, op *ResultOp) R {
	if op.String {
		var s R
		*(*string)(unsafe.Pointer(&s)) = GoString(uintptr(f.RetGPR[0]))
		return s
	}
	w := f.RetGPR[0]
	if op.FPR {
		w = f.RetFPR[0]
	}
	w = extend(w, op.Shift, op.Signed)
	return *(*R)(unsafe.Pointer(&w))
}

// The generic bodies of the fast paths, one per arity, with and without a
// result. Each reads the C function and the placement from c; the func
// types themselves come from the generated switch in zfast.go.

func fast0[R any](c *Fast) func() R {
	return func() R {
		var f Frame
		f.Fn = c.Fn
		CallLocal(&f)
		return result[R](&f, &c.Res)
	}
}

func fast0v(c *Fast) func() {
	return func() {
		var f Frame
		f.Fn = c.Fn
		CallLocal(&f)
	}
}

func fast1[A, R any](c *Fast) func(A) R {
	return func(a A) R {
		var f Frame
		var keep [1]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a, &c.Args[0], &keep[0])
		CallLocal(&f)
		runtime.KeepAlive(a)
		runtime.KeepAlive(keep)
		return result[R](&f, &c.Res)
	}
}

func fast1v[A any](c *Fast) func(A) {
	return func(a A) {
		var f Frame
		var keep [1]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a, &c.Args[0], &keep[0])
		CallLocal(&f)
		runtime.KeepAlive(a)
		runtime.KeepAlive(keep)
	}
}

func fast2[A, B, R any](c *Fast) func(A, B) R {
	return func(a A, b B) R {
		var f Frame
		var keep [2]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a, &c.Args[0], &keep[0])
		r[c.Args[1].Reg] = word(&b, &c.Args[1], &keep[1])
		CallLocal(&f)
		runtime.KeepAlive(a)
		runtime.KeepAlive(b)
		runtime.KeepAlive(keep)
		return result[R](&f, &c.Res)
	}
}

func fast2v[A, B any](c *Fast) func(A, B) {
	return func(a A, b B) {
		var f Frame
		var keep [2]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a, &c.Args[0], &keep[0])
		r[c.Args[1].Reg] = word(&b, &c.Args[1], &keep[1])
		CallLocal(&f)
		runtime.KeepAlive(a)
		runtime.KeepAlive(b)
		runtime.KeepAlive(keep)
	}
}

func fast3[A, B, C, R any](c *Fast) func(A, B, C) R {
	return func(a A, b B, x C) R {
		var f Frame
		var keep [3]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a, &c.Args[0], &keep[0])
		r[c.Args[1].Reg] = word(&b, &c.Args[1], &keep[1])
		r[c.Args[2].Reg] = word(&x, &c.Args[2], &keep[2])
		CallLocal(&f)
		runtime.KeepAlive(a)
		runtime.KeepAlive(b)
		runtime.KeepAlive(x)
		runtime.KeepAlive(keep)
		return result[R](&f, &c.Res)
	}
}

func fast3v[A, B, C any](c *Fast) func(A, B, C) {
	return func(a A, b B, x C) {
		var f Frame
		var keep [3]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a, &c.Args[0], &keep[0])
		r[c.Args[1].Reg] = word(&b, &c.Args[1], &keep[1])
		r[c.Args[2].Reg] = word(&x, &c.Args[2], &keep[2])
		CallLocal(&f)
		runtime.KeepAlive(a)
		runtime.KeepAlive(b)
		runtime.KeepAlive(x)
		runtime.KeepAlive(keep)
	}
}

func fast4[A, R any](c *Fast) func(A, A, A, A) R {
	return func(a0, a1, a2, a3 A) R {
		var f Frame
		var keep [4]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a0, &c.Args[0], &keep[0])
		r[c.Args[1].Reg] = word(&a1, &c.Args[1], &keep[1])
		r[c.Args[2].Reg] = word(&a2, &c.Args[2], &keep[2])
		r[c.Args[3].Reg] = word(&a3, &c.Args[3], &keep[3])
		CallLocal(&f)
		runtime.KeepAlive(a0)
		runtime.KeepAlive(a1)
		runtime.KeepAlive(a2)
		runtime.KeepAlive(a3)
		runtime.KeepAlive(keep)
		return result[R](&f, &c.Res)
	}
}

func fast4v[A any](c *Fast) func(A, A, A, A) {
	return func(a0, a1, a2, a3 A) {
		var f Frame
		var keep [4]unsafe.Pointer
		f.Fn = c.Fn
		r := regs(&f)
		r[c.Args[0].Reg] = word(&a0, &c.Args[0], &keep[0])
		r[c.Args[1].Reg] = word(&a1, &c.Args[1], &keep[1])
		r[c.Args[2].Reg] = word(&a2, &c.Args[2], &keep[2])
		r[c.Args[3].Reg] = word(&a3, &c.Args[3], &keep[3])
		CallLocal(&f)
		runtime.KeepAlive(a0)
		runtime.KeepAlive(a1)
		runtime.KeepAlive(a2)
		runtime.KeepAlive(a3)
		runtime.KeepAlive(keep)
	}
}
