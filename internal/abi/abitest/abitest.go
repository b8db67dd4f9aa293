// Package abitest holds test helpers shared by the calling-convention
// packages: a compact spelling of Plans for table tests and a checker of a
// Plan's self-consistency for fuzz tests. Only tests import it.
package abitest

import (
	"fmt"
	"strings"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// PartString spells a Part as <loc><index>:<offset>/<size>, e.g. "g0:0/8"
// (GPR 0 carries bytes 0..7), "f1:8/4", "s16:0/24" (stack offset 16).
func PartString(pt abi.Part) string {
	l := map[abi.Loc]string{abi.GPR: "g", abi.FPR: "f", abi.Stack: "s"}[pt.Loc]
	if l == "" {
		l = "?"
	}
	return fmt.Sprintf("%s%d:%d/%d", l, pt.Index, pt.Offset, pt.Size)
}

// ValueString spells a Value's Parts in brackets, prefixed by & if the
// value is passed by reference: "[g0:0/8 f0:8/8]", "&[s32:0/8]".
func ValueString(v abi.Value) string {
	ps := make([]string, len(v.Parts))
	for i, pt := range v.Parts {
		ps[i] = PartString(pt)
	}
	s := "[" + strings.Join(ps, " ") + "]"
	if v.ByRef {
		s = "&" + s
	}
	return s
}

// PlanString spells a whole Plan for table tests:
// "r=[g0:0/4] a=[g0:0/4][f0:0/8] gpr=1 fpr=1 stack=0", with
// "r=sret(g0:0/8)" for a result returned through a hidden pointer.
func PlanString(p *abi.Plan) string {
	var b strings.Builder
	if p.SRet {
		b.WriteString("r=sret(" + PartString(p.SRetPart) + ")")
	} else {
		b.WriteString("r=" + ValueString(p.Result))
	}
	b.WriteString(" a=")
	for _, v := range p.Args {
		b.WriteString(ValueString(v))
	}
	fmt.Fprintf(&b, " gpr=%d fpr=%d stack=%d", p.NumGPR, p.NumFPR, p.StackSize)
	return b.String()
}

// Rules describe a convention for Check.
type Rules struct {
	GPR, FPR int // argument registers: indexes 0..GPR-1 and 0..FPR-1
	// SRetGPR is the register of the hidden result pointer when it is not
	// an argument register (AAPCS64: 8 = x8); -1 if it is the first
	// argument register and counts in NumGPR (System V, Windows).
	SRetGPR int
	// Gaps allows registers to be skipped (AAPCS64: even register pairs,
	// NSRN set to 8 when an HFA does not fit); NumGPR/NumFPR are then the
	// next register numbers rather than counts.
	Gaps bool
	// SlotAlign is the minimum alignment of a stack argument (8, or 1 for
	// Apple arm64, which packs stack arguments at natural alignment).
	SlotAlign int
	// StackBase is the offset of the first stack argument (32 on Windows).
	StackBase int
	// Shared: the FPR and GPR of one argument position are one slot
	// (Windows): the same index is never used in both files, except for
	// variadic floating-point arguments duplicated in both.
	Shared bool
}

// Check verifies that p is self-consistent under r: registers in range
// and not used twice; stack parts in increasing, aligned, non-overlapping
// slots inside StackSize; no byte of a value carried twice (except a
// Windows variadic float in both files); every data byte of a value passed
// in registers carried; a by-reference value carried as one 8-byte
// pointer; NumGPR and NumFPR consistent with the registers used.
func Check(p *abi.Plan, r Rules) error {
	usedG := map[int]bool{}
	usedF := map[int]bool{}
	maxG, maxF := 0, 0
	if p.SRet {
		if p.SRetPart.Loc != abi.GPR || p.SRetPart.Size != 8 || len(p.Result.Parts) != 0 {
			return fmt.Errorf("bad sret part %s", PartString(p.SRetPart))
		}
		if r.SRetGPR < 0 {
			usedG[p.SRetPart.Index] = true
			maxG = p.SRetPart.Index + 1
		} else if p.SRetPart.Index != r.SRetGPR {
			return fmt.Errorf("sret in %s, want GPR %d", PartString(p.SRetPart), r.SRetGPR)
		}
	}
	for _, pt := range p.Result.Parts {
		if pt.Loc == abi.Stack || pt.Size < 1 || pt.Size > 8 || pt.Index < 0 || pt.Index > 3 {
			return fmt.Errorf("bad result part %s", PartString(pt))
		}
	}
	stackEnd := r.StackBase
	for i, v := range p.Args {
		if v.ByRef {
			if len(v.Parts) != 1 || v.Parts[0].Size != 8 || v.Parts[0].Offset != 0 {
				return fmt.Errorf("arg %d: by-reference value not one 8-byte pointer part", i)
			}
		}
		size := v.Type.Size
		if v.ByRef {
			size = 8
		}
		covered := make([]int, size)
		inRegs := false
		dupFloat := false
		for _, pt := range v.Parts {
			if pt.Size <= 0 || pt.Offset < 0 || pt.Offset+pt.Size > size {
				return fmt.Errorf("arg %d: part %s outside the %d-byte value", i, PartString(pt), size)
			}
			for b := pt.Offset; b < pt.Offset+pt.Size; b++ {
				covered[b]++
			}
			switch pt.Loc {
			case abi.GPR, abi.FPR:
				inRegs = true
				used, lim, mx := usedG, r.GPR, &maxG
				if pt.Loc == abi.FPR {
					used, lim, mx = usedF, r.FPR, &maxF
				}
				if pt.Index < 0 || pt.Index >= lim || used[pt.Index] {
					return fmt.Errorf("arg %d: register %s reused or out of range", i, PartString(pt))
				}
				if pt.Size > 8 {
					return fmt.Errorf("arg %d: register part %s wider than 8", i, PartString(pt))
				}
				used[pt.Index] = true
				*mx = max(*mx, pt.Index+1)
			case abi.Stack:
				a := max(r.SlotAlign, 1)
				if r.SlotAlign < 8 {
					a = max(1, min(8, v.Type.Align))
				}
				if pt.Index%a != 0 || pt.Index < stackEnd {
					return fmt.Errorf("arg %d: stack part %s misaligned or out of order (previous end %d)", i, PartString(pt), stackEnd)
				}
				stackEnd = pt.Index + pt.Size
				if r.SlotAlign >= 8 {
					stackEnd = pt.Index + (pt.Size+7)&^7
				}
			default:
				return fmt.Errorf("arg %d: bad loc %d", i, pt.Loc)
			}
		}
		if r.Shared && len(v.Parts) == 2 && v.Parts[0].Loc != v.Parts[1].Loc && v.Parts[0].Index == v.Parts[1].Index &&
			v.Parts[0].Size == size && v.Parts[1].Size == size && (v.Type.Kind == ctype.Double || v.Type.Kind == ctype.Float) {
			dupFloat = true
		}
		for b, n := range covered {
			if n > 1 && !dupFloat {
				return fmt.Errorf("arg %d: byte %d carried %d times", i, b, n)
			}
		}
		if !inRegs && len(v.Parts) > 1 {
			return fmt.Errorf("arg %d: stack value split", i)
		}
		if len(v.Parts) == 1 && v.Parts[0].Loc == abi.Stack && v.Parts[0].Size != size {
			return fmt.Errorf("arg %d: stack part does not hold the whole value", i)
		}
		if v.ByRef || (len(v.Parts) > 0 && !inRegs) {
			continue
		}
		for b, n := range covered {
			if n == 0 && HoldsData(v.Type, b) {
				return fmt.Errorf("arg %d: byte %d not carried", i, b)
			}
		}
	}
	if stackEnd > p.StackSize || p.StackSize%8 != 0 || p.StackSize < r.StackBase {
		return fmt.Errorf("StackSize %d (stack parts end at %d)", p.StackSize, stackEnd)
	}
	if r.Shared {
		for k := range usedG {
			if usedF[k] && !dupAt(p, k) {
				return fmt.Errorf("slot %d used by both register files", k)
			}
		}
		return nil
	}
	if r.Gaps {
		if p.NumGPR < maxG || p.NumFPR < maxF || p.NumGPR > r.GPR || p.NumFPR > r.FPR {
			return fmt.Errorf("NumGPR/NumFPR = %d/%d, highest registers used %d/%d", p.NumGPR, p.NumFPR, maxG, maxF)
		}
		return nil
	}
	if p.NumGPR != maxG || p.NumFPR != maxF {
		return fmt.Errorf("NumGPR/NumFPR = %d/%d, registers used %d/%d", p.NumGPR, p.NumFPR, maxG, maxF)
	}
	if len(usedG) != maxG || len(usedF) != maxF {
		return fmt.Errorf("registers not used in order")
	}
	return nil
}

// dupAt reports whether slot k holds one argument duplicated in a GPR and
// an FPR.
func dupAt(p *abi.Plan, k int) bool {
	for _, v := range p.Args {
		if len(v.Parts) == 2 && v.Parts[0].Index == k && v.Parts[1].Index == k && v.Parts[0].Loc != v.Parts[1].Loc {
			return true
		}
	}
	return false
}

// HoldsData reports whether byte b of a value of type t belongs to a
// member rather than to padding (unnamed bit-fields are padding).
func HoldsData(t *ctype.Type, b int) bool {
	if b < 0 || b >= t.Size {
		return false
	}
	switch t.Kind {
	case ctype.Struct, ctype.Union:
		for _, f := range t.Fields {
			if f.BitField {
				if f.Name == "" {
					continue
				}
				lo := f.Offset*8 + f.BitOffset
				if f.BitSize > 0 && b*8 < lo+f.BitSize && lo < b*8+8 {
					return true
				}
				continue
			}
			if HoldsData(f.Type, b-f.Offset) {
				return true
			}
		}
		return false
	case ctype.Array:
		if t.Elem.Size == 0 {
			return false
		}
		return HoldsData(t.Elem, b%t.Elem.Size)
	}
	return true
}
