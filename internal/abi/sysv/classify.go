// Package sysv classifies C function types under the System V AMD64 calling
// convention (Linux, macOS, the BSDs on x86-64), following the psABI's
// eightbyte algorithm as GCC implements it, corner cases included: every
// bit-field of a struct (named or not, but not :0) is INTEGER where its bits
// lie; a bit-field member of a union counts as an integer of the smallest
// size holding its width and is checked for alignment; a scalar member off
// its natural alignment (packed) sends the whole aggregate to memory; only
// the first element of an array is checked for that. TestAgainstCC checks
// all of this against the C compiler on the machine.
//
// Conventions of the Plans it returns (see package abi for the types):
//   - GPR Index is the argument register number: 0=rdi 1=rsi 2=rdx 3=rcx
//     4=r8 5=r9; for the result 0=rax 1=rdx.
//   - FPR Index is the xmm number: xmm0..xmm7 for arguments, xmm0..xmm1 for
//     the result.
//   - Stack Index is the byte offset of the argument from the first stack
//     argument (the caller's rsp at the call instruction, that is 8 bytes
//     above the callee's rsp on entry). Every stack argument starts a new
//     8-byte slot, aligned to 16 if its type is 16-aligned (more if more).
//     A Stack Part's Size is the value's own size; its slot is Size rounded
//     up to 8.
//   - A scalar has one Part of the scalar's size. A struct or union in
//     registers has one Part per eightbyte that holds data, with Offset 8*i
//     and Size 8 except the last, which carries the remaining bytes; an
//     eightbyte of padding only gets no Part. An aggregate on the stack
//     (class MEMORY, or registers exhausted) is one Stack Part with Offset 0
//     and Size = the aggregate's size.
//   - As GCC does, an aggregate without data (zero size, or only unnamed
//     bit-fields, empty members and zero-length arrays) takes no stack space
//     and gets no Part when it would go on the stack, is never returned
//     (no Parts, no SRet), but still takes the registers its class asks
//     for when it fits in them (its Parts then carry only padding).
//   - A MEMORY result sets Plan.SRet, Plan.SRetPart = {GPR, 0, 0, 8} (rdi),
//     leaves Result.Parts empty and shifts the arguments to rsi onwards; the
//     callee returns the address in rax. NumGPR counts rdi in that case.
//   - Value.Type is the type actually passed: array and function parameters
//     have decayed to pointers.
//   - Value.ByRef is never set.
package sysv

import (
	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Register counts of the System V AMD64 convention.
const (
	NumArgGPR = 6 // rdi rsi rdx rcx r8 r9
	NumArgFPR = 8 // xmm0..xmm7
)

// state is the running register and stack assignment while classifying.
type state struct {
	gpr, fpr, stack int
}

// Classify returns the placement of the arguments and the result of fn, a
// function type or a pointer to one. For a variadic function only the fixed
// parameters are placed; NumFPR is what the caller must put in al when it
// passes no further floating-point arguments, and ClassifyVarargs places
// the rest of a particular call. Errors are *abi.Error values that name the
// parameter, such as "long double is not supported by this ABI (parameter
// 2: long double)".
func Classify(fn *ctype.Type) (*abi.Plan, error) {
	fn, err := abi.FuncType(fn)
	if err != nil {
		return nil, err
	}
	p := &abi.Plan{Func: fn, Args: make([]abi.Value, 0, len(fn.Params))}
	var st state

	res, err := abi.ResultType(fn.Result)
	if err != nil {
		return nil, err
	}
	p.Result.Type = res
	switch {
	case res.Kind == ctype.Void:
	case (res.Kind == ctype.Struct || res.Kind == ctype.Union) && abi.IsEmpty(res):
		// Nothing is returned, not even through a hidden pointer.
	case res.Kind == ctype.Struct || res.Kind == ctype.Union:
		cls, ok := classifyAggregate(res)
		if !ok {
			p.SRet = true
			p.SRetPart = abi.Part{Loc: abi.GPR, Index: 0, Offset: 0, Size: 8}
			st.gpr = 1
			break
		}
		var g, f int
		for i, c := range cls {
			part := abi.Part{Offset: 8 * i, Size: min(8, res.Size-8*i)}
			switch c {
			case integer:
				part.Loc, part.Index = abi.GPR, g
				g++
			case sse:
				part.Loc, part.Index = abi.FPR, f
				f++
			default:
				continue
			}
			p.Result.Parts = append(p.Result.Parts, part)
		}
	case res.Kind == ctype.Float || res.Kind == ctype.Double:
		p.Result.Parts = []abi.Part{{Loc: abi.FPR, Index: 0, Size: res.Size}}
	default:
		p.Result.Parts = []abi.Part{{Loc: abi.GPR, Index: 0, Size: res.Size}}
	}

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
// Classify, with the extra arguments of one call appended to Args and the
// register and stack assignment continued after the fixed parameters.
// extra must already have C's default argument promotions applied (float to
// double, integers narrower than int to int, bool to int): ClassifyVarargs
// places exactly the types it is given. The new NumFPR is the value for al.
func ClassifyVarargs(p *abi.Plan, extra []*ctype.Type) (*abi.Plan, error) {
	if p == nil || p.Func == nil || !p.Func.Variadic {
		return nil, errfmt.Errorf("sysv: ClassifyVarargs needs the plan of a variadic function")
	}
	q := *p
	q.Args = append(make([]abi.Value, 0, len(p.Args)+len(extra)), p.Args...)
	st := state{gpr: p.NumGPR, fpr: p.NumFPR, stack: p.StackSize}
	for i, t := range extra {
		v, err := st.arg(t, len(p.Func.Params)+i, "")
		if err != nil {
			return nil, err
		}
		q.Args = append(q.Args, v)
	}
	st.finish(&q)
	return &q, nil
}

func (st *state) finish(p *abi.Plan) {
	p.NumGPR, p.NumFPR, p.StackSize = st.gpr, st.fpr, st.stack
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
			v.Parts = st.onStack(t)
		}
	case ctype.Struct, ctype.Union:
		cls, ok := classifyAggregate(t)
		if !ok {
			v.Parts = st.onStack(t)
			return v, nil
		}
		var ng, nf int
		for _, c := range cls {
			switch c {
			case integer:
				ng++
			case sse:
				nf++
			}
		}
		if st.gpr+ng > NumArgGPR || st.fpr+nf > NumArgFPR {
			// All or nothing: the whole aggregate goes on the stack and
			// later arguments may still use the remaining registers.
			v.Parts = st.onStack(t)
			return v, nil
		}
		for i, c := range cls {
			part := abi.Part{Offset: 8 * i, Size: min(8, t.Size-8*i)}
			switch c {
			case integer:
				part.Loc, part.Index = abi.GPR, st.gpr
				st.gpr++
			case sse:
				part.Loc, part.Index = abi.FPR, st.fpr
				st.fpr++
			default:
				continue
			}
			v.Parts = append(v.Parts, part)
		}
	default: // Bool, Int, Enum, Pointer
		if st.gpr < NumArgGPR {
			v.Parts = []abi.Part{{Loc: abi.GPR, Index: st.gpr, Size: t.Size}}
			st.gpr++
		} else {
			v.Parts = st.onStack(t)
		}
	}
	return v, nil
}

// onStack gives t the next stack slot: 8-aligned, or more for over-aligned
// aggregates, and rounded up to a multiple of 8 bytes. An empty aggregate
// (see abi.IsEmpty) takes no stack space and gets no Part.
func (st *state) onStack(t *ctype.Type) []abi.Part {
	if (t.Kind == ctype.Struct || t.Kind == ctype.Union) && abi.IsEmpty(t) {
		return nil
	}
	align := max(8, t.Align)
	st.stack = (st.stack + align - 1) &^ (align - 1)
	part := abi.Part{Loc: abi.Stack, Index: st.stack, Size: t.Size}
	st.stack += (t.Size + 7) &^ 7
	return []abi.Part{part}
}
