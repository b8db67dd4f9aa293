package bindcall

import (
	"syscall"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/downcall"
)

// stackWords is the number of C stack words kept in dispatch's frame; more
// come from the scratch buffer. (The stub copies them onto the C stack
// before calling, so a stack copy during a callback cannot hurt them.)
const stackWords = 16

// dispatch runs one call of a bound func. The trampoline calls it (through
// the ABI0 wrapper the compiler makes for assembly callers) with the
// closure, the register block, the caller's argument area and the pointer
// words of the arguments; it returns the pointer words of the results.
//
// Everything dispatch hands to C for the call lives in the Frame, which
// the stub copies and tracks (downcall.CallLocal), or in a scratch buffer
// on the heap; never at a goroutine stack address that C keeps.
func dispatch(c *closure, b *block, sa unsafe.Pointer, p ptrArgs) (r ptrResults) {
	return c.st.call(b, sa, &p)
}

// call is dispatch's work on the Go words of one call: the register block
// b, the caller's argument area sa and the pointer words p, which the
// caller keeps visible to the garbage collector.
func (st *state) call(b *block, sa unsafe.Pointer, p *ptrArgs) (r ptrResults) {
	ap := &st.args
	var f downcall.Frame
	var words [stackWords]uint64
	f.Fn = st.fn
	var sc *scratch
	var args []any
	var lbuf varLoads
	var loads []uint8
	if st.varargs {
		args = unsafe.Slice((*any)(p[st.varData.idx]), int(loadSrc(b, sa, p, st.varLen)))
		ap, loads = st.varPlan(args, &lbuf)
	}
	f.AL = ap.al
	if ap.needScratch {
		sc = getScratch(st)
	}
	stk := words[:]
	if ap.nstack > 0 {
		if ap.nstack > stackWords {
			stk = sc.words(ap.nstack)
		}
		f.Stack, f.NStack = &stk[0], uintptr(ap.nstack)
	}
	for i := range ap.ops {
		st.argOp(&ap.ops[i], &f, stk, sc, b, sa, p)
	}
	if args != nil {
		st.placeVarargs(&f, stk, sc, ap, args, loads)
	}
	if ap.sret {
		place(&f, stk, &ap.sretDst, uint64(uintptr(sc.at(ap.sretOff))))
	}
	// The opt-in pointer check (Config.CheckPointer): one branch when off.
	if st.checks != nil {
		st.runChecks(p)
	}
	if st.errno {
		f.Flags = downcall.FlagErrno
	}
	switch st.mode {
	case modeCall:
		downcall.CallLocal(&f)
	case modeLeaf:
		downcall.CallLeaf(&f, st.cfg.Leaf)
	default:
		echo(&f)
	}
	for i := range st.res {
		st.resOp(&st.res[i], &f, sc, b, sa, &r)
	}
	for _, k := range st.keeps {
		r[k.slot] = *(*unsafe.Pointer)(unsafe.Add(sa, k.off))
	}
	if sc != nil {
		putScratch(sc)
	}
	keepAlive(p)
	return r
}

// argOp places one argument op into f (and the C stack words stk, or the
// scratch buffer sc).
func (st *state) argOp(o *op, f *downcall.Frame, stk []uint64, sc *scratch, b *block, sa unsafe.Pointer, p *ptrArgs) {
	switch o.kind {
	case opIntGPR:
		f.GPR[o.di] = extend(b.Int[o.src.idx], o.ext, o.signed)
	case opFloatFPR:
		f.FPR[o.di] = extend(b.Float[o.src.idx], o.ext, false)
	case opPtrGPR:
		f.GPR[o.di] = uint64(uintptr(p[o.src.idx]))
	case opWord:
		deposit(f, stk, sc, o, extend(loadSrc(b, sa, p, o.src), o.ext, o.signed))
	case opCopy:
		from := unsafe.Add(sa, o.src.idx)
		switch o.dst {
		case dstStack:
			copy(unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(&stk[0]), o.di)), o.n), unsafe.Slice((*byte)(from), o.n))
		case dstScratch:
			copy(sc.fix[o.di:o.di+o.n], unsafe.Slice((*byte)(from), o.n))
		default:
			place(f, stk, o, loadN(from, int(o.n)))
		}
	case opString:
		n := loadSrc(b, sa, p, o.aux)
		place(f, stk, o, uint64(sc.cstring(p[o.src.idx], int(n))))
	case opSlice:
		var w uint64
		if loadSrc(b, sa, p, o.aux) > 0 {
			w = uint64(uintptr(p[o.src.idx]))
		}
		place(f, stk, o, w)
	case opCallback:
		var w uintptr
		if cb := p[o.src.idx]; cb != nil {
			var err error
			if w, err = st.cfg.Callback(cb, o.ct); err != nil {
				panic(&CallError{Name: st.name, Err: err})
			}
		}
		place(f, stk, o, uint64(w))
	case opAddr:
		place(f, stk, o, uint64(uintptr(sc.at(int(o.n)))))
	}
}

// resOp moves one result op from f (or the scratch buffer sc) into the Go
// results: the block, the caller's result area sa, or r.
func (st *state) resOp(o *rop, f *downcall.Frame, sc *scratch, b *block, sa unsafe.Pointer, r *ptrResults) {
	switch o.kind {
	case ropWord:
		var w uint64
		switch o.csrc {
		case cGPR:
			w = f.RetGPR[o.ci]
		case cFPR:
			w = f.RetFPR[o.ci]
		default:
			w = loadN(sc.at(int(o.ci)), int(o.n))
		}
		w = extend(w>>o.shift, o.ext, o.signed)
		switch o.dst {
		case goInt:
			b.Int[o.di] = w
		case goFloat:
			b.Float[o.di] = w
		case goPtr:
			r[o.di] = w2p(w)
			b.Int[o.di] = 0
		default:
			storeN(unsafe.Add(sa, o.di), w, int(o.n))
		}
	case ropMem:
		var from unsafe.Pointer
		switch o.csrc {
		case cGPR:
			from = unsafe.Pointer(&f.RetGPR[o.ci])
		case cFPR:
			from = unsafe.Pointer(&f.RetFPR[o.ci])
		default:
			from = sc.at(int(o.ci))
		}
		copy(unsafe.Slice((*byte)(unsafe.Add(sa, o.di)), o.n), unsafe.Slice((*byte)(from), o.n))
	case ropString:
		s := downcall.GoString(uintptr(f.RetGPR[o.ci]))
		r[o.di] = unsafe.Pointer(unsafe.StringData(s))
		b.Int[o.di] = 0
		b.Int[o.di+1] = uint64(len(s))
	case ropErrno:
		var err error
		if e := f.Errno; e != 0 {
			err = syscall.Errno(e)
		}
		w := (*[2]unsafe.Pointer)(unsafe.Pointer(&err))
		r[o.di], r[o.di+1] = w[0], w[1]
		b.Int[o.di], b.Int[o.di+1] = 0, 0
	}
}

// keepAlive marks the pointer arguments live until the call is over: the
// C function may use any of them until then.
//
//go:noinline
func keepAlive(*ptrArgs) {}

// extend keeps the low 64-ext bits of w, sign-extended if signed.
func extend(w uint64, ext uint8, signed bool) uint64 {
	ext &= 63
	w <<= ext
	if signed {
		return uint64(int64(w) >> ext)
	}
	return w >> ext
}

// loadSrc reads the Go word s names.
func loadSrc(b *block, sa unsafe.Pointer, p *ptrArgs, s src) uint64 {
	switch s.kind {
	case srcInt:
		return b.Int[s.idx]
	case srcFloat:
		return b.Float[s.idx]
	case srcPtr:
		return uint64(uintptr(p[s.idx]))
	}
	return loadN(unsafe.Add(sa, s.idx), int(s.size))
}

// loadN reads n (1..8) little-endian bytes at a.
func loadN(a unsafe.Pointer, n int) uint64 {
	switch n {
	case 1:
		return uint64(*(*uint8)(a))
	case 2:
		return uint64(*(*uint16)(a))
	case 4:
		return uint64(*(*uint32)(a))
	case 8:
		return *(*uint64)(a)
	}
	var w uint64
	copy(unsafe.Slice((*byte)(unsafe.Pointer(&w)), n), unsafe.Slice((*byte)(a), n))
	return w
}

// storeN writes the low n (1..8) bytes of w at a.
func storeN(a unsafe.Pointer, w uint64, n int) {
	switch n {
	case 1:
		*(*uint8)(a) = uint8(w)
	case 2:
		*(*uint16)(a) = uint16(w)
	case 4:
		*(*uint32)(a) = uint32(w)
	case 8:
		*(*uint64)(a) = w
	default:
		copy(unsafe.Slice((*byte)(a), n), unsafe.Slice((*byte)(unsafe.Pointer(&w)), n))
	}
}

// place stores a whole C word into o's register or stack slot.
func place(f *downcall.Frame, stk []uint64, o *op, w uint64) {
	switch o.dst {
	case dstGPR:
		f.GPR[o.di] = w
	case dstFPR:
		f.FPR[o.di] = w
	default:
		stk[o.di/8] = w
	}
}

// deposit merges a piece of an aggregate (or a whole scalar) into o's
// destination.
func deposit(f *downcall.Frame, stk []uint64, sc *scratch, o *op, w uint64) {
	switch o.dst {
	case dstGPR:
		f.GPR[o.di] |= w << (o.shift & 63)
	case dstFPR:
		f.FPR[o.di] |= w << (o.shift & 63)
	case dstStack:
		storeN(unsafe.Add(unsafe.Pointer(&stk[0]), o.di), w, int(o.n))
	default:
		storeN(sc.at(int(o.di)), w, int(o.n))
	}
}

// w2p turns a C word into a pointer (C memory, or Go memory C was given).
func w2p(w uint64) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(&w))
}

// CallError is the panic value of a call whose arguments cannot be passed.
type CallError struct {
	Name string // the C function
	Err  error
}

func (e *CallError) Error() string { return "ffi: call " + e.Name + ": " + e.Err.Error() }

// Unwrap returns the reason.
func (e *CallError) Unwrap() error { return e.Err }

// dispatch and trampoline are used only from assembly; these references
// tell tools that read Go alone (staticcheck's unused check) that they are
// used.
var _, _ = dispatch, trampoline
