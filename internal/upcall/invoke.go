package upcall

import (
	"math"
	"reflect"
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/downcall"
)

// binding is what a slot runs: a Go func and the shape it was matched
// to. It is immutable; Set replaces it as a whole. The invoker is copied
// out of the shape so a call follows as few pointers as possible.
type binding struct {
	inv   func(b *binding, f *cframe) // the invoker for this shape
	fnv   unsafe.Pointer              // fast path: the func value of fn (callMoved, an erased func type, callGo)
	rfn   reflect.Value               // reflection path
	fn    any                         // the user's func: referenced here so it stays alive while bound
	slot  *Slot
	shape *shape
}

// shape is everything about a callback that depends only on its C
// signature and its Go func type: the match, the placement plan, the
// prepared moves and the movers of the fast path. Shapes are computed once and shared by
// every callback of the same signature and func type.
type shape struct {
	sig  *convert.Sig
	plan *abi.Plan
	fast bool
	inv  func(b *binding, f *cframe)

	// The general fast path (moves.go).
	moves   []move
	rmoves  []rmove
	sret    bool   // the result goes to the caller's buffer
	sretOff uint32 // frame offset of the buffer's address
	// moverIn and moverOut: the compiled movers of invokeMoved (mover.go),
	// 0 when the shape has none.
	moverIn, moverOut uintptr
	// The block of stack-assigned arguments and results (callgo.go): its
	// words, and the word where the results start.
	blockWords, resultsWord uint32
}

func (b *binding) fnName() string {
	if f := runtime.FuncForPC(reflect.ValueOf(b.fn).Pointer()); f != nil {
		return f.Name()
	}
	return "?"
}

// newShape prepares the per-call work for sig placed by plan.
func newShape(sig *convert.Sig, plan *abi.Plan) *shape {
	if sh, ok := prepareGeneral(sig, plan); ok {
		sh.sig, sh.plan, sh.fast = sig, plan, true
		return sh
	}
	return &shape{sig: sig, plan: plan, inv: invokeReflect}
}

// newBinding binds fn (matched as sh.sig) for slot s.
func newBinding(s *Slot, fn any, sh *shape) *binding {
	b := &binding{inv: sh.inv, fn: fn, slot: s, shape: sh}
	if sh.fast {
		b.fnv = funcValue(fn)
	} else {
		b.rfn = reflect.ValueOf(fn)
	}
	return b
}

// funcValue returns the func value (the closure pointer a Go call of it
// passes in the context register) that fn, an interface holding a func,
// holds.
func funcValue(fn any) unsafe.Pointer { return (*[2]unsafe.Pointer)(unsafe.Pointer(&fn))[1] }

// invoke runs the bound func for one call described by frame f.
func (b *binding) invoke(f *cframe) { b.inv(b, f) }

// boolBit is C's _Bool of a Go bool in the low byte of w: 1 if that byte
// is non-zero.
func boolBit(w uint64) uint64 { return uint64(uint8(w)|-uint8(w)) >> 7 }

// fb reinterprets register bits as a float64 (no conversion).
func fb(w uint64) float64 { return math.Float64frombits(w) }

// invokeReflect is the general path: any signature the plan can place,
// structs and unions by value included.
func invokeReflect(b *binding, f *cframe) {
	sig, plan := b.shape.sig, b.shape.plan
	in := make([]reflect.Value, len(sig.Params))
	for i := range sig.Params {
		v := &sig.Params[i]
		p := reflect.New(v.Go)
		if v.Kind == convert.String {
			p.Elem().SetString(downcall.GoString(*(*uintptr)(f.part(plan.Args[i].Parts[0]))))
		} else {
			readValue(f, &plan.Args[i], v, p.UnsafePointer())
		}
		in[i] = p.Elem()
	}
	out := b.rfn.Call(in)
	if sig.Result == nil {
		return
	}
	v := sig.Result
	p := reflect.New(v.Go)
	p.Elem().Set(out[0])
	writeResult(f, plan, v, p.UnsafePointer())
}

// readValue stores into dst (a Go value of type v.Go) the argument placed
// by val.
func readValue(f *cframe, val *abi.Value, v *convert.Value, dst unsafe.Pointer) {
	if v.Kind != convert.Memory {
		p := val.Parts[0]
		raw := *(*uint64)(f.part(p))
		if val.ByRef {
			raw = *(*uint64)(*(*unsafe.Pointer)(unsafe.Pointer(&raw)))
		}
		storeBits(dst, v.ToGo(raw), int(v.Go.Size()))
		return
	}
	if val.ByRef {
		p := val.Parts[0]
		src := *(*unsafe.Pointer)(f.part(p))
		copyBytes(dst, src, v.Size)
		return
	}
	for _, p := range val.Parts {
		copyBytes(unsafe.Add(dst, p.Offset), f.part(p), p.Size)
	}
}

// writeResult places the Go result at src (a value of type v.Go) into the
// result registers, or into the caller's buffer for a memory result.
func writeResult(f *cframe, plan *abi.Plan, v *convert.Value, src unsafe.Pointer) {
	if plan.SRet {
		buf := *(*unsafe.Pointer)(f.part(plan.SRetPart))
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
