package ffi

import (
	"math"
	"reflect"
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
)

const (
	locGPR   = uint8(abi.GPR)
	locFPR   = uint8(abi.FPR)
	locStack = uint8(abi.Stack)
)

// binding is what a slot runs: a Go func matched against the callback's C
// signature and placed by its calling-convention plan. It is immutable;
// Set replaces it as a whole.
type binding struct {
	cb     *Callback
	fn     any // the user's func: referenced here so it stays alive while bound
	sig    *convert.Sig
	plan   *abi.Plan
	invoke func(b *binding, f *cframe)

	// fast path
	erased erasedFunc
	args   []argOp
	res    *convert.Value

	// reflect fallback
	rfn reflect.Value
}

func (b *binding) fnName() string {
	if f := runtime.FuncForPC(reflect.ValueOf(b.fn).Pointer()); f != nil {
		return f.Name()
	}
	return "?"
}

// argOp moves one scalar argument from the frame into an argument register
// of the erased Go call.
type argOp struct {
	loc   uint8
	idx   int
	float bool // Go float32/float64: goes to the float registers
	dst   int  // register number among ints or floats
	v     *convert.Value
}

// erasedFunc is the shape every fast-path Go func is called through. Go's
// register ABI (ABIInternal on amd64 and arm64) assigns integer-class and
// float-class arguments to two register sequences independently, in order,
// so a func with at most 9 integer-class and 15 float-class scalar
// parameters and at most one scalar result receives exactly the registers
// that a call of this type loads: the extra arguments are ignored by the
// callee, and the result is in the first integer or the first float result
// register. This is checked at start-up against real funcs (fastPathWorks);
// if the check fails every callback uses reflection instead.
type erasedFunc func(i0, i1, i2, i3, i4, i5, i6, i7, i8 uint64,
	f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14 float64) (uint64, float64)

const (
	maxFastInts   = 9
	maxFastFloats = 15
)

// eraseFunc reinterprets the func value fn as an erasedFunc.
func eraseFunc(fn any) erasedFunc {
	var e erasedFunc
	*(*unsafe.Pointer)(unsafe.Pointer(&e)) = (*[2]unsafe.Pointer)(unsafe.Pointer(&fn))[1]
	return e
}

// newBinding prepares fn (already matched as sig) to run for plan.
func newBinding(cb *Callback, fn any, sig *convert.Sig, plan *abi.Plan) *binding {
	b := &binding{cb: cb, fn: fn, sig: sig, plan: plan}
	if b.prepareFast() {
		b.invoke = invokeFast
	} else {
		b.rfn = reflect.ValueOf(fn)
		b.invoke = invokeReflect
	}
	return b
}

// prepareFast builds the argument moves of the erased call, or reports that
// the signature needs the reflection path.
func (b *binding) prepareFast() bool {
	if !fastPathOK || b.plan.SRet {
		return false
	}
	var ni, nf int
	for i := range b.sig.Params {
		v := &b.sig.Params[i]
		if !scalar(v) || len(b.plan.Args[i].Parts) != 1 || b.plan.Args[i].ByRef {
			return false
		}
		p := b.plan.Args[i].Parts[0]
		op := argOp{loc: uint8(p.Loc), idx: p.Index, float: v.GoFloat, v: v}
		if v.GoFloat {
			op.dst = nf
			nf++
		} else {
			op.dst = ni
			ni++
		}
		b.args = append(b.args, op)
	}
	if ni > maxFastInts || nf > maxFastFloats {
		return false
	}
	if r := b.sig.Result; r != nil {
		if !scalar(r) || len(b.plan.Result.Parts) != 1 {
			return false
		}
		b.res = r
	}
	b.erased = eraseFunc(b.fn)
	return true
}

func scalar(v *convert.Value) bool {
	switch v.Kind {
	case convert.Int, convert.Bool, convert.Float, convert.Double:
		return true
	}
	return false
}

// invokeFast is the per-call path without reflection or allocation.
func invokeFast(b *binding, f *cframe) {
	var ir [maxFastInts]uint64
	var fr [maxFastFloats]float64
	for i := range b.args {
		a := &b.args[i]
		raw := f.word(a.loc, a.idx)
		if a.float {
			fr[a.dst] = math.Float64frombits(a.v.ToGo(raw))
		} else {
			ir[a.dst] = a.v.ToGo(raw)
		}
	}
	r, x := b.erased(ir[0], ir[1], ir[2], ir[3], ir[4], ir[5], ir[6], ir[7], ir[8],
		fr[0], fr[1], fr[2], fr[3], fr[4], fr[5], fr[6], fr[7], fr[8], fr[9], fr[10], fr[11], fr[12], fr[13], fr[14])
	if b.res == nil {
		return
	}
	if b.res.GoFloat {
		f.retFPR[0] = b.res.ToC(math.Float64bits(x))
	} else {
		f.retGPR[0] = b.res.ToC(r)
	}
}

// invokeReflect is the general path: any signature the plan can place,
// structs and unions by value included.
func invokeReflect(b *binding, f *cframe) {
	in := make([]reflect.Value, len(b.sig.Params))
	for i := range b.sig.Params {
		v := &b.sig.Params[i]
		p := reflect.New(v.Go)
		readValue(f, &b.plan.Args[i], v, p.UnsafePointer())
		in[i] = p.Elem()
	}
	out := b.rfn.Call(in)
	if b.sig.Result == nil {
		return
	}
	v := b.sig.Result
	p := reflect.New(v.Go)
	p.Elem().Set(out[0])
	writeResult(f, b.plan, v, p.UnsafePointer())
}

// readValue stores into dst (a Go value of type v.Go) the argument placed
// by val.
func readValue(f *cframe, val *abi.Value, v *convert.Value, dst unsafe.Pointer) {
	if v.Kind != convert.Memory {
		p := val.Parts[0]
		raw := f.word(uint8(p.Loc), p.Index)
		if val.ByRef {
			raw = *(*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&raw)))
		}
		storeBits(dst, v.ToGo(raw), int(v.Go.Size()))
		return
	}
	if val.ByRef {
		p := val.Parts[0]
		src := *(*unsafe.Pointer)(f.bytes(uint8(p.Loc), p.Index))
		copyBytes(dst, src, v.Size)
		return
	}
	for _, p := range val.Parts {
		copyBytes(unsafe.Add(dst, p.Offset), f.bytes(uint8(p.Loc), p.Index), p.Size)
	}
}

// writeResult places the Go result at src (a value of type v.Go) into the
// result registers, or into the caller's buffer for a memory result.
func writeResult(f *cframe, plan *abi.Plan, v *convert.Value, src unsafe.Pointer) {
	if plan.SRet {
		buf := *(*unsafe.Pointer)(f.bytes(uint8(plan.SRetPart.Loc), plan.SRetPart.Index))
		copyBytes(buf, src, v.Size)
		f.retGPR[0] = uint64(uintptr(buf))
		return
	}
	if v.Kind != convert.Memory {
		bits := v.ToC(loadBits(src, int(v.Go.Size())))
		if plan.Result.Parts[0].Loc == abi.FPR {
			f.retFPR[0] = bits
		} else {
			f.retGPR[0] = bits
		}
		return
	}
	for _, p := range plan.Result.Parts {
		var w uint64
		copyBytes(unsafe.Pointer(&w), unsafe.Add(src, p.Offset), p.Size)
		if p.Loc == abi.FPR {
			f.retFPR[p.Index] = w
		} else {
			f.retGPR[p.Index] = w
		}
	}
}

func copyBytes(dst, src unsafe.Pointer, n int) {
	copy(unsafe.Slice((*byte)(dst), n), unsafe.Slice((*byte)(src), n))
}

// storeBits writes the low size bytes of bits to dst (little-endian).
func storeBits(dst unsafe.Pointer, bits uint64, size int) {
	copyBytes(dst, unsafe.Pointer(&bits), size)
}

// loadBits reads size bytes at src as the low bytes of a uint64.
func loadBits(src unsafe.Pointer, size int) uint64 {
	var w uint64
	copyBytes(unsafe.Pointer(&w), src, size)
	return w
}
