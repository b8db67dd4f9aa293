// Package aapcs64 classifies C function types under the Arm 64-bit
// Procedure Call Standard (AAPCS64) as used on Linux, and with Apple's
// variations on darwin/arm64.
//
// Conventions of the Plans it returns (see package abi for the types):
//   - GPR Index is the x register number: x0..x7 carry arguments, x0..x1
//     the result, and x8 (Index 8) the address of a result returned in
//     memory.
//   - FPR Index is the v register number: v0..v7 for arguments, v0..v3 for
//     results. A float travels in the low 4 bytes (s register), a double in
//     the low 8 bytes (d register).
//   - Stack Index is the byte offset from the stack pointer at the call.
//     Standard AAPCS64 gives every stack argument a slot rounded up to 8
//     bytes, aligned to 8 or 16 (16 when its natural alignment is 16: for a
//     struct that is its members' alignment, ignoring an aligned attribute
//     on the struct itself, as GCC does). Apple packs stack arguments at their
//     natural alignment and size (a char takes one byte), except composites
//     which keep 8-byte granules. Plan.StackSize is rounded up to 8.
//   - A scalar has one Part. A homogeneous floating-point aggregate (HFA: a
//     struct, union or array of 1 to 4 floats, or of 1 to 4 doubles, with no
//     padding) has one FPR Part per member. Another struct or union of at
//     most 16 bytes has one GPR Part per 8 bytes (the last carries the
//     remaining bytes). A struct or union on the stack is one Stack Part of
//     its whole size.
//   - A struct or union larger than 16 bytes that is not an HFA is passed by
//     reference: Value.ByRef is set and its single Part (GPR or Stack,
//     Offset 0, Size 8) carries the address of a copy made by the caller.
//   - A struct or union result larger than 16 bytes (not an HFA) sets
//     Plan.SRet with SRetPart = {GPR, 8, 0, 8}: x8 holds the address of the
//     result buffer; it is not an argument register, so the arguments do not
//     shift.
//   - NumGPR and NumFPR are the next register numbers (NGRN, NSRN): they
//     count registers skipped by the rules too (a 16-aligned composite
//     starts at an even x register; once an aggregate does not fit, no
//     later argument uses that register file).
//   - Zero-size structs and unions are ignored: no Parts, no space, as GCC
//     does for C. Apple ignores every empty aggregate (see abi.IsEmpty: also
//     one of only unnamed bit-fields), as its documentation and clang say.
//   - Integer arguments narrower than 32 bits must be extended to 32 bits
//     by the caller on Apple platforms; the standard leaves the upper bits
//     unspecified. The Plan does not say this; converters must.
//   - Value.Type is the type actually passed: array and function parameters
//     have decayed to pointers.
package aapcs64

import (
	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Register counts of AAPCS64.
const (
	NumArgGPR = 8 // x0..x7
	NumArgFPR = 8 // v0..v7
	// SRetGPR is x8, the indirect result location register.
	SRetGPR = 8
)

// Options select a variant of the convention.
type Options struct {
	// Apple selects the darwin/arm64 variant: stack arguments packed at
	// natural alignment, and variadic arguments always on the stack in
	// 8-byte slots.
	Apple bool
}

// state is NGRN, NSRN and NSAA while classifying.
type state struct {
	o               Options
	gpr, fpr, stack int
}

// Classify returns the placement of the arguments and the result of fn, a
// function type or a pointer to one, under standard AAPCS64 (Linux). For a
// variadic function only the fixed parameters are placed; ClassifyVarargs
// places the rest of a particular call.
func Classify(fn *ctype.Type) (*abi.Plan, error) {
	return ClassifyWith(fn, Options{})
}

// ClassifyWith is Classify for the variant chosen by o.
func ClassifyWith(fn *ctype.Type, o Options) (*abi.Plan, error) {
	fn, err := abi.FuncType(fn)
	if err != nil {
		return nil, err
	}
	p := &abi.Plan{Func: fn, Args: make([]abi.Value, 0, len(fn.Params))}
	res, err := abi.ResultType(fn.Result)
	if err != nil {
		return nil, err
	}
	p.Result.Type = res
	switch {
	case res.Kind == ctype.Void || ignored(res, o):
	case res.Kind == ctype.Float || res.Kind == ctype.Double:
		p.Result.Parts = []abi.Part{{Loc: abi.FPR, Index: 0, Size: res.Size}}
	case res.Kind == ctype.Struct || res.Kind == ctype.Union:
		if base, n := hfa(res); n > 0 {
			p.Result.Parts = hfaParts(base, n, 0)
		} else if res.Size > 16 {
			p.SRet = true
			p.SRetPart = abi.Part{Loc: abi.GPR, Index: SRetGPR, Size: 8}
		} else {
			p.Result.Parts = granules(res.Size, 0)
		}
	default:
		p.Result.Parts = []abi.Part{{Loc: abi.GPR, Index: 0, Size: res.Size}}
	}
	st := state{o: o}
	for i, prm := range fn.Params {
		v, err := st.arg(prm.Type, i, prm.Name)
		if err != nil {
			return nil, err
		}
		p.Args = append(p.Args, v)
	}
	st.finish(p)
	return p, nil
}

// ClassifyVarargs returns a copy of p, a Plan of a variadic function from
// Classify or ClassifyWith with the same o, with the extra arguments of one
// call appended to Args. extra must already have C's default argument
// promotions applied (float to double, narrow integers to int). Under the
// standard variant they follow the ordinary rules; under Apple's they all
// go on the stack in 8-byte slots (aggregates over 16 bytes by reference).
func ClassifyVarargs(p *abi.Plan, extra []*ctype.Type, o Options) (*abi.Plan, error) {
	if p == nil || p.Func == nil || !p.Func.Variadic {
		return nil, errfmt.Errorf("aapcs64: ClassifyVarargs needs the plan of a variadic function")
	}
	q := *p
	q.Args = append(make([]abi.Value, 0, len(p.Args)+len(extra)), p.Args...)
	st := state{o: o, gpr: p.NumGPR, fpr: p.NumFPR, stack: p.StackSize}
	for i, t := range extra {
		index := len(p.Func.Params) + i
		var v abi.Value
		var err error
		if o.Apple {
			v, err = st.appleVararg(t, index)
		} else {
			v, err = st.arg(t, index, "")
		}
		if err != nil {
			return nil, err
		}
		q.Args = append(q.Args, v)
	}
	st.finish(&q)
	return &q, nil
}

func (st *state) finish(p *abi.Plan) {
	p.NumGPR, p.NumFPR = st.gpr, st.fpr
	p.StackSize = (st.stack + 7) &^ 7
}

// arg places one parameter of type t (index and name label errors).
func (st *state) arg(t *ctype.Type, index int, name string) (abi.Value, error) {
	t, err := abi.ArgType(t, index, name)
	if err != nil {
		return abi.Value{}, err
	}
	v := abi.Value{Type: t}
	switch t.Kind {
	case ctype.Float, ctype.Double:
		if st.fpr < NumArgFPR {
			v.Parts = []abi.Part{{Loc: abi.FPR, Index: st.fpr, Size: t.Size}}
			st.fpr++
		} else {
			v.Parts = st.scalarOnStack(t.Size)
		}
	case ctype.Struct, ctype.Union:
		if ignored(t, st.o) {
			return v, nil
		}
		if base, n := hfa(t); n > 0 {
			if st.fpr+n <= NumArgFPR {
				v.Parts = hfaParts(base, n, st.fpr)
				st.fpr += n
				return v, nil
			}
			st.fpr = NumArgFPR
			if st.o.Apple {
				v.Parts = st.onStack(t.Size, base.Size, t.Size)
			} else {
				v.Parts = st.onStack(t.Size, st.stackAlign(t), roundUp(t.Size, 8))
			}
			return v, nil
		}
		if t.Size > 16 {
			v.ByRef = true
			v.Parts = st.pointer()
			return v, nil
		}
		if naturalAlign(t, st.o) >= 16 {
			st.gpr = roundUp(st.gpr, 2)
		}
		n := (t.Size + 7) / 8
		if st.gpr+n <= NumArgGPR {
			v.Parts = granules(t.Size, st.gpr)
			st.gpr += n
			return v, nil
		}
		st.gpr = NumArgGPR
		v.Parts = st.onStack(t.Size, st.stackAlign(t), roundUp(t.Size, 8))
	default: // Bool, Int, Enum, Pointer
		if st.gpr < NumArgGPR {
			v.Parts = []abi.Part{{Loc: abi.GPR, Index: st.gpr, Size: t.Size}}
			st.gpr++
		} else {
			v.Parts = st.scalarOnStack(t.Size)
		}
	}
	return v, nil
}

// appleVararg places an extra argument of a variadic call on Apple: always
// on the stack, in 8-byte slots.
func (st *state) appleVararg(t *ctype.Type, index int) (abi.Value, error) {
	t, err := abi.ArgType(t, index, "")
	if err != nil {
		return abi.Value{}, err
	}
	v := abi.Value{Type: t}
	switch {
	case ignored(t, st.o):
	case (t.Kind == ctype.Struct || t.Kind == ctype.Union) && t.Size > 16:
		v.ByRef = true
		v.Parts = st.onStack(8, 8, 8)
	default:
		v.Parts = st.onStack(t.Size, st.stackAlign(t), roundUp(t.Size, 8))
	}
	return v, nil
}

// ignored reports whether an argument or result of type t takes no space.
func ignored(t *ctype.Type, o Options) bool {
	if t.Kind != ctype.Struct && t.Kind != ctype.Union {
		return false
	}
	return t.Size == 0 || (o.Apple && abi.IsEmpty(t))
}

// pointer places the address of a by-reference argument.
func (st *state) pointer() []abi.Part {
	if st.gpr < NumArgGPR {
		st.gpr++
		return []abi.Part{{Loc: abi.GPR, Index: st.gpr - 1, Size: 8}}
	}
	return st.scalarOnStack(8)
}

// scalarOnStack places a scalar of size bytes on the stack: an 8-byte slot,
// or (Apple) its natural size and alignment.
func (st *state) scalarOnStack(size int) []abi.Part {
	if st.o.Apple {
		return st.onStack(size, size, size)
	}
	return st.onStack(size, 8, 8)
}

// onStack aligns NSAA to align, places size bytes there and advances NSAA
// by slot bytes.
func (st *state) onStack(size, align, slot int) []abi.Part {
	st.stack = roundUp(st.stack, max(align, 1))
	pt := abi.Part{Loc: abi.Stack, Index: st.stack, Size: size}
	st.stack += slot
	return []abi.Part{pt}
}

// stackAlign is the stack alignment of an argument in 8-byte granules: 8,
// or 16 if its natural alignment is 16 or more.
func (st *state) stackAlign(t *ctype.Type) int {
	if naturalAlign(t, st.o) >= 16 {
		return 16
	}
	return 8
}

// naturalAlign is the alignment that decides even register pairs and
// stack alignment. For standard AAPCS64 (as GCC computes it) a struct or
// union counts the alignment of its members only, not an aligned attribute
// on the struct itself: a member's own alignment, 1 if packed, raised by an
// aligned attribute on the member. Apple (clang) uses the type's alignment.
func naturalAlign(t *ctype.Type, o Options) int {
	if o.Apple {
		return t.Align
	}
	switch t.Kind {
	case ctype.Struct, ctype.Union:
		a := 1
		for _, f := range t.Fields {
			fa := f.Type.Align
			if t.Packed || f.Packed {
				fa = 1
			}
			a = max(a, fa, f.Aligned)
		}
		return a
	case ctype.Array:
		return t.Elem.Align
	}
	return t.Align
}

// granules returns the GPR Parts of a composite of size bytes in registers
// from first on: 8 bytes each, the last one the remaining bytes.
func granules(size, first int) []abi.Part {
	var ps []abi.Part
	for off := 0; off < size; off += 8 {
		ps = append(ps, abi.Part{Loc: abi.GPR, Index: first + off/8, Offset: off, Size: min(8, size-off)})
	}
	return ps
}

// hfaParts returns the FPR Parts of an HFA of n members of type base in
// registers from first on.
func hfaParts(base *ctype.Type, n, first int) []abi.Part {
	ps := make([]abi.Part, n)
	for i := range ps {
		ps[i] = abi.Part{Loc: abi.FPR, Index: first + i, Offset: i * base.Size, Size: base.Size}
	}
	return ps
}

func roundUp(n, a int) int { return (n + a - 1) / a * a }
