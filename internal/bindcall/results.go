package bindcall

import (
	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/goabi"
)

// C-side sources of result ops.
const (
	cGPR  uint8 = iota + 1 // f.RetGPR[ci]
	cFPR                   // f.RetFPR[ci]
	cSret                  // scratch memory at byte ci
)

// Go-side destinations of result ops.
const (
	goInt   uint8 = iota + 1 // b.Int[di]
	goFloat                  // b.Float[di]
	goPtr                    // r[di] (a pointer word in integer register di)
	goStack                  // n bytes at sa+di (the caller's result area)
)

// Result op kinds.
const (
	ropWord   uint8 = iota + 1 // a C word (or piece of one), extended, into dst
	ropMem                     // n bytes of the C result at byte off into goStack
	ropString                  // a C char * result copied to a Go string
	ropErrno                   // the error result from errno
)

// rop moves (part of) the C result into the Go results.
type rop struct {
	kind   uint8
	csrc   uint8
	ci     int32
	shift  uint8 // bit position of the piece in the C word
	ext    uint8
	signed bool
	dst    uint8
	di     int32
	n      int32
}

// keepWord names a pointer word of the caller's result area that dispatch
// also returns in r[slot].
type keepWord struct {
	off, slot int32
}

// goDst is where the Go result piece at byte off of gv goes.
func goDst(gv goabi.Value, off int) (uint8, int32, error) {
	if gv.Stack {
		return goStack, int32(gv.Pieces[0].Index + off), nil
	}
	for _, p := range gv.Pieces {
		if p.Offset != off {
			continue
		}
		switch {
		case p.Loc == goabi.Float:
			return goFloat, int32(p.Index), nil
		case p.Ptr && p.Index >= maxPtrResults:
			return 0, 0, errfmt.Errorf("Go result type %v has a pointer word in result register %d; at most %d are supported", gv.Type, p.Index+1, maxPtrResults)
		case p.Ptr:
			return goPtr, int32(p.Index), nil
		}
		return goInt, int32(p.Index), nil
	}
	return 0, 0, errfmt.Errorf("no Go result word at offset %d of %v", off, gv.Type)
}

func cSrc(p abi.Part) (uint8, int32) {
	if p.Loc == abi.FPR {
		return cFPR, int32(p.Index)
	}
	return cGPR, int32(p.Index)
}

// buildResults turns the C result (and the errno result) into ops.
func (st *state) buildResults(gr []goabi.Value) error {
	sig, plan := st.cfg.Sig, st.basePlan
	// Pointer words of stack-assigned results are also kept in the typed
	// results r[k] of dispatch for integer registers k that carry no
	// result (the trampoline ORs them into registers the caller ignores):
	// the caller's result area is not scanned until the call returns.
	used := 0
	for _, gv := range gr {
		for _, p := range gv.Pieces {
			if p.Loc == goabi.Int {
				used = max(used, p.Index+1)
			}
		}
	}
	for _, gv := range gr {
		if !gv.Stack {
			continue
		}
		for _, off := range gv.PtrWords {
			if used == maxPtrResults {
				return errfmt.Errorf("Go results hold too many pointer words (at most %d)", maxPtrResults)
			}
			st.keeps = append(st.keeps, keepWord{off: int32(gv.Pieces[0].Index + off), slot: int32(used)})
			used++
		}
	}
	next := 0
	if cv := sig.Result; cv != nil {
		gv := gr[0]
		next = 1
		switch cv.Kind {
		case convert.Int, convert.Bool, convert.Float, convert.Double:
			r := rop{kind: ropWord, n: int32(gv.Type.Size())}
			r.csrc, r.ci = cSrc(plan.Result.Parts[0])
			if cv.Size < 8 {
				r.ext = uint8(64 - 8*cv.Size)
				r.signed = cv.Signed && cv.Kind == convert.Int
			}
			var err error
			if r.dst, r.di, err = goDst(gv, 0); err != nil {
				return err
			}
			st.res = append(st.res, r)
		case convert.String:
			r := rop{kind: ropString}
			r.csrc, r.ci = cSrc(plan.Result.Parts[0])
			var err error
			if r.dst, r.di, err = goDst(gv, 0); err != nil {
				return err
			}
			if l, li, _ := goDst(gv, 8); r.dst != goPtr || l != goInt || li != r.di+1 {
				return errfmt.Errorf("string result not in two integer registers")
			}
			st.res = append(st.res, r)
		case convert.Memory:
			if err := st.memoryResult(cv, gv); err != nil {
				return err
			}
		default:
			return errfmt.Errorf("result: unsupported kind %d", cv.Kind)
		}
	}
	if st.errno {
		gv := gr[next]
		d, di, err := goDst(gv, 0)
		if err != nil {
			return err
		}
		if d2, di2, _ := goDst(gv, 8); d != goPtr || d2 != goPtr || di2 != di+1 {
			return errfmt.Errorf("the error result does not fit in the first %d result registers", maxPtrResults)
		}
		st.res = append(st.res, rop{kind: ropErrno, dst: goPtr, di: di})
	}
	return nil
}

// memoryResult places an aggregate result.
func (st *state) memoryResult(cv *convert.Value, gv goabi.Value) error {
	plan := st.basePlan
	if gv.Stack {
		if _, _, err := goDst(gv, 0); err != nil {
			return err
		}
		if plan.SRet {
			st.res = append(st.res, rop{kind: ropMem, csrc: cSret, ci: int32(st.args.sretOff), dst: goStack, di: int32(gv.Pieces[0].Index), n: int32(cv.C.Size)})
			return nil
		}
		for _, p := range plan.Result.Parts {
			r := rop{kind: ropMem, dst: goStack, di: int32(gv.Pieces[0].Index + p.Offset), n: int32(p.Size)}
			r.csrc, r.ci = cSrc(p)
			st.res = append(st.res, r)
		}
		return nil
	}
	for _, g := range gv.Pieces {
		r := rop{kind: ropWord, n: int32(g.Size)}
		if g.Size < 8 {
			r.ext = uint8(64 - 8*g.Size)
		}
		if plan.SRet {
			r.csrc, r.ci = cSret, int32(st.args.sretOff+g.Offset)
		} else {
			found := false
			for _, p := range plan.Result.Parts {
				if g.Offset >= p.Offset && g.Offset+g.Size <= p.Offset+p.Size {
					r.csrc, r.ci = cSrc(p)
					r.shift = uint8(8 * (g.Offset - p.Offset))
					found = true
				}
			}
			if !found {
				return errfmt.Errorf("result: Go field at offset %d is split between C registers", g.Offset)
			}
		}
		var err error
		if r.dst, r.di, err = goDst(gv, g.Offset); err != nil {
			return err
		}
		st.res = append(st.res, r)
	}
	return nil
}
