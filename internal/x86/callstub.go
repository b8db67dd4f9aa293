package x86

import "fmt"

// Bound-call stubs (System V): machine code, made once per call shape,
// that places a bound function's Go argument words into the C argument
// registers and stack words, calls the function and places its C result
// registers into the Go result words, all on the system stack. It replaces
// a table of word moves interpreted at every call with the same moves
// compiled.
//
// The stub is a System V function of one argument, the address of a
// frame on the goroutine stack (see CallStub.FrameOff); every Go word it
// reads or writes is at a fixed offset from that frame's base. For a call
// that may call back into Go (not a leaf call), the goroutine stack may
// move during the C call, so, as cgo's wrappers do, the stub asks
// _cgo_topofstack before and after the call and moves its base by the
// difference before writing the results.
//
// Layout of the stub's own frame (rbp-based):
//
//	push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, S
//	[rsp, rsp+8*NStack)        the C stack argument words
//	[rsp+stage, +8*8)          the vector argument words built by several moves
//	after the call, [rsp, rsp+32) holds rax, rdx, xmm0, xmm1
//
// rbx holds the base and r12 the stack top before the call (both
// callee-saved in C).

// LocKind says where a word of a stub move lives.
type LocKind uint8

const (
	// LocBase is the 8-byte word at the base plus N (a Go word).
	LocBase LocKind = iota
	// LocGPR is integer register N: an argument register (rdi rsi rdx rcx
	// r8 r9) as a move's destination, a result register (rax rdx) as a
	// result move's source.
	LocGPR
	// LocFPR is the low 64 bits of vector register xmmN.
	LocFPR
	// LocStack is the C stack argument word at byte N above the return
	// address of the called function (a multiple of 8).
	LocStack
)

// Loc is where a word lives.
type Loc struct {
	Kind LocKind
	N    int32
}

// String names l as the stub's errors do: "base+16", "gpr 2", "fpr 0" or
// "stack+8".
func (l Loc) String() string {
	switch l.Kind {
	case LocBase:
		return fmt.Sprintf("base%+d", l.N)
	case LocGPR:
		return fmt.Sprintf("gpr %d", l.N)
	case LocFPR:
		return fmt.Sprintf("fpr %d", l.N)
	case LocStack:
		return fmt.Sprintf("stack+%d", l.N)
	}
	return fmt.Sprintf("loc(%d, %d)", l.Kind, l.N)
}

// StubMove is one word move of a stub:
//
//	w := From >> RShift
//	w = w << Ext >> Ext (arithmetic if Signed)
//	w <<= LShift
//	To = w, or To |= w if Or
type StubMove struct {
	From, To            Loc
	RShift, Ext, LShift uint8
	Signed, Or          bool
}

// CallStub describes one stub.
type CallStub struct {
	// FrameOff is subtracted from the stub's argument to get the base.
	FrameOff int32
	// FnOff is the offset from the base of the word holding the C
	// function's address.
	FnOff int32
	// NStack is the number of C stack argument words.
	NStack int
	// Args move Go words (LocBase) into C argument registers and stack
	// words; Results move C result registers into Go words (LocBase).
	Args, Results []StubMove
	// TopOfStack is the address of _cgo_topofstack, or 0 for a leaf call,
	// during which the goroutine stack cannot move.
	TopOfStack uintptr
}

// AppendCallSysV appends the stub s describes. The code has no absolute
// or relative references to itself, so it may be placed anywhere.
func AppendCallSysV(dst []byte, s *CallStub) ([]byte, error) {
	if err := s.check(); err != nil {
		return dst, err
	}
	// Vector registers written by more than one move are built in memory.
	var writers [8]int
	for _, m := range s.Args {
		if m.To.Kind == LocFPR {
			writers[m.To.N]++
		}
	}
	stage := int32(8 * s.NStack)
	size := stage
	for _, n := range writers {
		if n > 1 {
			size = stage + 8*8
		}
	}
	size = (max(size, 32) + 15) &^ 15

	b := NewBuilder(dst, 0)
	b.Push(RBP)
	b.MovRegReg(RBP, RSP)
	b.Push(RBX)
	b.Push(R12)
	b.SubImm32(RSP, size)
	b.Lea(RBX, RDI, -s.FrameOff)
	if s.TopOfStack != 0 {
		b.MovImm64(RAX, uint64(s.TopOfStack))
		b.CallReg(RAX)
		b.MovRegReg(R12, RAX)
	}

	for _, m := range s.Args {
		switch m.To.Kind {
		case LocGPR:
			r := sysvArgGPR[m.To.N]
			if m.Or {
				load(&b, RAX, RBX, m)
				b.OrRegReg(r, RAX)
			} else {
				load(&b, r, RBX, m)
			}
		case LocFPR:
			x := XReg(m.To.N)
			switch {
			case writers[m.To.N] > 1:
				load(&b, RAX, RBX, m)
				storeOr(&b, RSP, stage+8*m.To.N, m.Or)
			case plain(m) && m.Ext == 0:
				b.LoadSD(x, RBX, m.From.N)
			case plain(m) && m.Ext == 32 && !m.Signed:
				b.LoadSS(x, RBX, m.From.N)
			default:
				load(&b, RAX, RBX, m)
				b.MovqXR(x, RAX)
			}
		case LocStack:
			load(&b, RAX, RBX, m)
			storeOr(&b, RSP, m.To.N, m.Or)
		}
	}
	for i, n := range writers {
		if n > 1 {
			b.LoadSD(XReg(i), RSP, stage+8*int32(i))
		}
	}
	b.CallMem(RBX, s.FnOff)

	// Results: spill the result registers they read, move the base if
	// the stack moved, then run them from the spill slots.
	var spilled [4]bool
	for _, m := range s.Results {
		k := spillSlot(m.From)
		if spilled[k] {
			continue
		}
		spilled[k] = true
		switch k {
		case 0:
			b.Store64(RSP, 0, RAX)
		case 1:
			b.Store64(RSP, 8, RDX)
		default:
			b.StoreSD(RSP, int32(8*k), XReg(k-2))
		}
	}
	if s.TopOfStack != 0 {
		b.MovImm64(RAX, uint64(s.TopOfStack))
		b.CallReg(RAX)
		b.SubRegReg(RAX, R12)
		b.AddRegReg(RBX, RAX)
	}
	for _, m := range s.Results {
		m.From = Loc{LocBase, int32(8 * spillSlot(m.From))}
		load(&b, RAX, RSP, m)
		storeOr(&b, RBX, m.To.N, m.Or)
	}

	b.XorReg32(RAX, RAX)
	b.Lea(RSP, RBP, -16)
	b.Pop(R12)
	b.Pop(RBX)
	b.Pop(RBP)
	b.Ret()
	return b.Bytes(), b.Err()
}

// check validates s, so that a bad table is an error, not bad code.
func (s *CallStub) check() error {
	if s.NStack < 0 || s.NStack > 1<<16 {
		return fmt.Errorf("x86: call stub: %d stack words", s.NStack)
	}
	for i, m := range s.Args {
		if err := m.check(); err != nil {
			return fmt.Errorf("x86: call stub: argument move %d: %w", i, err)
		}
		ok := m.From.Kind == LocBase
		switch m.To.Kind {
		case LocGPR:
			ok = ok && m.To.N >= 0 && m.To.N < int32(len(sysvArgGPR))
		case LocFPR:
			ok = ok && m.To.N >= 0 && m.To.N < 8
		case LocStack:
			ok = ok && m.To.N >= 0 && m.To.N%8 == 0 && m.To.N < int32(8*s.NStack)
		default:
			ok = false
		}
		if !ok {
			return fmt.Errorf("x86: call stub: argument move %d: from %v to %v is not a Go word to a C argument", i, m.From, m.To)
		}
	}
	for i, m := range s.Results {
		if err := m.check(); err != nil {
			return fmt.Errorf("x86: call stub: result move %d: %w", i, err)
		}
		ok := m.To.Kind == LocBase
		switch m.From.Kind {
		case LocGPR, LocFPR:
			ok = ok && m.From.N >= 0 && m.From.N < 2
		default:
			ok = false
		}
		if !ok {
			return fmt.Errorf("x86: call stub: result move %d: from %v to %v is not a C result register to a Go word", i, m.From, m.To)
		}
	}
	return nil
}

func (m StubMove) check() error {
	if m.RShift > 63 || m.Ext > 63 || m.LShift > 63 {
		return fmt.Errorf("shift out of range (rshift %d, ext %d, lshift %d)", m.RShift, m.Ext, m.LShift)
	}
	return nil
}

// plain reports whether m moves a word or its low 32 bits unshifted.
func plain(m StubMove) bool {
	return m.RShift == 0 && m.LShift == 0 && !m.Or && (m.Ext == 0 || m.Ext == 32)
}

// spillSlot is the index of result register l among rax rdx xmm0 xmm1.
func spillSlot(l Loc) int {
	if l.Kind == LocFPR {
		return 2 + int(l.N)
	}
	return int(l.N)
}

// load emits the code that computes m's value from [base+m.From.N] into r.
func load(b *Builder, r, base Reg, m StubMove) {
	from := m.From.N
	if m.RShift == 0 && m.LShift == 0 {
		switch {
		case m.Ext == 0:
			b.Load64(r, base, from)
			return
		case m.Ext == 32 && m.Signed:
			b.Load32Sext(r, base, from)
			return
		case m.Ext == 32:
			b.Load32(r, base, from)
			return
		}
	}
	b.Load64(r, base, from)
	if m.RShift != 0 {
		b.ShrImm(r, m.RShift)
	}
	if m.Ext != 0 {
		b.ShlImm(r, m.Ext)
		if m.Signed {
			b.SarImm(r, m.Ext)
		} else {
			b.ShrImm(r, m.Ext)
		}
	}
	if m.LShift != 0 {
		b.ShlImm(r, m.LShift)
	}
}

// storeOr stores rax to [base+disp], or ORs it in.
func storeOr(b *Builder, base Reg, disp int32, or bool) {
	if or {
		b.OrStore64(base, disp, RAX)
	} else {
		b.Store64(base, disp, RAX)
	}
}
