package bindcall

import (
	"reflect"
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/leaf"
)

// The register path.
//
// Most C functions take scalars, pointers and small structs, all in
// registers or plain stack words, and return one of those. For such a
// binding Install compiles the plan into two short tables of word moves
// (type move) that the trampoline runs itself, in assembly: the argument
// moves copy the Go argument words (from the register block or the
// caller's argument area) into a downcall.Frame in the trampoline's own
// frame, with the C stack words right after it (downcall.FlagStackAfter),
// and the result moves copy the C result registers back into the block.
// Between them the trampoline calls C: through regCall for a normal call,
// which keeps every pointer argument in a typed parameter (visible to the
// garbage collector, and adjusted by a stack copy, for the whole call) and
// runs the ops that need Go (strings, slices, callbacks, aggregates passed
// by reference, memory results) with dispatch's own code; or straight
// through runtime·asmcgocall and the leaf stub for a leaf call, during
// which no garbage collection can scan the goroutine (it holds its P and
// runs no Go code) and no callback can run. A leaf call whose plan
// compiled to a stub that records the leaf call itself (leafStub) has a
// trampoline of its own, leafTrampoline, which stores only what that stub
// reads and hands the stub to runtime·asmcgocall directly.
//
// A variadic call runs the stub of its sequence of extra arguments
// (varargs.go, callVariadic). Errno, pointer checks, string results,
// pointer words in results on the Go stack, and more pointer words or C
// stack words than the trampoline frame holds go through dispatch (see
// compileFast).

// move is one word move of the register path, run by the trampoline (and
// by runMoves in tests):
//
//	w := *(*uint64)(base + from)
//	w >>= rshift
//	w = extend(w, ext, signed)        // keep the low 64-ext bits
//	w <<= lshift
//	if or { w |= *(*uint64)(base + to) }
//	*(*uint64)(base + to) = w
//
// base is the trampoline's SP. Bits: from 0-15, to 16-31, rshift 32-37,
// ext 40-45, signed 46, or 47, lshift 48-53, kind 56-57. The kind only
// lets the assembly take a shortcut for the commonest moves (moveWord, a
// whole word; moveSext32 and moveZext32, a 32-bit value extended); every
// field still says what the move does.
type move uint64

const (
	moveSigned = 1 << 46
	moveOr     = 1 << 47

	moveWord   = 1 << 56
	moveSext32 = 2 << 56
	moveZext32 = 3 << 56
)

func mkMove(from, to uintptr, rshift, ext uint8, signed, or bool, lshift uint8) move {
	m := move(from&0xffff) | move(to&0xffff)<<16 | move(rshift&63)<<32 | move(ext&63)<<40 | move(lshift&63)<<48
	if signed {
		m |= moveSigned
	}
	if or {
		m |= moveOr
	}
	if rshift == 0 && lshift == 0 && !or {
		switch {
		case ext == 0:
			m |= moveWord
		case ext == 32 && signed:
			m |= moveSext32
		case ext == 32:
			m |= moveZext32
		}
	}
	return m
}

func (m move) kind() move { return m & (3 << 56) }

func (m move) from() uintptr { return uintptr(m & 0xffff) }
func (m move) to() uintptr   { return uintptr(m >> 16 & 0xffff) }
func (m move) rshift() uint8 { return uint8(m >> 32 & 63) }
func (m move) ext() uint8    { return uint8(m >> 40 & 63) }
func (m move) signed() bool  { return m&moveSigned != 0 }
func (m move) or() bool      { return m&moveOr != 0 }
func (m move) lshift() uint8 { return uint8(m >> 48 & 63) }
func (m move) apply(w uint64) uint64 {
	return extend(w>>m.rshift(), m.ext(), m.signed()) << m.lshift()
}

// runMoves is the trampoline's move loop in Go, for tests: it runs ms on
// the bytes of mem as if mem started at the trampoline's SP.
func runMoves(mem []byte, ms []move) {
	for _, m := range ms {
		from := (*uint64)(unsafe.Pointer(&mem[m.from()]))
		to := (*uint64)(unsafe.Pointer(&mem[m.to()]))
		w := m.apply(*from)
		if m.or() {
			w |= *to
		}
		*to = w
	}
}

// fastPlan is the compiled register path of one binding. The trampoline
// reads its fields through go_asm.h.
type fastPlan struct {
	fn     uintptr
	args   *move // nargs argument moves
	nargs  uintptr
	res    *move // nres result moves
	nres   uintptr
	nstack uintptr // C stack words (at fastStk in the trampoline frame)
	flags  uint64  // the Frame's Flags
	// nint and nfloat are the number of Go argument registers (from the
	// first) that the trampoline stores into the block; rint and rfloat
	// the number of result registers it loads back.
	nint, nfloat, rint, rfloat uint8
	// leafPC is the leaf stub (leaf.StubPC) for a leaf call, 0 for a
	// normal call; stubPC is downcall's C-side stub and name the bound
	// function, leaf.Call's other two arguments.
	leafPC uintptr
	stubPC uintptr
	name   *string
	// ptrs are the offsets of the pointer argument words, in the order of
	// the closure's src (unused entries: the block's zero word).
	ptrs [fastPtrs]uintptr
	// keep the tables reachable.
	argMoves, resMoves []move

	// The ops regCall runs in Go (see compileFast).
	st       *state
	extra    []op
	extraRes []rop
	// goOps: the call needs callExtra (extra ops, a scratch buffer for
	// strings, aggregates by reference or the memory result).
	goOps bool
	// compiled: stubPC is a compiled stub (stub.go) that runs the moves
	// itself; nargs and nres are 0. stubSRet: the stub also owns the
	// memory result (stubSRetOnly). leafStub: the compiled stub of a leaf
	// call also records the leaf call (leaf.EnterPC), so leafTrampoline
	// runs it straight through runtime·asmcgocall.
	compiled, stubSRet, leafStub bool
	// stubOps are the slice arguments the compiled stub places itself
	// (guarded moves; see splitSlices).
	stubOps []op
	// varargs: a variadic binding. Every sequence of extra arguments has
	// its own plan and stub (varStub); stubPC, for the fixed parameters
	// alone, only proves that they compile.
	varargs bool
}

// fastPtrs is the number of pointer words regCall keeps.
const fastPtrs = 6

// fastStackWords is the number of C stack words in the trampoline frame.
const fastStackWords = 12

// Offsets in the trampoline frame of the register path's Frame and C
// stack words (after the outgoing arguments of regCall and asmcgocall).
const (
	frameGPR    = uintptr(fastFrame) + unsafe.Offsetof(downcall.Frame{}.GPR)
	frameFPR    = uintptr(fastFrame) + unsafe.Offsetof(downcall.Frame{}.FPR)
	frameRetGPR = uintptr(fastFrame) + unsafe.Offsetof(downcall.Frame{}.RetGPR)
	frameRetFPR = uintptr(fastFrame) + unsafe.Offsetof(downcall.Frame{}.RetFPR)
	// The header fields, which the trampoline sets itself.
	frameFn     = uintptr(fastFrame) + unsafe.Offsetof(downcall.Frame{}.Fn)
	frameNStack = uintptr(fastFrame) + unsafe.Offsetof(downcall.Frame{}.NStack)
	frameFlags  = uintptr(fastFrame) + unsafe.Offsetof(downcall.Frame{}.Flags)
)

// compileFast compiles st's plan into the register path, or returns nil
// if the binding needs dispatch. ptrSrc are the pointer words' offsets in
// trampoline's frame.
//
// Arguments and results that are words in registers or on the C stack
// become moves. Strings, slices, callbacks, aggregates passed by reference
// and memory results become extra ops that regCall runs in Go, around the
// call, with dispatch's own code (argOp, resOp); a leaf call has none.
func compileFast(st *state, ptrSrc *[maxPtrArgs]uintptr) *fastPlan {
	ap := &st.args
	switch {
	case !supported, st.varargs && (st.mode != modeCall || !stubSupported), st.errno, st.checks != nil,
		ap.nstack > fastStackWords, len(st.keeps) > 0, len(st.pslot) > fastPtrs:
		return nil
	case st.mode == modeLeaf && (!leaf.Supported || leaf.StubPC() == 0 || leaf.RaceEnabled):
		return nil
	case st.mode != modeCall && st.mode != modeLeaf:
		return nil
	}
	fp := &fastPlan{st: st, fn: st.fn, nstack: uintptr(ap.nstack), stubPC: downcall.StubPC(),
		flags: downcall.FlagStackAfter}
	fp.argMoves = make([]move, 0, len(ap.ops))
	fp.resMoves = make([]move, 0, len(st.res))
	var w writes
	for i := range ap.ops {
		o := &ap.ops[i]
		ms, ok := argMove(fp.argMoves, o, ptrSrc, &w)
		if !ok {
			switch {
			case o.kind == opString, o.kind == opSlice, o.kind == opCallback, o.kind == opAddr,
				(o.kind == opWord || o.kind == opCopy) && o.dst == dstScratch:
				fp.extra = append(fp.extra, *o)
				continue
			}
			return nil
		}
		fp.argMoves = ms
	}
	var rw writes
	for i := range st.res {
		o := &st.res[i]
		if m, ok := resMove(o, &rw); ok {
			fp.resMoves = append(fp.resMoves, m)
			continue
		}
		if o.kind == ropMem || (o.kind == ropWord && o.dst != goPtr) {
			fp.extraRes = append(fp.extraRes, *o)
			continue
		}
		return nil
	}
	fp.varargs = st.varargs
	// Where moves compile, a slice's data pointer is a guarded move of
	// the stub (NULL when the capacity is 0) rather than a Go-side op.
	if stubSupported {
		fp.extra, fp.stubOps = splitSlices(fp.extra)
	}
	fp.goOps = fp.extra != nil || fp.extraRes != nil || ap.needScratch || fp.varargs
	// A leaf call runs no Go code: no Go-side ops, unless a stub takes
	// them all (a memory result, below).
	fp.stubSRet = stubSupported && stubSRetOnly(fp)
	if fp.goOps && st.mode == modeLeaf && !fp.stubSRet {
		return nil
	}
	for k := range fp.ptrs {
		fp.ptrs[k] = toFast(ptrSrc[k])
		if k < len(st.pslot) {
			fp.nint, fp.nfloat = regsUsed(fp.ptrs[k], fp.nint, fp.nfloat)
		}
	}
	for _, m := range fp.argMoves {
		fp.nint, fp.nfloat = regsUsed(m.from(), fp.nint, fp.nfloat)
	}
	// The extra ops read their Go words from the block too (a string's
	// length, the fields of an aggregate passed by reference), and the
	// stub's guarded moves a slice's data pointer and capacity.
	for _, o := range append(fp.extra[:len(fp.extra):len(fp.extra)], fp.stubOps...) {
		for _, s := range [2]*src{&o.src, &o.aux} {
			if off, ok := srcOffset(*s, ptrSrc); ok && s.kind != srcStack {
				fp.nint, fp.nfloat = regsUsed(toFast(off), fp.nint, fp.nfloat)
			}
		}
	}
	// callVariadic reads the length of the []any of extra arguments.
	if off, ok := srcOffset(st.varLen, ptrSrc); fp.varargs && ok && st.varLen.kind != srcStack {
		fp.nint, fp.nfloat = regsUsed(toFast(off), fp.nint, fp.nfloat)
	}
	for _, m := range fp.resMoves {
		fp.rint, fp.rfloat = regsUsed(m.to(), fp.rint, fp.rfloat)
	}
	for _, o := range fp.extraRes {
		if o.dst == goInt {
			fp.rint = max(fp.rint, uint8(o.di+1))
		} else if o.dst == goFloat {
			fp.rfloat = max(fp.rfloat, uint8(o.di+1))
		}
	}
	fp.nargs, fp.nres = uintptr(len(fp.argMoves)), uintptr(len(fp.resMoves))
	if fp.nargs > 0 {
		fp.args = &fp.argMoves[0]
	}
	if fp.nres > 0 {
		fp.res = &fp.resMoves[0]
	}
	if st.mode == modeLeaf {
		fp.leafPC = leaf.StubPC()
		fp.name = st.cfg.Leaf
		fp.flags |= downcall.FlagLeaf
	}
	// Compiled moves (stub.go): the stub does them, so the trampoline
	// runs none. A memory result going to Go result registers only is the
	// stub's too (stubSRetOnly), leaving no Go-side ops.
	pc := makeStub(fp, ap)
	if pc == 0 && fp.stubOps != nil {
		// No stub after all: the slices are Go-side ops again.
		fp.extra, fp.stubOps, fp.goOps = append(fp.extra, fp.stubOps...), nil, true
		if st.mode == modeLeaf {
			return nil
		}
	}
	if pc != 0 {
		fp.stubPC, fp.compiled, fp.leafStub = pc, true, fp.recordsLeaf()
		fp.nargs, fp.nres = 0, 0
		if fp.stubSRet {
			fp.extraRes, fp.goOps = nil, false
		}
	} else if fp.varargs {
		return nil
	} else if st.mode == modeLeaf && (fp.stubSRet || !downcall.StubFollowsFrame) {
		// Without a compiled stub, a leaf call runs downcall's generic
		// stub on the trampoline's Frame: not where that stub cannot, nor
		// with a memory result only a compiled stub takes.
		return nil
	} else {
		fp.stubSRet = false
	}
	return fp
}

// splitSlices takes out of extra the slice arguments that go whole into a
// C integer register or stack word: a compiled stub places them (stubOps)
// with a guarded move, the data pointer or NULL when the capacity is 0.
func splitSlices(extra []op) (rest, slices []op) {
	for _, o := range extra {
		if o.kind == opSlice && o.src.kind == srcPtr && (o.dst == dstGPR || o.dst == dstStack) {
			slices = append(slices, o)
		} else {
			rest = append(rest, o)
		}
	}
	return rest, slices
}

// fastSrc is the offset in fastTrampoline's frame of the Go word s.
func (fp *fastPlan) fastSrc(s src) (uintptr, bool) {
	if s.kind == srcPtr {
		return fp.ptrs[s.idx], true
	}
	off, ok := srcOffset(s, nil)
	return toFast(off), ok
}

// recordsLeaf reports whether fp's compiled stub records its leaf call
// itself (stub.Call.Enter): for every leaf call where package leaf has a
// record routine for stubs.
func (fp *fastPlan) recordsLeaf() bool { return fp.leafPC != 0 && leaf.EnterPC() != 0 }

// argMove appends to ms the moves of an argument op, if it is a word (or
// a copy of words) from the Go arguments into C registers or stack words.
func argMove(ms []move, o *op, src *[maxPtrArgs]uintptr, w *writes) ([]move, bool) {
	switch o.kind {
	case opIntGPR, opFloatFPR, opPtrGPR, opWord:
		from, ok := srcOffset(o.src, src)
		if !ok {
			return nil, false
		}
		to, shift, ok := dstOffset(o.dst, o.di, o.shift)
		if !ok || (o.n > 0 && int32(shift/8)+o.n > 8) {
			return nil, false
		}
		ext, signed := o.ext, o.signed
		if o.kind == opPtrGPR {
			ext, signed = 0, false
		}
		if o.kind == opWord && o.n > 0 && o.n < 8 && ext == 0 {
			ext = uint8(64 - 8*o.n)
		}
		if ext != 0 && shift != 0 {
			signed = false
		}
		return append(ms, mkMove(toFast(from), to, 0, ext, signed, w.seen(to), shift)), true
	case opCopy:
		if o.src.kind != srcStack || o.dst == dstScratch || (o.dst != dstStack && o.n > 8) {
			return nil, false
		}
		base := uintptr(fastCallerArgsOff) + uintptr(o.src.idx)
		for off := int32(0); off < o.n; off += 8 {
			n := min(o.n-off, 8)
			to, shift, ok := dstOffset(o.dst, o.di+off, 0)
			if !ok || int32(shift/8)+n > 8 {
				return nil, false
			}
			var ext uint8
			if n < 8 {
				ext = uint8(64 - 8*n)
			}
			ms = append(ms, mkMove(base+uintptr(off), to, 0, ext, false, w.seen(to), shift))
		}
		return ms, true
	}
	return nil, false
}

// resMove compiles a result op into a move, if it is a word of a C result
// register going to a Go result register.
func resMove(o *rop, w *writes) (move, bool) {
	if o.kind != ropWord {
		return 0, false
	}
	var from uintptr
	switch o.csrc {
	case cGPR:
		from = frameRetGPR + 8*uintptr(o.ci)
	case cFPR:
		from = frameRetFPR + 8*uintptr(o.ci)
	default:
		return 0, false
	}
	to, ok := resDst(o.dst, o.di)
	if !ok {
		return 0, false
	}
	return mkMove(from, to, o.shift, o.ext, o.signed, w.seen(to), 0), true
}

// resDst is the offset in fastTrampoline's frame of the block word for Go
// result register di of kind dst, if it is a register.
func resDst(dst uint8, di int32) (uintptr, bool) {
	switch dst {
	case goInt, goPtr:
		return uintptr(fastBlockOff) + unsafe.Offsetof(block{}.Int) + 8*uintptr(di), true
	case goFloat:
		return uintptr(fastBlockOff) + unsafe.Offsetof(block{}.Float) + 8*uintptr(di), true
	}
	return 0, false
}

// writes records the destination words written so far: the first move
// into a word stores, later ones OR into it. A plan writes at most every
// register of one file set and the frame's C stack words.
type writes struct {
	to [numInt + numFloat + fastStackWords]uintptr
	n  int
}

func (w *writes) seen(to uintptr) bool {
	for _, t := range w.to[:w.n] {
		if t == to {
			return true
		}
	}
	w.to[w.n] = to
	w.n++
	return false
}

// regsUsed raises nint or nfloat to cover the block register at offset
// off of fastTrampoline's frame, if it is one.
func regsUsed(off uintptr, nint, nfloat uint8) (uint8, uint8) {
	ints := uintptr(fastBlockOff) + unsafe.Offsetof(block{}.Int)
	floats := uintptr(fastBlockOff) + unsafe.Offsetof(block{}.Float)
	switch {
	case off >= ints && off < ints+8*numInt:
		nint = max(nint, uint8((off-ints)/8+1))
	case off >= floats && off < floats+8*numFloat:
		nfloat = max(nfloat, uint8((off-floats)/8+1))
	}
	return nint, nfloat
}

// toFast translates an offset in trampoline's frame (the block or the
// caller's argument area) to the same word in fastTrampoline's.
func toFast(off uintptr) uintptr {
	if off >= uintptr(callerArgsOff) {
		return off - uintptr(callerArgsOff) + uintptr(fastCallerArgsOff)
	}
	return off - uintptr(blockOff) + uintptr(fastBlockOff)
}

// srcOffset is the trampoline-SP offset of the Go word s.
func srcOffset(s src, ptrSrc *[maxPtrArgs]uintptr) (uintptr, bool) {
	switch s.kind {
	case srcInt:
		return uintptr(blockOff) + unsafe.Offsetof(block{}.Int) + 8*uintptr(s.idx), true
	case srcFloat:
		return uintptr(blockOff) + unsafe.Offsetof(block{}.Float) + 8*uintptr(s.idx), true
	case srcPtr:
		return ptrSrc[s.idx], true
	case srcStack:
		return uintptr(callerArgsOff) + uintptr(s.idx), true
	}
	return 0, false
}

// dstOffset is the trampoline-SP offset of the C word a value goes to,
// and the bit position in it.
func dstOffset(dst uint8, di int32, shift uint8) (uintptr, uint8, bool) {
	switch dst {
	case dstGPR:
		return frameGPR + 8*uintptr(di), shift, true
	case dstFPR:
		return frameFPR + 8*uintptr(di), shift, true
	case dstStack:
		return uintptr(fastStk) + uintptr(di&^7), uint8(8 * (di & 7)), true
	}
	return 0, 0, false
}

// regCall is the normal call of the register path: the trampoline calls
// it with the Frame in its own frame and the binding's pointer argument
// words, which stay live
// here, in typed parameters, until C returns. It runs the plan's extra
// ops (fp.extra before the call, fp.extraRes after it).
//
// fp also stays live here until C returns: the caller of a bound func need
// not keep the func value (the closure) alive during the call, so fp (and
// its move tables) may have no other reference while C runs, and the
// trampoline reads it again after regCall returns (in assembly, with no
// safe point in between, so it cannot be collected there). A leaf call
// runs no Go code, so no collection can finish before it returns.
func regCall(fp *fastPlan, f *downcall.Frame, p0, p1, p2, p3, p4, p5 unsafe.Pointer) {
	if !fp.goOps {
		if fp.compiled {
			callStub(fp.stubPC, f)
		} else {
			downcall.CallLocal(f)
		}
	} else {
		// Element by element: a composite literal is built aside and
		// copied with 16-byte loads of the 8-byte stores just made, which
		// stalls store forwarding on every call.
		var p ptrArgs
		p[0], p[1], p[2], p[3], p[4], p[5] = p0, p1, p2, p3, p4, p5
		fp.callExtra(f, &p)
	}
	runtime.KeepAlive(p0)
	runtime.KeepAlive(p1)
	runtime.KeepAlive(p2)
	runtime.KeepAlive(p3)
	runtime.KeepAlive(p4)
	runtime.KeepAlive(p5)
	runtime.KeepAlive(fp)
}

// callExtra is regCall with extra ops. The register block and the
// caller's argument area are at fixed offsets from the Frame in
// fastTrampoline's frame (derived here from f, which stack copies adjust).
func (fp *fastPlan) callExtra(f *downcall.Frame, p *ptrArgs) {
	if fp.varargs {
		fp.callVariadic(f, p)
		return
	}
	fp.run(f, p, &fp.st.args, fp.stubPC, nil, nil)
}

// goWords returns the register block and the caller's argument area of
// the fastTrampoline frame that holds f.
func goWords(f *downcall.Frame) (*block, unsafe.Pointer) {
	return (*block)(unsafe.Add(unsafe.Pointer(f), fastBlockOff-fastFrame)),
		unsafe.Add(unsafe.Pointer(f), fastCallerArgsOff-fastFrame)
}

// run runs the Go-side ops of the argument plan ap (and the extra
// arguments args read as loads says, for a variadic call), calls the stub pc, and
// runs the Go-side result ops.
func (fp *fastPlan) run(f *downcall.Frame, p *ptrArgs, ap *argPlan, pc uintptr, args []any, loads []uint8) {
	st := fp.st
	b, sa := goWords(f)
	var sc *scratch
	if ap.needScratch {
		sc = getScratch(st)
	}
	// The C stack words follow the Frame (FlagStackAfter; fastStk).
	stk := unsafe.Slice((*uint64)(unsafe.Add(unsafe.Pointer(f), fastStk-fastFrame)), fastStackWords)
	for i := range fp.extra {
		st.argOp(&fp.extra[i], f, stk, sc, b, sa, p)
	}
	if args != nil {
		st.placeVarargs(f, stk, sc, ap, args, loads)
	}
	if ap.sret {
		place(f, stk, &ap.sretDst, uint64(uintptr(sc.at(ap.sretOff))))
	}
	if fp.compiled {
		callStub(pc, f)
	} else {
		downcall.CallLocal(f)
	}
	var r ptrResults
	for i := range fp.extraRes {
		st.resOp(&fp.extraRes[i], f, sc, b, sa, &r)
	}
	if sc != nil {
		putScratch(sc)
	}
	keepAlive(p)
}

// callVariadic is callExtra for a variadic binding: the plan and stub of
// this call's sequence of extra arguments (varPlan), or, for a sequence
// that has no stub (more C stack words than the trampoline frame holds),
// dispatch's own code on the same Go words, its pointer results ORed into
// the block as trampoline does with them.
func (fp *fastPlan) callVariadic(f *downcall.Frame, p *ptrArgs) {
	st := fp.st
	b, sa := goWords(f)
	var lbuf varLoads
	args := unsafe.Slice((*any)(p[st.varData.idx]), int(loadSrc(b, sa, p, st.varLen)))
	ap, loads := st.varPlan(args, &lbuf)
	if ap.stubPC != 0 {
		fp.run(f, p, ap, ap.stubPC, args, loads)
		return
	}
	r := st.call(b, sa, p)
	for k, w := range r {
		b.Int[k] |= uint64(uintptr(w))
	}
}

var _ = regCall

// OnRegisterPath reports whether fn, a func value made by Install, runs
// on the register path (for tests and diagnostics).
func OnRegisterPath(fn any) bool {
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return false
	}
	// For a func, UnsafePointer is the code word of its closure.
	pc := uintptr(v.UnsafePointer())
	return pc == fastTrampolinePC || pc == leafTrampolinePC
}

// OnLeafStub reports whether fn, a func value made by Install, is a leaf
// call whose compiled stub records the call itself, run by leafTrampoline
// (for tests and diagnostics).
func OnLeafStub(fn any) bool {
	v := reflect.ValueOf(fn)
	return v.Kind() == reflect.Func && !v.IsNil() && uintptr(v.UnsafePointer()) == leafTrampolinePC
}

// fastTrampoline and the Frame header offsets are used only from assembly;
// these references tell tools that read Go alone that they are used.
var (
	_ = fastTrampoline
	_ = leafTrampoline
	_ = [...]uintptr{frameFn, frameNStack, frameFlags}
)
