package upcall

//go:generate go run gen_invoke.go

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
// to. It is immutable; Set replaces it as a whole. The fields the fast path
// reads are copied out of the shape so a call follows as few pointers as
// possible.
type binding struct {
	inv   func(b *binding, f *cframe) // the invoker for this shape
	fnv   unsafe.Pointer              // fast path: the func value of fn, called through an erased type
	ops   []argOp                     // fast path: integer-class moves first, then float-class
	res   resultOp                    // fast path: the result store
	rfn   reflect.Value               // reflection path
	fn    any                         // the user's func: referenced here so it stays alive while bound
	slot  *Slot
	shape *shape
}

// shape is everything about a callback that depends only on its C
// signature and its Go func type: the match, the placement plan and the
// prepared moves of the fast path. Shapes are computed once and shared by
// every callback of the same signature and func type.
type shape struct {
	sig  *convert.Sig
	plan *abi.Plan
	fast bool
	inv  func(b *binding, f *cframe)
	ops  []argOp
	res  resultOp

	// The general fast path (moves.go).
	moves   []move
	rmoves  []rmove
	sret    bool   // the result goes to the caller's buffer
	sretOff uint32 // frame offset of the buffer's address
	// plainIn and plainOut: the moves as whole-word copies, for
	// invokeSmallPlain (plainMoves).
	plainIn, plainOut []wordCopy
	// words: the argument moves as whole-word copies, for the general
	// invoker (wordMoves); nil when some move is not one.
	words *wordMoves
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

// argOp moves one scalar argument from the frame into an argument register
// of the erased Go call. The conversion is C's: the low bytes of the
// 8-byte register or stack word are the C value, extended to 64 bits by a
// shift pair (zero for double; 32 for float's bits; 56 for _Bool, which C
// passes as 0 or 1 in the low byte).
type argOp struct {
	off    uint32 // byte offset from the frame, or from the first stack argument
	stack  bool   // the word is on the caller's stack, not in the frame
	sh     uint8  // 64 - 8*size of the C value
	signed bool   // sign-extend rather than zero-extend
}

// load reads and extends the argument.
func (a *argOp) load(f *cframe) uint64 {
	base := unsafe.Pointer(f)
	if a.stack {
		base = f.stackArgs
	}
	return extend(*(*uint64)(unsafe.Add(base, a.off)), a.sh, a.signed)
}

// resultOp widens the Go result as C requires and stores it in the frame.
type resultOp struct {
	none   bool // void
	float  bool // Go result in a float register; C result in xmm0
	sh     uint8
	signed bool
	isBool bool // C _Bool: 0 or 1 from the low byte of the Go bool
}

// store widens the result of the erased call (ri in the first integer
// result register, rf in the first float one) and puts it in the frame.
func (o *resultOp) store(f *cframe, ri uint64, rf float64) {
	switch {
	case o.none:
	case o.float:
		sh := o.sh & 63
		f.retFPR[0] = math.Float64bits(rf) << sh >> sh
	default:
		if o.isBool {
			ri = boolBit(ri)
		}
		f.retGPR[0] = extend(ri, o.sh, o.signed)
	}
}

// newArgOp prepares the move of one scalar argument placed in part p.
func newArgOp(v *convert.Value, p abi.Part) argOp {
	op := argOp{sh: uint8(64 - 8*v.Size), signed: v.Signed && v.Kind == convert.Int}
	switch p.Loc {
	case abi.GPR:
		op.off = uint32(unsafe.Offsetof(cframe{}.gpr)) + uint32(8*p.Index)
	case abi.FPR:
		op.off = uint32(unsafe.Offsetof(cframe{}.fpr)) + uint32(8*p.Index)
	default:
		op.stack, op.off = true, uint32(p.Index)
	}
	return op
}

// erasedFunc is a call loading amd64's 9 integer and 15 floating-point
// argument registers, the general call's (callgo.go) without a block: Go's
// register ABI (ABIInternal on amd64 and arm64)
// assigns integer-class and float-class words to two register sequences
// independently, in order, so a func using at most 9 integer and 15
// floating-point argument registers receives exactly the registers a call
// of this type loads; the extra ones are ignored by the callee, and its
// results are in the result registers of the same classes. The start-up
// check (fastcheck.go) calls real funcs through it.
type erasedFunc func(i0, i1, i2, i3, i4, i5, i6, i7, i8 uint64,
	f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14 float64) (uint64, float64)

// eraseFunc reinterprets the func value fn as an erasedFunc.
func eraseFunc(fn any) erasedFunc {
	var e erasedFunc
	*(*unsafe.Pointer)(unsafe.Pointer(&e)) = (*[2]unsafe.Pointer)(unsafe.Pointer(&fn))[1]
	return e
}

// newShape prepares the per-call work for sig placed by plan.
func newShape(sig *convert.Sig, plan *abi.Plan) *shape {
	if inv, ops, res, ok := prepareFast(sig, plan); ok {
		return &shape{sig: sig, plan: plan, fast: true, inv: inv, ops: ops, res: res}
	}
	if sh, ok := prepareGeneral(sig, plan); ok {
		sh.sig, sh.plan, sh.fast = sig, plan, true
		return sh
	}
	return &shape{sig: sig, plan: plan, inv: invokeReflect}
}

// newBinding binds fn (matched as sh.sig) for slot s.
func newBinding(s *Slot, fn any, sh *shape) *binding {
	b := &binding{inv: sh.inv, ops: sh.ops, res: sh.res, fn: fn, slot: s, shape: sh}
	if sh.fast {
		b.fnv = (*[2]unsafe.Pointer)(unsafe.Pointer(&fn))[1]
	} else {
		b.rfn = reflect.ValueOf(fn)
	}
	return b
}

// invoke runs the bound func for one call described by frame f.
func (b *binding) invoke(f *cframe) { b.inv(b, f) }

// prepareFast builds the argument moves and picks the small invoker of a
// signature of at most 6 integer-class and 4 float-class scalars and a
// scalar result, or reports that it is not one (then the general path of
// moves.go, or reflection, takes it).
// Integer-class moves come first, then float-class ones: Go's register ABI
// assigns the two classes independently, so only the order within a class
// matters.
func prepareFast(sig *convert.Sig, plan *abi.Plan) (func(*binding, *cframe), []argOp, resultOp, bool) {
	var res resultOp
	if !fastPathOK || plan.SRet {
		return nil, nil, res, false
	}
	var ints, floats []argOp
	for i := range sig.Params {
		v := &sig.Params[i]
		if !scalar(v) || len(plan.Args[i].Parts) != 1 || plan.Args[i].ByRef {
			return nil, nil, res, false
		}
		op := newArgOp(v, plan.Args[i].Parts[0])
		if v.GoFloat {
			floats = append(floats, op)
		} else {
			ints = append(ints, op)
		}
	}
	ni, nf := len(ints), len(floats)
	if ni >= len(smallInvokers) || nf >= len(smallInvokers[0]) {
		return nil, nil, res, false // the general path's (moves.go)
	}
	if r := sig.Result; r == nil {
		res.none = true
	} else {
		if !scalar(r) || len(plan.Result.Parts) != 1 {
			return nil, nil, res, false
		}
		size := r.Size
		if gs := int(r.Go.Size()); gs < size {
			size = gs // never for exact matches; kept for safety
		}
		res = resultOp{float: r.GoFloat, sh: uint8(64 - 8*size), signed: r.Signed && r.Kind == convert.Int, isBool: r.Kind == convert.Bool}
	}
	return smallInvokers[ni][nf], append(ints, floats...), res, true
}

func scalar(v *convert.Value) bool {
	switch v.Kind {
	case convert.Int, convert.Bool, convert.Float, convert.Double:
		return true
	}
	return false
}

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
