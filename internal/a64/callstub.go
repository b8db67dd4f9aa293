package a64

import (
	"errors"
	"reflect"

	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/stub"
)

// AppendCallAAPCS64 appends the AAPCS64 encoding of the bound-call stub c
// (see package stub). The code has no pc-relative references, so it may be
// placed anywhere. GPR argument 8 is x8, the indirect result register;
// FPR result registers are d0..d3 (a homogeneous floating-point aggregate
// returns up to four).
//
// The stub's frame: a frame record (x29, x30) that x29 points to, so that
// unwinders walk through it, the callee-saved x19 and x20, then S bytes
// (sp 16-byte aligned throughout):
//
//	stp x29, x30, [sp, #-32]!; mov x29, sp; stp x19, x20, [sp, #16]; sub sp, sp, #S
//	[sp, sp+8*NStack)       the C stack argument words
//	[sp+stage, +8*8)        vector argument words built by several moves
//	[sp+sret, +SRetSize+8)  the memory result (sret at least 48)
//	after the call, [sp, sp+48) holds x0, x1, d0..d3
//
// x19 holds the base and x20 the stack top before the call (both
// callee-saved); x9 is the scratch register of every move, x10 the
// second operand of an OR into memory and x11 the guard word of a guarded
// move. A stub that records its leaf call (Call.Enter) keeps in x20
// instead the word Enter returned, and stores 0 to it before it returns:
//
//	mov x0, Name; mov x9, Enter; blr x9; mov x20, x0   (after the base)
//	str xzr, [x20]                                    (before the epilogue)
//
// Stack words are whole 8-byte words; a C stack argument smaller than a
// word at a packed offset (Apple's arm64 ABI) is the OR of shifted moves
// into its word, as in the trampoline's move loop. The encoder refuses a
// Call that sets a field it does not know (an error, so that callers fall
// back to their move loop) rather than ignore it.
func AppendCallAAPCS64(dst []byte, c *stub.Call) ([]byte, error) {
	if err := c.Check(stub.Regs{ArgGPR: 9, ArgFPR: 8, ResGPR: 2, ResFPR: 4}); err != nil {
		return dst, err
	}
	if err := known(c); err != nil {
		return dst, err
	}
	if c.FrameOff < 0 {
		return dst, errfmt.Errorf("a64: stub frame offset %d is negative", c.FrameOff)
	}
	var writers [8]int
	staged := false
	for _, m := range c.Args {
		if m.To.Kind == stub.FPR {
			writers[m.To.N]++
			staged = staged || writers[m.To.N] > 1
		}
	}
	stage := int32(8 * c.NStack)
	end := stage
	if staged {
		end += 8 * 8
	}
	sret := max(end, 48) // above the result spill slots
	if c.SRetSize > 0 {
		end = sret + (c.SRetSize+7)&^7 + 8
	}
	size := (max(end, 48) + 15) &^ 15

	b := NewBuilder(dst, 0)
	b.StpPre(X29, X30, SP, -32)
	b.AddImm(X29, SP, 0)
	b.Stp(X19, X20, SP, 16)
	subSP(&b, uint32(size))
	b.SubImm(X19, X0, uint32(c.FrameOff))
	if c.Enter != 0 {
		movImm64(&b, X0, uint64(c.Name))
		movImm64(&b, X9, uint64(c.Enter))
		b.BLR(X9)
		b.Orr(X20, ZR, X0)
	}
	if c.TopOfStack != 0 {
		movImm64(&b, X9, uint64(c.TopOfStack))
		b.BLR(X9)
		b.Orr(X20, ZR, X0)
	}

	if c.SRetSize > 0 {
		switch c.SRetDst.Kind {
		case stub.GPR:
			b.AddImm(Reg(c.SRetDst.N), SP, uint32(sret))
		default:
			b.AddImm(X9, SP, uint32(sret))
			b.Str(X9, SP, int(c.SRetDst.N))
		}
	}
	for _, m := range c.Args {
		switch m.To.Kind {
		case stub.GPR:
			r := Reg(m.To.N)
			if m.Or {
				load(&b, X9, X19, m)
				b.Orr(r, r, X9)
			} else {
				load(&b, r, X19, m)
			}
		case stub.FPR:
			v := VReg(m.To.N)
			switch {
			case writers[m.To.N] > 1:
				load(&b, X9, X19, m)
				storeOr(&b, SP, stage+8*m.To.N, m.Or)
			case m.Plain() && m.Ext == 0 && m.From.N%8 == 0:
				b.LdrD(v, X19, int(m.From.N))
			case m.Plain() && m.Ext == 32 && !m.Signed && m.From.N%4 == 0:
				b.LdrS(v, X19, int(m.From.N))
			default:
				load(&b, X9, X19, m)
				b.FmovDX(v, X9)
			}
		case stub.Stack:
			load(&b, X9, X19, m)
			storeOr(&b, SP, m.To.N, m.Or)
		default:
			return dst, errfmt.Errorf("a64: stub argument move to %v", m.To)
		}
	}
	for i, n := range writers {
		if n > 1 {
			b.LdrD(VReg(i), SP, int(stage)+8*i)
		}
	}
	b.Ldr(X9, X19, int(c.FnOff))
	b.BLR(X9)

	// Results: spill the result registers they read, move the base if
	// the stack moved, then run them from the spill slots (or the memory
	// result).
	var spilled [6]bool
	for _, m := range c.Results {
		k := m.From.ResultSlot()
		if k < 0 || spilled[k] {
			continue
		}
		spilled[k] = true
		if k < 2 {
			b.Str(Reg(k), SP, 8*k)
		} else {
			b.StrD(VReg(k-2), SP, 8*k)
		}
	}
	if c.TopOfStack != 0 {
		movImm64(&b, X9, uint64(c.TopOfStack))
		b.BLR(X9)
		b.SubReg(X0, X0, X20)
		b.AddReg(X19, X19, X0)
	}
	for _, m := range c.Results {
		if k := m.From.ResultSlot(); k >= 0 {
			m.From = stub.Loc{Kind: stub.Base, N: int32(8 * k)}
		} else {
			m.From = stub.Loc{Kind: stub.Base, N: sret + m.From.N}
		}
		load(&b, X9, SP, m)
		storeOr(&b, X19, m.To.N, m.Or)
	}

	if c.Enter != 0 {
		b.Str(ZR, X20, 0)
	}
	b.MovZ32(X0, 0, 0)
	b.AddImm(SP, X29, 0)
	b.Ldp(X19, X20, SP, 16)
	b.LdpPost(X29, X30, SP, 32)
	b.Ret()
	if err := b.Err(); err != nil {
		return dst, err
	}
	return b.Bytes(), nil
}

// known reports an error if c sets a field AppendCallAAPCS64 does not
// encode (one added to stub.Call after it).
func known(c *stub.Call) error {
	k := *c
	k.FrameOff, k.FnOff, k.NStack, k.Args, k.Results = 0, 0, 0, nil, nil
	k.SRetSize, k.SRetDst, k.TopOfStack, k.Enter, k.Name = 0, stub.Loc{}, 0, 0, 0
	// A variadic callee needs nothing at the call on arm64: the plan
	// already places variadic arguments by the platform's rules.
	k.Variadic, k.VecRegs = false, 0
	if !reflect.ValueOf(k).IsZero() {
		return errors.New("a64: the stub sets a field this encoder does not know")
	}
	return nil
}

// subSP reserves n bytes (a multiple of 16) below sp, with one `sub` or
// two (the 4 KiB multiples, then the rest).
func subSP(b *Builder, n uint32) {
	if hi := n &^ 0xfff; hi != 0 {
		b.SubImm(SP, SP, hi)
	}
	if lo := n & 0xfff; lo != 0 || n == 0 {
		b.SubImm(SP, SP, lo)
	}
}

// movImm64 sets r to v with a movz of its lowest non-zero 16-bit group
// and a movk per further non-zero group.
func movImm64(b *Builder, r Reg, v uint64) {
	if v == 0 {
		b.MovZ(r, 0, 0)
		return
	}
	first := true
	for shift := uint(0); shift < 64; shift += 16 {
		h := uint16(v >> shift)
		switch {
		case h == 0:
		case first:
			b.MovZ(r, h, shift)
			first = false
		default:
			b.MovK(r, h, shift)
		}
	}
}

// load emits the code that computes m's value from [base+m.From.N] into r.
// A word at an offset the load's scaled form cannot take (a result word
// read from any byte of a memory result) is read through its address in
// x10.
func load(b *Builder, r, base Reg, m stub.Move) {
	if m.Guarded {
		// ldr r, [from]; ldr x11, [guard]; cmp x11, #0; csel r, r, xzr, ne:
		// 0 when the guard is.
		m.Guarded = false
		load(b, r, base, m)
		m.From.N = m.Guard
		load(b, X11, base, m)
		b.CmpZero(X11)
		b.CselNEZero(r, r)
		return
	}
	from := int(m.From.N)
	size := 8
	if m.RShift == 0 && m.LShift == 0 && m.Ext == 32 {
		size = 4
	}
	if from%size != 0 {
		b.AddImm(X10, base, uint32(from))
		base, from = X10, 0
	}
	if m.RShift == 0 && m.LShift == 0 {
		switch {
		case m.Ext == 0:
			b.Ldr(r, base, from)
			return
		case m.Ext == 32 && m.Signed:
			b.Ldrsw(r, base, from)
			return
		case m.Ext == 32:
			b.LdrW(r, base, from)
			return
		}
	}
	b.Ldr(r, base, from)
	if m.RShift != 0 {
		b.LsrImm(r, r, m.RShift)
	}
	if m.Ext != 0 {
		b.LslImm(r, r, m.Ext)
		if m.Signed {
			b.AsrImm(r, r, m.Ext)
		} else {
			b.LsrImm(r, r, m.Ext)
		}
	}
	if m.LShift != 0 {
		b.LslImm(r, r, m.LShift)
	}
}

// storeOr stores x9 to [base+off], or ORs it in (through x10).
func storeOr(b *Builder, base Reg, off int32, or bool) {
	if or {
		b.Ldr(X10, base, int(off))
		b.Orr(X9, X9, X10)
	}
	b.Str(X9, base, int(off))
}
