//go:build amd64 || arm64

package upcall

import (
	"math"
	"reflect"
	"runtime"
	"sync"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/goabi"
	"github.com/seed5ca82032/ffi/internal/mcode"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// Compiled movers (stub.Mover): for a callback shape whose moves are all
// plain loads (integers of every width, floats, doubles, pointers, structs
// of them in registers or on the C stack) and plain result stores, two
// pieces of machine code made once per shape do what fill, callGo's
// register loads and the result stores would do at every call: the
// argument mover loads Go's argument registers and outgoing stack words
// straight from the frame and the C caller's stack, extending each value,
// and the result mover stores Go's result registers straight into the
// frame. callMoved (callmoved_*.s) calls the argument mover, the Go func
// and the result mover, so a call costs about what the cgo //export path
// costs per argument: one load, and one store or none.
//
// The movers are called from callMoved, an assembly function with Go
// metadata, and call nothing themselves: while one runs, nothing can scan
// or move the goroutine's stack, so it needs no metadata of its own. The
// pointers among the arguments are in registers or in callMoved's outgoing
// area from the mover's first store to the Go func's entry, with no safe
// point in between; from then on the Go func's own argument maps describe
// them, as for any Go call.

// callMoved calls the Go func fn with the argument mover in and the result
// mover out, both reading or writing the frame f (callmoved_*.s).
//
//go:noescape
func callMoved(fn unsafe.Pointer, f *cframe, in, out uintptr)

// invokeMoved is the invoker of a shape with movers (shape.moverIn/Out).
func invokeMoved(b *binding, f *cframe) {
	sh := b.shape
	callMoved(b.fnv, f, sh.moverIn, sh.moverOut)
}

// moverTables returns sh's argument and result moves as movers, or ok
// false if some move is not a plain load or store (a read through a
// pointer, a byte copy, a string, a stack-assigned or memory result), or
// if the outgoing words do not fit callMoved's frame.
func (sh *shape) moverTables(outWords int) (in, out stub.Mover, ok bool) {
	if int(sh.blockWords) > outWords || sh.sret {
		return in, out, false
	}
	in.StackArgs = int32(unsafe.Offsetof(cframe{}.stackArgs))
	for _, m := range sh.moves {
		mv := stub.GoMove{From: stub.Loc{Kind: stub.Base, N: int32(m.src)}, Size: m.n, Signed: m.signed && m.n < 8}
		switch {
		case m.from == fromStack:
			mv.From.Kind = stub.Stack
		case m.from != fromFrame:
			return in, out, false
		}
		if m.sh != 64-8*m.n {
			return in, out, false
		}
		switch {
		case m.op == mvReg && m.dst < goInts:
			mv.To = stub.Loc{Kind: stub.GPR, N: int32(m.dst)}
		case m.op == mvReg:
			mv.To, mv.Signed = stub.Loc{Kind: stub.FPR, N: int32(m.dst - goInts)}, false
		case m.op == mvWord:
			mv.To, mv.Store = stub.Loc{Kind: stub.Out, N: int32(m.dst)}, m.gsize
		default:
			return in, out, false
		}
		in.Moves = append(in.Moves, mv)
	}
	for _, m := range sh.rmoves {
		from := stub.Loc{Kind: stub.GPR, N: int32(m.src)}
		if m.float {
			from.Kind = stub.FPR
		}
		mv := stub.GoMove{From: from, To: stub.Loc{Kind: stub.Base, N: int32(m.dst)}, Size: m.n}
		switch {
		case m.op == rvLeaf:
			// n bytes of a struct's register image.
		case m.op != rvScalar || m.sh != 64-8*m.n:
			return in, out, false
		case m.isBool:
			// C's _Bool: Go's bool is 0 or 1 in the low byte, which is
			// widened as it is. A bool forged through unsafe with another
			// byte (which Go's own compiled code misreads too) reaches C
			// as that byte, where the Go moves (boolBit) would give 1.
			mv.Size, mv.Extend = 1, true
		case m.n >= 4 || m.float:
			// C reads only the low 32 bits of a 32-bit result register
			// (w0, eax, s0, the low lane of xmm0), whatever the rest holds,
			// on all three ABIs: the register is stored whole.
			mv.Size = 8
		default:
			// A char or short: C callers read it widened to 32 bits.
			mv.Extend, mv.Signed = true, m.signed
		}
		out.Moves = append(out.Moves, mv)
	}
	return in, out, true
}

// compileMovers gives sh movers and sets its invoker to invokeMoved, if
// movers work on this toolchain (moversOK) and sh's moves are all plain,
// and reports whether it did; otherwise it leaves sh as it is.
func (sh *shape) compileMovers() bool {
	return moversOK() && sh.placeMovers()
}

// placeMovers makes and places sh's movers and sets its invoker to
// invokeMoved, or leaves sh as it is if its moves are not all plain or
// the code cannot be made. Every shape of the same moves, in any proto
// or Scope, runs the same code: mcode.Place places each piece once.
func (sh *shape) placeMovers() bool {
	enc, outWords := moverArch()
	in, out, ok := sh.moverTables(outWords)
	if !ok {
		return false
	}
	inCode, err := enc(nil, &in)
	if err != nil {
		return false
	}
	outCode, err := enc(inCode, &out)
	if err != nil {
		return false
	}
	addr, err := mcode.Place(outCode)
	if err != nil {
		return false
	}
	sh.moverIn, sh.moverOut = addr, addr+uintptr(len(inCode))
	sh.inv = invokeMoved
	return true
}

// moversOK reports whether a call through movers delivers the arguments
// and the result correctly on this toolchain, decided once, at the first
// general shape, by calling moverProbe through movers made from a
// signature of every kind of plain move (integer and floating-point
// registers from the frame and from the C stack, 32-bit integers of both
// signs, a byte and a half-word, a float, Go stack words) and comparing
// with a direct call, as fastcheck.go does for the Go moves.
var moversOK = sync.OnceValue(func() bool {
	var (
		i64 = reflect.TypeFor[int64]()
		i8  = reflect.TypeFor[int8]()
		u16 = reflect.TypeFor[uint16]()
		i32 = reflect.TypeFor[int32]()
		u32 = reflect.TypeFor[uint32]()
		f64 = reflect.TypeFor[float64]()
		f32 = reflect.TypeFor[float32]()
	)
	ft := reflect.TypeOf(moverProbe)
	sig := &convert.Sig{Go: ft, Result: &convert.Value{Kind: convert.Int, Go: i64, Size: 8, Signed: true}}
	plan := &abi.Plan{Result: abi.Value{Parts: []abi.Part{{Loc: abi.GPR, Size: 8}}}}
	stack := make([]uint64, 32)
	f := &cframe{stackArgs: unsafe.Pointer(&stack[0])}
	ngpr, nfpr, nstack := 0, 0, 0
	for i := range ft.NumIn() {
		v := convert.Value{Go: ft.In(i), Size: int(ft.In(i).Size())}
		bits := uint64(0x8000_0000 | 0x1111_0000_0000*uint64(i+1) | uint64(i))
		switch v.Go {
		case i64, i32, i8:
			v.Kind, v.Signed = convert.Int, true
		case u32, u16:
			v.Kind = convert.Int
		case f64:
			v.Kind, v.GoFloat, bits = convert.Double, true, math.Float64bits(float64(i)+0.25)
		case f32:
			v.Kind, v.GoFloat, bits = convert.Float, true, uint64(math.Float32bits(float32(i)+0.5))|0xdead_0000_0000
		}
		sig.Params = append(sig.Params, v)
		part := abi.Part{Loc: abi.Stack, Index: 8 * nstack, Size: v.Size}
		switch {
		case v.GoFloat && nfpr < 4:
			part.Loc, part.Index = abi.FPR, nfpr
			f.fpr[nfpr], nfpr = bits, nfpr+1
		case !v.GoFloat && ngpr < 4:
			part.Loc, part.Index = abi.GPR, ngpr
			f.gpr[ngpr], ngpr = bits, ngpr+1
		default:
			stack[nstack], nstack = bits, nstack+1
		}
		plan.Args = append(plan.Args, abi.Value{Parts: []abi.Part{part}})
	}
	gf, err := goabi.Assign(ft, goabi.Regs{Int: archGoInts, Float: archGoFloats})
	if err != nil {
		return false
	}
	sh, ok := compileMoves(sig, plan, gf, goInts)
	if !ok {
		return false
	}
	sh.resultsWord, sh.blockWords = uint32(gf.ResultsOff/8), uint32((gf.ResultsOff+gf.ResultBytes)/8)
	if !sh.placeMovers() {
		return false
	}
	fn := any(moverProbe)
	invokeMoved(&binding{fnv: funcValue(fn), fn: fn, shape: sh}, f)
	runtime.KeepAlive(stack)
	// The direct call, with the arguments as C's conversions make them.
	var args []reflect.Value
	for i, p := range plan.Args {
		var w uint64
		switch pt := p.Parts[0]; pt.Loc {
		case abi.GPR:
			w = f.gpr[pt.Index]
		case abi.FPR:
			w = f.fpr[pt.Index]
		default:
			w = stack[pt.Index/8]
		}
		args = append(args, reflect.NewAt(ft.In(i), unsafe.Pointer(&w)).Elem())
	}
	return f.retGPR[0] == uint64(reflect.ValueOf(moverProbe).Call(args)[0].Int())
})

// moverProbe is the func moversOK calls: more arguments of each class
// than Go's registers hold on either architecture (the last ones go to Go
// stack words), each weighed differently in the result.
//
//go:noinline
func moverProbe(a int64, b int32, c uint32, ii int32, jj uint32, kk int8, ll uint16, x float64, y float32, hh float32,
	d, e, f, g, h, i, j, k, l, m, n, o, p, q int64, r, s, t, u, v, w, xx, yy, z, aa, bb, cc, dd, ee, ff, gg float64) int64 {
	sum := a - 2*int64(b) + 3*int64(c) + int64(x*4) + int64(y*8)
	for idx, w := range [...]int64{d, e, f, g, h, i, j, k, l, m, n, o, p, q} {
		sum += int64(idx+5) * w
	}
	for idx, w := range [...]float64{r, s, t, u, v, w, xx, yy, z, aa, bb, cc, dd, ee, ff, gg} {
		sum += int64(float64(idx+7) * w)
	}
	return sum + int64(hh*16) - 11*int64(ii) + 13*int64(jj) + 17*int64(kk) - 19*int64(ll)
}
