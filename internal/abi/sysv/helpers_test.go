package sysv

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// partString spells a Part as <loc><index>:<offset>/<size>, e.g. "g0:0/8"
// (rdi carries bytes 0..7), "f1:8/4", "s16:0/24" (stack offset 16).
func partString(pt abi.Part) string {
	l := map[abi.Loc]string{abi.GPR: "g", abi.FPR: "f", abi.Stack: "s"}[pt.Loc]
	if l == "" {
		l = "?"
	}
	return fmt.Sprintf("%s%d:%d/%d", l, pt.Index, pt.Offset, pt.Size)
}

func valueString(v abi.Value) string {
	ps := make([]string, len(v.Parts))
	for i, pt := range v.Parts {
		ps[i] = partString(pt)
	}
	s := "[" + strings.Join(ps, " ") + "]"
	if v.ByRef {
		s = "&" + s
	}
	return s
}

// planString spells a whole plan compactly for table tests:
// "r=[g0:0/4] a=[g0:0/4][f0:0/8] gpr=1 fpr=1 stack=0".
func planString(p *abi.Plan) string {
	var b strings.Builder
	if p.SRet {
		b.WriteString("r=sret(" + partString(p.SRetPart) + ")")
	} else {
		b.WriteString("r=" + valueString(p.Result))
	}
	b.WriteString(" a=")
	for _, v := range p.Args {
		b.WriteString(valueString(v))
	}
	fmt.Fprintf(&b, " gpr=%d fpr=%d stack=%d", p.NumGPR, p.NumFPR, p.StackSize)
	return b.String()
}

// checkPlan verifies that p is self-consistent: no register used twice,
// register numbers in range, stack parts in increasing 8-aligned slots that
// do not overlap and fit StackSize, no value byte carried twice, every byte
// of a register-passed aggregate that holds data carried, Num* consistent.
func checkPlan(t testing.TB, p *abi.Plan, maxGPR, maxFPR int) {
	t.Helper()
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("%s: %s\nplan: %s", abi.TypeString(p.Func), fmt.Sprintf(format, args...), planString(p))
	}
	usedG := map[int]bool{}
	usedF := map[int]bool{}
	maxG, maxF := 0, 0
	if p.SRet {
		if p.SRetPart.Loc != abi.GPR || len(p.Result.Parts) != 0 {
			fail("bad sret")
		}
		usedG[p.SRetPart.Index] = true
		maxG = p.SRetPart.Index + 1
	}
	lastStackEnd := 0
	for i, v := range p.Args {
		covered := make([]int, v.Type.Size)
		inRegs := false
		for _, pt := range v.Parts {
			if pt.Size <= 0 || pt.Offset < 0 || pt.Offset+pt.Size > v.Type.Size {
				fail("arg %d: part %s outside the %d-byte value", i, partString(pt), v.Type.Size)
			}
			for b := pt.Offset; b < pt.Offset+pt.Size; b++ {
				covered[b]++
				if covered[b] > 1 {
					fail("arg %d: byte %d carried twice", i, b)
				}
			}
			switch pt.Loc {
			case abi.GPR, abi.FPR:
				inRegs = true
				used, lim, mx := usedG, maxGPR, &maxG
				if pt.Loc == abi.FPR {
					used, lim, mx = usedF, maxFPR, &maxF
				}
				if pt.Index < 0 || pt.Index >= lim || used[pt.Index] {
					fail("arg %d: register %s reused or out of range", i, partString(pt))
				}
				if pt.Size > 8 {
					fail("arg %d: register part %s wider than 8", i, partString(pt))
				}
				used[pt.Index] = true
				*mx = max(*mx, pt.Index+1)
			case abi.Stack:
				if pt.Index%8 != 0 || pt.Index < lastStackEnd {
					fail("arg %d: stack part %s misaligned or out of order", i, partString(pt))
				}
				if a := max(8, v.Type.Align); pt.Index%a != 0 {
					fail("arg %d: stack part %s not %d-aligned", i, partString(pt), a)
				}
				lastStackEnd = pt.Index + (pt.Size+7)&^7
			default:
				fail("arg %d: bad loc %d", i, pt.Loc)
			}
		}
		if !inRegs && len(v.Parts) > 1 {
			fail("arg %d: stack value split", i)
		}
		if len(v.Parts) == 1 && v.Parts[0].Loc == abi.Stack && v.Parts[0].Size != v.Type.Size {
			fail("arg %d: stack part does not hold the whole value", i)
		}
		if len(v.Parts) > 0 && !inRegs {
			continue
		}
		if v.ByRef {
			continue
		}
		// In registers: every eightbyte that holds data must be carried.
		for b, n := range covered {
			if n == 0 && holdsData(v.Type, b) {
				fail("arg %d: byte %d not carried", i, b)
			}
		}
	}
	if lastStackEnd > p.StackSize || p.StackSize%8 != 0 {
		fail("StackSize %d (stack parts end at %d)", p.StackSize, lastStackEnd)
	}
	if p.NumGPR != maxG || p.NumFPR != maxF {
		fail("NumGPR/NumFPR = %d/%d, registers used %d/%d", p.NumGPR, p.NumFPR, maxG, maxF)
	}
	if len(usedG) != maxG || len(usedF) != maxF {
		fail("registers not used in order")
	}
}

// holdsData reports whether byte b of a value of type t belongs to a
// member (rather than to padding).
func holdsData(t *ctype.Type, b int) bool {
	if b < 0 || b >= t.Size {
		return false
	}
	switch t.Kind {
	case ctype.Struct, ctype.Union:
		for _, f := range t.Fields {
			if f.BitField {
				if f.Name == "" {
					continue // unnamed bit-fields are padding
				}
				lo := f.Offset*8 + f.BitOffset
				if f.BitSize > 0 && b*8 < lo+f.BitSize && lo < b*8+8 {
					return true
				}
				continue
			}
			if holdsData(f.Type, b-f.Offset) {
				return true
			}
		}
		return false
	case ctype.Array:
		if t.Elem.Size == 0 {
			return false
		}
		return holdsData(t.Elem, b%t.Elem.Size)
	}
	return true
}

func isABIError(err error) bool {
	var e *abi.Error
	return errors.As(err, &e)
}
