// Package bindcall gives Go func variables of any type a body that calls a
// C function, without reflection and without allocating per call.
//
// A bound func value is a *closure whose code word is trampoline, a small
// assembly function per architecture (trampoline_$GOARCH.s). Go calls it
// with the arguments where its register ABI (ABIInternal) puts them for the
// user's func type; the trampoline stores the registers into a block in its
// frame, copies every word that holds a Go pointer into the typed
// unsafe.Pointer parameters of dispatch (so the garbage collector sees each
// pointer argument, and a stack copy adjusts it, for the whole call), and
// calls dispatch. dispatch runs the plan built once at Bind time: it fills
// a downcall.Frame by the C calling convention (abi.Plan), copies strings
// and aggregates into memory that does not move, calls C through the
// downcall stub, and puts the C result where the Go func type returns it.
package bindcall

import (
	"fmt"
	"reflect"
	"sync"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/goabi"
)

const (
	// maxPtrArgs is the number of pointer words a bound func's parameters
	// may hold (strings, slices, pointers and pointer fields of structs).
	maxPtrArgs = 16
	// maxPtrResults is the number of integer result registers, from the
	// first, that may carry a pointer word (a string or pointer result, the
	// two words of an error).
	maxPtrResults = 6
)

// block is the register block in the trampoline's frame: the argument
// registers on entry, the result registers on return.
type block struct {
	Int   [numInt]uint64
	Float [numFloat]uint64
	Zero  uint64 // always 0: the source of unused pointer arguments
	G     uint64 // the g register, restored on return
	// FP is the register path's fastPlan, kept here across the call (see
	// regCall for why it stays allocated).
	FP uint64
}

type (
	ptrArgs    [maxPtrArgs]unsafe.Pointer
	ptrResults [maxPtrResults]unsafe.Pointer
)

// closure is the object behind a bound func value. code is its first word
// (Go calls a func value through it); src is read by the trampoline.
type closure struct {
	code uintptr
	// src[k] is the offset from the trampoline's SP of the word copied
	// into dispatch's pointer argument k: a block register, a word of the
	// caller's argument area, or the block's zero word.
	src [maxPtrArgs]uintptr
	st  *state
	// fast is the register path (fast.go), nil when dispatch runs the call.
	fast *fastPlan
}

// trampolinePC, fastTrampolinePC and leafTrampolinePC are the addresses
// of trampoline, fastTrampoline and leafTrampoline (set in assembly).
var trampolinePC, fastTrampolinePC, leafTrampolinePC uintptr

// Config describes one binding.
type Config struct {
	Fn   uintptr      // the C function
	Name string       // for messages
	Sig  *convert.Sig // the Go func type matched against the C type
	Plan *abi.Plan    // the C placement of Sig.C
	// Errno: the Go func has one more result, of type error, than Sig
	// describes; it gets errno after the call (nil when 0).
	Errno bool
	// Leaf, if not nil, calls C without the scheduler's system-call
	// transition (downcall.CallLeaf): for C functions that neither block
	// nor call back into Go. It names the function in the message that
	// ends the process if one calls back (a string that lives for the
	// life of the process, leaf.Name).
	Leaf *string
	// Callback converts a *Callback argument (p, never nil) passed for the
	// C pointer parameter of type param to its C function pointer, or
	// reports why it does not fit.
	Callback func(p unsafe.Pointer, param *ctype.Type) (uintptr, error)
	// CallbackType is the Go type that Callback accepts (*ffi.Callback).
	CallbackType reflect.Type
	// Varargs places the extra arguments of a variadic call.
	Varargs func(p *abi.Plan, extra []*ctype.Type) (*abi.Plan, error)
	// CheckPointer, if not nil, is called before every call for each
	// pointer, unsafe.Pointer and slice argument (param is its 0-based
	// position, t its Go type, p the pointer or the slice's data pointer);
	// an error panics the call. Nil costs nothing per call.
	CheckPointer func(param int, t reflect.Type, p unsafe.Pointer) error
}

// Supported reports whether bound funcs work on this platform.
const Supported = supported

// Install stores into the func variable at fnPtr (of the Go type cfg.Sig
// describes, plus an error result if cfg.Errno) a func value that calls
// cfg.Fn as the plan says.
func Install(fnPtr any, cfg Config) error {
	if err := selfTest(); err != nil {
		return err
	}
	fv := reflect.ValueOf(fnPtr).Elem()
	st, src, err := newState(fv.Type(), cfg)
	if err != nil {
		return err
	}
	c := &closure{code: trampolinePC, src: src, st: st, fast: compileFast(st, &src)}
	switch {
	case c.fast == nil:
	case c.fast.leafStub:
		c.code = leafTrampolinePC
	default:
		c.code = fastTrampolinePC
		if st.varargs {
			st.fast = c.fast
		}
	}
	// A func value is a pointer to its closure object.
	*(*unsafe.Pointer)(fv.Addr().UnsafePointer()) = unsafe.Pointer(c)
	return nil
}

// state is what dispatch needs for one bound func.
type state struct {
	fn   uintptr
	name string
	cfg  *Config
	args argPlan // the fixed parameters (and, for varargs, no extras)
	res  []rop
	// keeps: pointer words of stack-assigned results.
	keeps []keepWord
	// checks: the pointer arguments given to cfg.CheckPointer.
	checks []ptrCheck
	mode   uint8 // modeCall, modeLeaf or modeEcho
	// errno: clear errno before the call, read it right after.
	errno bool
	// Variadic calls: the []any's words and the classified argument
	// sequences seen so far.
	varargs  bool
	varData  src
	varLen   src
	varCache varCache
	goParams []goabi.Value
	pslot    map[[2]int]int // (parameter, byte offset) -> pointer slot
	basePlan *abi.Plan
	bigPool  sync.Pool // fixed scratch parts larger than maxFixed
	varMu    sync.Mutex
	// fast is the register path of a variadic binding, which compiles a
	// stub for each new sequence of extra arguments (nil if it has none).
	fast *fastPlan
}

// argPlan is the placement of the arguments of one C plan.
type argPlan struct {
	ops    []op
	nstack int    // C stack words
	al     uint64 // System V: vector registers used, for variadic callees
	// scratch is the size of the fixed part of the per-call scratch buffer
	// (the memory result, aggregates passed by reference); strings follow.
	scratch     int
	needScratch bool
	sret        bool
	sretOff     int // the memory result's offset in the scratch buffer
	sretDst     op  // where its address goes
	// extra places the variadic arguments (one op each; opVar).
	extra []op
	// extraDup is a second place for a variadic argument, or dst 0: the
	// Microsoft x64 convention passes a variadic double in both an integer
	// and a vector register.
	extraDup []op
	// varCodes are the promoted types of the variadic arguments (varKey).
	varCodes [maxVarargs / 16]uint64
	// stubPC is the compiled stub of a variadic call on the register path
	// (varStub), 0 if it has none.
	stubPC uintptr
}

// ptrCheck is one pointer argument checked before each call.
type ptrCheck struct {
	slot, param int
	t           reflect.Type
}

// runChecks runs cfg.CheckPointer on the pointer arguments.
func (st *state) runChecks(p *ptrArgs) {
	for _, c := range st.checks {
		if p[c.slot] == nil {
			continue
		}
		if err := st.cfg.CheckPointer(c.param, c.t, p[c.slot]); err != nil {
			panic(&CallError{Name: st.name, Err: errfmt.Errorf("argument %d (%v): %w", c.param+1, c.t, err)})
		}
	}
}

// src names where a Go word comes from.
type src struct {
	kind uint8 // srcInt, srcFloat, srcPtr, srcStack
	idx  int32
	size uint8
}

const (
	srcInt uint8 = iota + 1
	srcFloat
	srcPtr
	srcStack
)

// C-side destinations of argument ops.
const (
	dstGPR uint8 = iota + 1
	dstFPR
	dstStack
	dstScratch
)

// Argument op kinds.
const (
	opWord     uint8 = iota + 1 // src word, extended, deposited into dst
	opIntGPR                    // b.Int[si] extended into f.GPR[di]
	opFloatFPR                  // b.Float[si] extended into f.FPR[di]
	opPtrGPR                    // p[si] into f.GPR[di]
	opCopy                      // n bytes of the caller's area into dst
	opString                    // copy of a Go string, its address into dst
	opSlice                     // a slice's data pointer (NULL if cap 0)
	opCallback                  // a *Callback's C pointer
	opAddr                      // address of scratch+si into dst
)

// op moves one Go value (or piece of one) into the C frame.
type op struct {
	kind   uint8
	src    src
	aux    src // opString: the length; opSlice: the capacity
	dst    uint8
	ext    uint8 // 64 - bits of the value extended; 0 for a full word
	signed bool
	shift  uint8 // bit position of the deposit in a register
	di     int32 // register number, or byte offset on the C stack/scratch
	n      int32 // opCopy: bytes; stack and scratch deposits: bytes stored
	ct     *ctype.Type
}

// newState builds the plan of calling cfg.Fn through a func of type ft.
func newState(ft reflect.Type, cfg Config) (*state, [maxPtrArgs]uintptr, error) {
	var src [maxPtrArgs]uintptr
	fr, err := goabi.Assign(ft, goabi.Regs{Int: numInt, Float: numFloat})
	if err != nil {
		return nil, src, err
	}
	gp, gr := fr.Params, fr.Results
	st := &state{fn: cfg.Fn, name: cfg.Name, cfg: &cfg, errno: cfg.Errno,
		varargs: cfg.Sig.Varargs, goParams: gp, basePlan: cfg.Plan, pslot: map[[2]int]int{}}

	// Pointer slots: every pointer word of every parameter.
	k := 0
	zero := uintptr(blockOff) + unsafe.Offsetof(block{}.Zero)
	for i := range src {
		src[i] = zero
	}
	for i, v := range gp {
		var offs []int
		if v.Stack {
			offs = v.PtrWords
		} else {
			for _, p := range v.Pieces {
				if p.Ptr {
					offs = append(offs, p.Offset)
				}
			}
		}
		for _, off := range offs {
			if k == maxPtrArgs {
				return nil, src, errfmt.Errorf("the Go parameters hold more than %d pointer words", maxPtrArgs)
			}
			if v.Stack {
				src[k] = uintptr(callerArgsOff + v.Pieces[0].Index + off)
			} else {
				for _, p := range v.Pieces {
					if p.Offset == off {
						src[k] = uintptr(blockOff) + unsafe.Offsetof(block{}.Int) + uintptr(8*p.Index)
					}
				}
			}
			st.pslot[[2]int{i, off}] = k
			k++
		}
	}
	if st.varargs {
		v := gp[len(gp)-1]
		st.varData = st.goWord(len(gp)-1, v, 0, 8)
		st.varLen = st.goWord(len(gp)-1, v, 8, 8)
	}
	if cfg.CheckPointer != nil {
		for i := range cfg.Sig.Params {
			switch gp[i].Type.Kind() {
			case reflect.Pointer, reflect.UnsafePointer, reflect.Slice:
				if k, ok := st.pslot[[2]int{i, 0}]; ok {
					st.checks = append(st.checks, ptrCheck{slot: k, param: i, t: gp[i].Type})
				}
			}
		}
	}
	if st.args, err = st.buildArgs(cfg.Plan, len(cfg.Sig.Params)); err != nil {
		return nil, src, err
	}
	if cfg.Leaf != nil {
		st.mode = modeLeaf
	}
	if st.varargs {
		st.args.needScratch = true
	}
	if st.args.nstack > stackWords {
		st.args.needScratch = true
	}
	if st.args.scratch > maxFixed {
		st.initBigPool()
	}
	if err := st.buildResults(gr); err != nil {
		return nil, src, err
	}
	return st, src, nil
}

// goWord is the source of the size bytes at offset off of Go parameter i.
func (st *state) goWord(i int, v goabi.Value, off, size int) src {
	if k, ok := st.pslot[[2]int{i, off}]; ok {
		return src{kind: srcPtr, idx: int32(k), size: 8}
	}
	if v.Stack {
		return src{kind: srcStack, idx: int32(v.Pieces[0].Index + off), size: uint8(size)}
	}
	for _, p := range v.Pieces {
		if p.Offset == off {
			if p.Loc == goabi.Float {
				return src{kind: srcFloat, idx: int32(p.Index), size: uint8(p.Size)}
			}
			return src{kind: srcInt, idx: int32(p.Index), size: uint8(p.Size)}
		}
	}
	panic(fmt.Sprintf("bindcall: no Go word at offset %d of parameter %d", off, i+1))
}

// cDst is the destination of C part p, byte offset within it delta.
func cDst(p abi.Part, delta int) (uint8, int32, uint8) {
	switch p.Loc {
	case abi.GPR:
		return dstGPR, int32(p.Index), uint8(8 * delta)
	case abi.FPR:
		return dstFPR, int32(p.Index), uint8(8 * delta)
	}
	return dstStack, int32(p.Index + delta), 0
}

// scalarOp is the op placing a Go scalar from s into C part p, extended
// from the C value's size.
func scalarOp(s src, cv *convert.Value, p abi.Part) op {
	o := op{kind: opWord, src: s}
	o.dst, o.di, _ = cDst(p, 0)
	if cv.Size < 8 {
		o.ext = uint8(64 - 8*cv.Size)
		o.signed = cv.Signed && cv.Kind == convert.Int
	}
	if o.dst == dstStack {
		o.n = 8
	}
	switch {
	case s.kind == srcInt && o.dst == dstGPR:
		o.kind = opIntGPR
	case s.kind == srcFloat && o.dst == dstFPR:
		o.kind = opFloatFPR
	case s.kind == srcPtr && o.dst == dstGPR:
		o.kind = opPtrGPR
	}
	return o
}

// buildArgs turns the fixed parameters (the first n of plan) into ops.
func (st *state) buildArgs(plan *abi.Plan, n int) (argPlan, error) {
	var ap argPlan
	sig := st.cfg.Sig
	for i := 0; i < n; i++ {
		cv, av, gv := &sig.Params[i], &plan.Args[i], st.goParams[i]
		word := func(off, size int) src { return st.goWord(i, gv, off, size) }
		switch cv.Kind {
		case convert.Int, convert.Bool, convert.Float, convert.Double:
			if av.ByRef {
				return ap, errfmt.Errorf("parameter %d: scalars passed by reference are not supported", i+1)
			}
			ap.ops = append(ap.ops, scalarOp(word(0, int(gv.Type.Size())), cv, av.Parts[0]))
		case convert.String:
			o := op{kind: opString, src: word(0, 8), aux: word(8, 8)}
			o.dst, o.di, _ = cDst(av.Parts[0], 0)
			ap.ops = append(ap.ops, o)
			ap.needScratch = true
		case convert.Slice:
			o := op{kind: opSlice, src: word(0, 8), aux: word(16, 8)}
			o.dst, o.di, _ = cDst(av.Parts[0], 0)
			ap.ops = append(ap.ops, o)
		case convert.CallbackPtr:
			o := op{kind: opCallback, src: word(0, 8), ct: cv.C}
			o.dst, o.di, _ = cDst(av.Parts[0], 0)
			ap.ops = append(ap.ops, o)
		case convert.Memory:
			if err := ap.memoryArg(i, cv, av, gv, st.goWord); err != nil {
				return ap, err
			}
		default:
			return ap, errfmt.Errorf("parameter %d: unsupported kind %d", i+1, cv.Kind)
		}
	}
	if plan.SRet {
		ap.sret = true
		ap.needScratch = true
		ap.sretOff = ap.alloc(plan.Func.Result.Size, plan.Func.Result.Align)
		ap.sretDst.dst, ap.sretDst.di, _ = cDst(plan.SRetPart, 0)
	}
	ap.nstack = plan.StackSize / 8
	ap.al = uint64(plan.NumFPR)
	return ap, nil
}

// alloc reserves size bytes aligned to align in the fixed scratch part.
func (ap *argPlan) alloc(size, align int) int {
	if align < 8 {
		align = 8
	}
	off := (ap.scratch + align - 1) &^ (align - 1)
	// An empty struct (GNU C: 0 bytes) passed by reference still needs an
	// address, in the buffer.
	ap.scratch = off + max(size, 1)
	return off
}

// memoryArg places an aggregate parameter.
func (ap *argPlan) memoryArg(i int, cv *convert.Value, av *abi.Value, gv goabi.Value, goWord func(int, goabi.Value, int, int) src) error {
	base := 0
	if av.ByRef {
		ap.needScratch = true
		base = ap.alloc(cv.C.Size, cv.C.Align)
	}
	// part returns the C part holding bytes [off, off+size) of the value.
	part := func(off, size int) (abi.Part, bool) {
		for _, p := range av.Parts {
			if off >= p.Offset && off+size <= p.Offset+p.Size {
				return p, true
			}
		}
		return abi.Part{}, false
	}
	if gv.Stack {
		if av.ByRef {
			ap.ops = append(ap.ops, op{kind: opCopy, src: src{kind: srcStack, idx: int32(gv.Pieces[0].Index)}, dst: dstScratch, di: int32(base), n: int32(cv.C.Size)})
		} else {
			for _, p := range av.Parts {
				o := op{kind: opCopy, src: src{kind: srcStack, idx: int32(gv.Pieces[0].Index + p.Offset)}, n: int32(p.Size)}
				o.dst, o.di, _ = cDst(p, 0)
				ap.ops = append(ap.ops, o)
			}
		}
	} else {
		for _, g := range gv.Pieces {
			o := op{kind: opWord, src: goWord(i, gv, g.Offset, g.Size), n: int32(g.Size)}
			if g.Size < 8 {
				o.ext = uint8(64 - 8*g.Size)
			}
			if av.ByRef {
				o.dst, o.di = dstScratch, int32(base+g.Offset)
			} else {
				p, ok := part(g.Offset, g.Size)
				if !ok {
					return errfmt.Errorf("parameter %d: Go field at offset %d is split between C parts", i+1, g.Offset)
				}
				o.dst, o.di, o.shift = cDst(p, g.Offset-p.Offset)
			}
			ap.ops = append(ap.ops, o)
		}
	}
	if av.ByRef {
		o := op{kind: opAddr, n: int32(base)}
		o.dst, o.di, _ = cDst(av.Parts[0], 0)
		ap.ops = append(ap.ops, o)
	}
	return nil
}
