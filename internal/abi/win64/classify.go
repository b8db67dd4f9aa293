// Package win64 classifies C function types under the Microsoft x64
// calling convention (windows/amd64).
//
// Each argument takes one 8-byte slot. The first four slots are registers
// shared between the files by position: slot k is rcx, rdx, r8, r9 (GPR
// Index k) for an integer, pointer or small aggregate, or xmm k (FPR Index
// k) for a float or double. Later slots are on the stack.
//
// Conventions of the Plans it returns (see package abi for the types):
//   - Stack Index is the byte offset from the stack pointer at the call:
//     the caller always reserves 32 bytes of shadow space for the four
//     register slots, so the fifth slot is at 32, the sixth at 40, and so
//     on. Plan.StackSize includes the shadow space (at least 32).
//   - A struct or union of 1, 2, 4 or 8 bytes travels like an integer of
//     that size: one Part {GPR or Stack, Offset 0, Size = its size}, even
//     if its members are floating-point.
//   - Any other struct or union (3, 5, 6, 7, or more than 8 bytes, and
//     also 0 bytes) is passed by reference: Value.ByRef is set and its
//     single Part (Offset 0, Size 8) carries the address of a copy made by
//     the caller (16-byte aligned by the caller's choice).
//   - An empty struct or union result (0 bytes, GNU C) is returned in no
//     register and without a hidden pointer, as MinGW does (no Parts).
//   - A result that is not a scalar or a struct or union of 0, 1, 2, 4 or 8
//     bytes is returned in memory: Plan.SRet with SRetPart = {GPR, 0, 0, 8}
//     (rcx, slot 0), the arguments shift by one slot, and the callee
//     returns the address in rax. Otherwise GPR 0 is rax and FPR 0 is xmm0.
//   - For the extra arguments of a variadic call (ClassifyVarargs), a float
//     or double in a register slot has two Parts, GPR k and FPR k, both
//     carrying the whole value: the caller must load both registers.
//   - NumGPR and NumFPR are both the number of register slots consumed
//     (0 to 4), whichever file each slot used.
//   - Value.Type is the type actually passed: array and function parameters
//     have decayed to pointers.
package win64

import (
	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

const (
	// NumRegSlots is the number of argument slots passed in registers.
	NumRegSlots = 4
	// ShadowSize is the stack space the caller reserves for the register
	// slots, below the first stack argument.
	ShadowSize = 32
)

// Classify returns the placement of the arguments and the result of fn, a
// function type or a pointer to one. For a variadic function only the fixed
// parameters are placed; ClassifyVarargs places the rest of a call.
func Classify(fn *ctype.Type) (*abi.Plan, error) {
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
	slot := 0
	switch res.Kind {
	case ctype.Void:
	case ctype.Float, ctype.Double:
		p.Result.Parts = []abi.Part{{Loc: abi.FPR, Index: 0, Size: res.Size}}
	case ctype.Struct, ctype.Union:
		if res.Size == 0 {
			break // returned in no register, as MinGW does (no hidden pointer)
		}
		if !integerSized(res) {
			p.SRet = true
			p.SRetPart = abi.Part{Loc: abi.GPR, Index: 0, Size: 8}
			slot = 1
			break
		}
		p.Result.Parts = []abi.Part{{Loc: abi.GPR, Index: 0, Size: res.Size}}
	default:
		p.Result.Parts = []abi.Part{{Loc: abi.GPR, Index: 0, Size: res.Size}}
	}
	for i, prm := range fn.Params {
		v, err := arg(prm.Type, i, prm.Name, slot, false)
		if err != nil {
			return nil, err
		}
		p.Args = append(p.Args, v)
		slot++
	}
	finish(p, slot)
	return p, nil
}

// ClassifyVarargs returns a copy of p, a Plan of a variadic function from
// Classify, with the extra arguments of one call appended to Args. extra
// must already have C's default argument promotions applied (float to
// double, narrow integers to int). A floating-point extra argument in one
// of the first four slots gets both a GPR and an FPR Part.
func ClassifyVarargs(p *abi.Plan, extra []*ctype.Type) (*abi.Plan, error) {
	if p == nil || p.Func == nil || !p.Func.Variadic {
		return nil, errfmt.Errorf("win64: ClassifyVarargs needs the plan of a variadic function")
	}
	q := *p
	q.Args = append(make([]abi.Value, 0, len(p.Args)+len(extra)), p.Args...)
	slot := p.NumGPR + (p.StackSize-ShadowSize)/8
	for i, t := range extra {
		v, err := arg(t, len(p.Func.Params)+i, "", slot, true)
		if err != nil {
			return nil, err
		}
		q.Args = append(q.Args, v)
		slot++
	}
	finish(&q, slot)
	return &q, nil
}

func finish(p *abi.Plan, slots int) {
	p.NumGPR = min(slots, NumRegSlots)
	p.NumFPR = p.NumGPR
	p.StackSize = ShadowSize + 8*max(0, slots-NumRegSlots)
}

// integerSized reports whether an aggregate travels as an integer.
func integerSized(t *ctype.Type) bool {
	switch t.Size {
	case 1, 2, 4, 8:
		return true
	}
	return false
}

// arg places one argument of type t in slot (index and name label errors);
// vararg duplicates floating-point values in both register files.
func arg(t *ctype.Type, index int, name string, slot int, vararg bool) (abi.Value, error) {
	t, err := abi.ArgType(t, index, name)
	if err != nil {
		return abi.Value{}, err
	}
	v := abi.Value{Type: t}
	size := t.Size
	isFloat := t.Kind == ctype.Float || t.Kind == ctype.Double
	if (t.Kind == ctype.Struct || t.Kind == ctype.Union) && !integerSized(t) {
		v.ByRef = true
		size = 8
	}
	switch {
	case slot >= NumRegSlots:
		v.Parts = []abi.Part{{Loc: abi.Stack, Index: ShadowSize + 8*(slot-NumRegSlots), Size: size}}
	case isFloat && vararg:
		v.Parts = []abi.Part{{Loc: abi.GPR, Index: slot, Size: size}, {Loc: abi.FPR, Index: slot, Size: size}}
	case isFloat:
		v.Parts = []abi.Part{{Loc: abi.FPR, Index: slot, Size: size}}
	default:
		v.Parts = []abi.Part{{Loc: abi.GPR, Index: slot, Size: size}}
	}
	return v, nil
}
