package downcall

import "unsafe"

// ArgOp places one argument of a typed fast path: a Go scalar, pointer or
// string whose C value goes in one argument register.
type ArgOp struct {
	// Reg is the register: below FirstFPR an integer argument register
	// (Frame.GPR[Reg]), from FirstFPR on a vector register
	// (Frame.FPR[Reg-FirstFPR]). On amd64 0..5 are rdi..r9 and 6..13
	// xmm0..xmm7.
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
	// Leaf, when not nil, makes every call a leaf call (CallLeaf) of the C
	// function it names.
	Leaf *string
}

//go:generate go run gen.go

// SetFast stores into *fnPtr a Go func that calls c without reflection or
// allocation (strings excepted), if fnPtr is a pointer to one of the func
// types with a generated fast path (zfast.go); otherwise it returns false.
// The caller has checked that the Go func type matches c.
func SetFast(fnPtr any, c *Fast) bool {
	return setFast(fnPtr, c)
}

// FirstFPR is the ArgOp.Reg of the first vector register: the Frame's
// integer argument registers come first.
const FirstFPR = len(Frame{}.GPR)

// regs returns the Frame's argument registers as one array: GPR then FPR
// (adjacent in every Frame layout).
func regs(f *Frame) *[len(Frame{}.GPR) + len(Frame{}.FPR)]uint64 {
	return (*[len(Frame{}.GPR) + len(Frame{}.FPR)]uint64)(unsafe.Pointer(&f.GPR))
}

func extend(w uint64, sh uint8, signed bool) uint64 {
	sh &= 63 // always < 64; the mask spares the compiler's overflow checks
	w <<= sh
	if signed {
		return uint64(int64(w) >> sh)
	}
	return w >> sh
}

// cstring copies s to a new NUL-terminated buffer; the caller keeps the
// buffer alive for the call.
func cstring(s string) []byte {
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b
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

// resultWord returns the C result in f, extended as op says.
func resultWord(f *Frame, op *ResultOp) uint64 {
	w := f.RetGPR[0]
	if op.FPR {
		w = f.RetFPR[0]
	}
	return extend(w, op.Shift, op.Signed)
}

// argWord places the register image w of argument i, extended as the
// argument's ArgOp says.
func argWord(f *Frame, c *Fast, i int, w uint64) {
	op := &c.Args[i]
	regs(f)[op.Reg] = extend(w, op.Shift, op.Signed)
}

// b2w is the register image of a Go bool.
func b2w(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// w2p turns a register image into a pointer (C memory, or Go memory C was
// given).
func w2p(w uint64) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&w))
}
