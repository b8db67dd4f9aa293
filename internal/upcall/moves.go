package upcall

import (
	"math"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/goabi"
)

// The general fast path: any signature whose Go func the register model
// (package goabi) can place, structs and unions by value and char * as Go string
// included. A callback's shape is compiled into moves, each taking C bytes
// from the frame (register images), the caller's stack or memory a register
// points to, and putting them where Go's register ABI wants them: an
// argument register of the call or the block of stack-assigned arguments
// (callgo.go). Result moves do the reverse, into the result registers of the
// frame or the caller's buffer (a result returned in memory).

// Number of argument (and result) registers the general call (callgo.go)
// loads and stores, in each class: all of ABIInternal's on the
// architecture (amd64: 9 and 15; arm64: 16 and 16).
const (
	goInts   = archGoInts
	goFloats = archGoFloats
	goRegsN  = goInts + goFloats
)

// The small general erased call: for register-only signatures of at most
// smallInts and smallFloats argument registers and smallResInts and
// smallResFloats result registers, which is most of them (invokeSmall).
const (
	smallInts      = 6
	smallFloats    = 4
	smallResInts   = 2
	smallResFloats = 4
)

// strKeep holds the Go strings made for a call's char * parameters, typed,
// so the garbage collector keeps them until the Go func has them in its own
// frame (the call passes them as integers).
type strKeep [maxStrings]string

const maxStrings = 4

// Where a move finds its C bytes.
const (
	fromFrame uint8 = 0 // byte offset from the frame
	fromStack uint8 = 1 // byte offset from the caller's first stack argument
	fromRef   uint8 = 2 // flag: the word found is a pointer; add sub to it
)

// What a move does.
const (
	mvReg    uint8 = iota // load, extend, to argument register dst
	mvWord                // load, extend, store gsize bytes at stack block offset dst
	mvCopy                // copy n bytes to stack block offset dst
	mvString              // load a char *, make a Go string, put it in registers dst, dst+1 (or at block offset dst)
)

// move is one step of filling the call's arguments.
type move struct {
	op     uint8
	from   uint8
	n      uint8 // C bytes loaded (mvReg, mvWord)
	sh     uint8 // 64 - 8*n: the extension shift
	signed bool
	stack  bool   // mvString: the Go string is stack-assigned
	gsize  uint8  // mvWord: Go bytes stored
	keep   uint8  // mvString: index in strKeep
	src    uint32 // byte offset (see from)
	sub    uint32 // fromRef: byte offset added to the loaded pointer
	dst    uint32 // register index (integers 0.., floats goInts..), or stack block byte offset
	size   uint32 // mvCopy: bytes copied
}

// addr returns the address of the move's C bytes.
func (m *move) addr(f *cframe) unsafe.Pointer {
	base := unsafe.Pointer(f)
	if m.from&fromStack != 0 {
		base = f.stackArgs
	}
	p := unsafe.Add(base, m.src)
	if m.from&fromRef != 0 {
		p = unsafe.Add(*(*unsafe.Pointer)(p), m.sub)
	}
	return p
}

// loadN reads an n-byte little-endian value at p (n is 1, 2, 4 or 8),
// never touching the bytes after it.
func loadN(p unsafe.Pointer, n uint8) uint64 {
	switch n {
	case 1:
		return uint64(*(*uint8)(p))
	case 2:
		return uint64(*(*uint16)(p))
	case 4:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}

// storeN writes the low n bytes of w at p (n is 1, 2, 4 or 8).
func storeN(p unsafe.Pointer, w uint64, n uint8) {
	switch n {
	case 1:
		*(*uint8)(p) = uint8(w)
	case 2:
		*(*uint16)(p) = uint16(w)
	case 4:
		*(*uint32)(p) = uint32(w)
	default:
		*(*uint64)(p) = w
	}
}

// ext extends the low bytes of w as the move says.
func (m *move) ext(w uint64) uint64 { return extend(w, m.sh, m.signed) }

// extend extends the low 64-sh bits of w to 64 bits, with their sign if
// signed (C's conversion of a narrower integer; sh is 0 for 8-byte words).
func extend(w uint64, sh uint8, signed bool) uint64 {
	sh &= 63 // tells the compiler the shift is in range: no overflow checks
	w <<= sh
	if signed {
		return uint64(int64(w) >> sh)
	}
	return w >> sh
}

// fill runs the argument moves of one call: registers into r (integer ones
// first, then floating-point ones, as compileMoves numbered them),
// stack-assigned arguments into the block at blk, Go strings into keep.
func (sh *shape) fill(f *cframe, r []uint64, blk unsafe.Pointer, keep *strKeep) {
	for i := range sh.moves {
		m := &sh.moves[i]
		p := m.addr(f)
		switch m.op {
		case mvReg:
			r[m.dst] = m.ext(loadN(p, m.n))
		case mvWord:
			storeN(unsafe.Add(blk, m.dst), m.ext(loadN(p, m.n)), m.gsize)
		case mvCopy:
			copyBytes(unsafe.Add(blk, m.dst), p, int(m.size))
		case mvString:
			s := downcall.GoString(*(*uintptr)(p))
			keep[m.keep%maxStrings] = s
			ptr, n := uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))), uint64(len(s))
			if m.stack {
				*(*[2]uint64)(unsafe.Add(blk, m.dst)) = [2]uint64{ptr, n}
			} else {
				r[m.dst], r[m.dst+1] = ptr, n
			}
		}
	}
}

// What a result move does.
const (
	rvScalar uint8 = iota // Go result register src, converted as C's scalar result, to the frame word dst
	rvLeaf                // Go result register src, n bytes, to dst
	rvCopy                // n bytes from the stack-assigned results at src to dst
)

// rmove is one step of storing the call's results.
type rmove struct {
	op     uint8
	n      uint8  // rvLeaf: bytes; rvScalar: C bytes
	sh     uint8  // rvScalar: 64 - 8*n
	signed bool   // rvScalar
	isBool bool   // rvScalar: C _Bool
	float  bool   // source is a floating-point result register
	sret   bool   // dst is an offset in the caller's result buffer, not in the frame
	src    uint32 // result register number in its class, or byte offset in the stack-assigned results
	dst    uint32
	size   uint32 // rvCopy
}

// store runs the result moves: ri and rf hold the result registers of the
// call, out its stack-assigned results.
func (sh *shape) store(f *cframe, ri []uint64, rf []float64, out unsafe.Pointer) {
	base := unsafe.Pointer(f)
	if sh.sret {
		buf := *(*unsafe.Pointer)(unsafe.Add(base, sh.sretOff))
		f.retGPR[0] = uint64(uintptr(buf))
		base = buf
	}
	for i := range sh.rmoves {
		m := &sh.rmoves[i]
		var w uint64
		if m.op != rvCopy {
			if m.float {
				w = math.Float64bits(rf[m.src])
			} else {
				w = ri[m.src]
			}
		}
		dst := unsafe.Add(base, m.dst)
		switch m.op {
		case rvScalar:
			if m.isBool {
				w = boolBit(w)
			}
			*(*uint64)(dst) = extend(w, m.sh, m.signed)
		case rvLeaf:
			storeN(dst, w, m.n)
		case rvCopy:
			copyBytes(dst, unsafe.Add(out, m.src), int(m.size))
		}
	}
}

// partSource returns where the bytes of part p are: the frame offset of
// its register image, or its offset from the first stack argument.
func partSource(p abi.Part) (src uint32, from uint8) {
	switch p.Loc {
	case abi.GPR:
		return uint32(unsafe.Offsetof(cframe{}.gpr)) + uint32(8*p.Index), fromFrame
	case abi.FPR:
		return uint32(unsafe.Offsetof(cframe{}.fpr)) + uint32(8*p.Index), fromFrame
	}
	return uint32(p.Index), fromStack
}

// resultDest returns the frame offset of result part p's register image.
func resultDest(p abi.Part) uint32 {
	if p.Loc == abi.FPR {
		return uint32(unsafe.Offsetof(cframe{}.retFPR)) + uint32(8*p.Index)
	}
	return uint32(unsafe.Offsetof(cframe{}.retGPR)) + uint32(8*p.Index)
}

// leafSource finds the C bytes of the Go leaf at [off, off+size) of value
// val: the part holding them, or the memory a by-reference pointer points
// to. ok is false when no single part holds them.
func leafSource(val *abi.Value, off, size int) (src, sub uint32, from uint8, ok bool) {
	if val.ByRef {
		src, from = partSource(val.Parts[0])
		return src, uint32(off), from | fromRef, true
	}
	for _, p := range val.Parts {
		if p.Offset <= off && off+size <= p.Offset+p.Size {
			src, from = partSource(p)
			return src + uint32(off-p.Offset), 0, from, true
		}
	}
	return 0, 0, 0, false
}

// extMove is the load-and-extend of an n-byte C value.
func extMove(n int, signed bool) move {
	return move{n: uint8(n), sh: uint8(64 - 8*n), signed: signed}
}

// compileMoves builds the moves of a signature whose Go func is placed as
// gf, numbering the floating-point argument registers from floatBase in
// fill's register array, or reports that some value cannot be moved this
// way.
func compileMoves(sig *convert.Sig, plan *abi.Plan, gf *goabi.Frame, floatBase int) (sh *shape, ok bool) {
	sh = &shape{}
	regIndex := func(l goabi.Piece) uint32 {
		if l.Loc == goabi.Float {
			return uint32(floatBase + l.Index)
		}
		return uint32(l.Index)
	}
	nstr := 0
	for i := range sig.Params {
		v, val, gp := &sig.Params[i], &plan.Args[i], &gf.Params[i]
		switch v.Kind {
		case convert.Int, convert.Bool, convert.Float, convert.Double:
			if val.ByRef || len(val.Parts) != 1 {
				return nil, false
			}
			m := extMove(v.Size, v.Signed && v.Kind == convert.Int)
			m.src, m.from = partSource(val.Parts[0])
			if gp.Stack {
				m.op, m.dst, m.gsize = mvWord, uint32(gp.Pieces[0].Index), uint8(v.Go.Size())
			} else {
				m.op, m.dst = mvReg, regIndex(gp.Pieces[0])
			}
			sh.moves = append(sh.moves, m)
		case convert.String:
			if val.ByRef || len(val.Parts) != 1 || nstr == maxStrings {
				return nil, false
			}
			m := move{op: mvString, keep: uint8(nstr)}
			nstr++
			m.src, m.from = partSource(val.Parts[0])
			if gp.Stack {
				m.stack, m.dst = true, uint32(gp.Pieces[0].Index)
			} else {
				m.dst = regIndex(gp.Pieces[0])
			}
			sh.moves = append(sh.moves, m)
		case convert.Memory:
			if gp.Stack {
				off := gp.Pieces[0].Index
				if val.ByRef {
					src, from := partSource(val.Parts[0])
					sh.moves = append(sh.moves, move{op: mvCopy, src: src, from: from | fromRef, dst: uint32(off), size: uint32(v.Size)})
					continue
				}
				for _, p := range val.Parts {
					src, from := partSource(p)
					sh.moves = append(sh.moves, move{op: mvCopy, src: src, from: from, dst: uint32(off + p.Offset), size: uint32(p.Size)})
				}
				continue
			}
			for _, l := range gp.Pieces {
				src, sub, from, ok := leafSource(val, l.Offset, l.Size)
				if !ok {
					return nil, false
				}
				m := extMove(l.Size, l.Signed)
				m.op, m.src, m.sub, m.from, m.dst = mvReg, src, sub, from, regIndex(l)
				sh.moves = append(sh.moves, m)
			}
		default:
			return nil, false
		}
	}
	if plan.SRet {
		sh.sret = true
		src, from := partSource(plan.SRetPart)
		if from != fromFrame {
			return nil, false
		}
		sh.sretOff = src
	}
	r := sig.Result
	if r == nil {
		return sh, true
	}
	gr := &gf.Results[0]
	switch r.Kind {
	case convert.Int, convert.Bool, convert.Float, convert.Double:
		if plan.SRet || gr.Stack || len(plan.Result.Parts) != 1 {
			return nil, false
		}
		size := r.Size
		if gs := int(r.Go.Size()); gs < size {
			size = gs
		}
		l := gr.Pieces[0]
		sh.rmoves = append(sh.rmoves, rmove{op: rvScalar, n: uint8(size), sh: uint8(64 - 8*size),
			signed: r.Signed && r.Kind == convert.Int, isBool: r.Kind == convert.Bool,
			float: l.Loc == goabi.Float, src: uint32(l.Index), dst: resultDest(plan.Result.Parts[0])})
	case convert.Memory:
		if gr.Stack {
			off := gr.Pieces[0].Index - gf.ResultsOff
			if plan.SRet {
				sh.rmoves = append(sh.rmoves, rmove{op: rvCopy, src: uint32(off), sret: true, size: uint32(r.Size)})
				break
			}
			for _, p := range plan.Result.Parts {
				sh.rmoves = append(sh.rmoves, rmove{op: rvCopy, src: uint32(off + p.Offset), dst: resultDest(p), size: uint32(p.Size)})
			}
			break
		}
		for _, l := range gr.Pieces {
			m := rmove{op: rvLeaf, n: uint8(l.Size), float: l.Loc == goabi.Float, src: uint32(l.Index)}
			if plan.SRet {
				m.sret, m.dst = true, uint32(l.Offset)
			} else {
				found := false
				for _, p := range plan.Result.Parts {
					if p.Offset <= l.Offset && l.Offset+l.Size <= p.Offset+p.Size {
						m.dst, found = resultDest(p)+uint32(l.Offset-p.Offset), true
						break
					}
				}
				if !found {
					return nil, false
				}
			}
			sh.rmoves = append(sh.rmoves, m)
		}
	default:
		return nil, false
	}
	return sh, true
}

// prepareGeneral places sig's Go func by the register model and picks the
// general invoker for its stack block, or reports that the signature needs
// the reflection path.
func prepareGeneral(sig *convert.Sig, plan *abi.Plan) (*shape, bool) {
	if !fastPathOK {
		return nil, false
	}
	gf, err := goabi.Assign(sig.Go, goabi.Regs{Int: archGoInts, Float: archGoFloats})
	if err != nil {
		return nil, false
	}
	return compileGeneral(sig, plan, gf, true)
}

// compileGeneral compiles the moves of sig placed as gf and picks the
// invoker: invokeMoved if movers is set and the shape can have them
// (mover.go), else invokeSmall when the registers allow, else the general
// invoker of its stack blocks. The start-up check (fastcheck.go) passes
// movers false: it checks the Go moves, and a program that never makes a
// callback maps no code for movers.
func compileGeneral(sig *convert.Sig, plan *abi.Plan, gf *goabi.Frame, movers bool) (*shape, bool) {
	if gf.Ints > goInts || gf.Floats > goFloats || gf.ResultInts > goInts || gf.ResultFloats > goFloats {
		return nil, false // registers callGo does not load
	}
	// full compiles the moves numbered for all of Go's registers, as
	// movers and the block invokers take them.
	full := func() (*shape, bool) {
		sh, ok := compileMoves(sig, plan, gf, goInts)
		if ok {
			sh.resultsWord, sh.blockWords = uint32(gf.ResultsOff/8), uint32((gf.ResultsOff+gf.ResultBytes)/8)
		}
		return sh, ok
	}
	var sh *shape
	ok := false
	if movers {
		if sh, ok = full(); ok && sh.compileMovers() {
			return sh, true
		}
	}
	strings := false
	for i := range sig.Params {
		strings = strings || sig.Params[i].Kind == convert.String
	}
	if gf.ResultsOff == 0 && gf.ResultBytes == 0 && !strings && gf.Ints <= smallInts && gf.Floats <= smallFloats &&
		gf.ResultInts <= smallResInts && gf.ResultFloats <= smallResFloats {
		small, ok := compileMoves(sig, plan, gf, smallInts)
		if ok {
			small.inv = invokeSmall
		}
		return small, ok
	}
	if !ok {
		if sh, ok = full(); !ok {
			return nil, false
		}
	}
	if sh.inv = generalInvoker(int(sh.blockWords)); sh.inv == nil {
		return nil, false
	}
	return sh, true
}

// smallErased is the register shape of the small general erased call
// (invokeSmall): smallInts integer and smallFloats floating-point argument
// registers, smallResInts and smallResFloats result registers (see
// erasedFunc).
type smallErased func(i0, i1, i2, i3, i4, i5 uint64, f0, f1, f2, f3 float64) (uint64, uint64, float64, float64, float64, float64)

// invokeSmall calls a register-only Go func through the small erased call.
func invokeSmall(b *binding, f *cframe) {
	var r [smallInts + smallFloats]uint64
	sh := b.shape
	sh.fill(f, r[:], nil, nil)
	var ri [smallResInts]uint64
	var rf [smallResFloats]float64
	ri[0], ri[1], rf[0], rf[1], rf[2], rf[3] = (*(*smallErased)(unsafe.Pointer(&b.fnv)))(
		r[0], r[1], r[2], r[3], r[4], r[5], fb(r[6]), fb(r[7]), fb(r[8]), fb(r[9]))
	sh.store(f, ri[:], rf[:], nil)
}

// generalInvoker returns the general invoker whose block holds w words
// (callgo.go), or nil if none does.
func generalInvoker(w int) func(*binding, *cframe) {
	for _, c := range blockInvokers {
		if c.words >= w {
			return c.inv
		}
	}
	return nil
}

// sized is a general invoker and the block words it provides.
type sized struct {
	words int
	inv   func(*binding, *cframe)
}
