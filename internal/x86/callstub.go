package x86

import "github.com/seed5ca82032/ffi/internal/stub"

// callConv is what a bound-call stub needs to know of a C calling
// convention.
type callConv struct {
	regs stub.Regs
	// argGPR are the integer argument registers in order; in the register
	// that holds the stub's own argument (the Frame address).
	argGPR []Reg
	in     Reg
	// resGPR are the integer result registers in order.
	resGPR []Reg
	// minStack is the number of stack words the caller always reserves
	// (the Microsoft x64 shadow space), spill the offset of the four
	// result-register spill slots: the shadow space belongs to the callee
	// of the stack-top call that follows the C call.
	minStack int
	spill    int32
	// vecCount: a variadic callee takes in al the number of vector
	// registers used (System V).
	vecCount bool
}

var (
	convSysV  = callConv{regs: stub.Regs{ArgGPR: 6, ArgFPR: 8, ResGPR: 2, ResFPR: 2}, argGPR: sysvArgGPR[:], in: RDI, resGPR: []Reg{RAX, RDX}, vecCount: true}
	convWin64 = callConv{regs: stub.Regs{ArgGPR: 4, ArgFPR: 4, ResGPR: 1, ResFPR: 1}, argGPR: win64ArgGPR[:], in: RCX, resGPR: []Reg{RAX}, minStack: 4, spill: ShadowSpaceWin64}
)

// AppendCallSysV appends the System V AMD64 encoding of the bound-call
// stub c (see package stub). The code has no absolute or relative
// references to itself, so it may be placed anywhere.
//
// The stub's own frame (rbp-based):
//
//	push rbp; mov rbp, rsp; push rbx; push r12; sub rsp, S
//	[rsp, rsp+8*NStack)     the C stack argument words
//	[rsp+stage, +8*8)       vector argument words built by several moves
//	[rsp+sret, +SRetSize+8) the memory result, at 32 or above
//	after the call, [rsp, rsp+32) holds rax, rdx, xmm0, xmm1 (not in
//	a leaf stub, whose result moves read the result registers directly)
//
// rbx holds the base and r12 the stack top before the call (both
// callee-saved in C); rax is the scratch register of every move (rcx of
// a leaf stub's result moves). A stub
// that records its leaf call (Call.Enter) keeps in r12 instead the word
// Enter returned, and stores 0 to it with the return value:
//
//	mov rdi, Name; mov rax, Enter; call rax; mov r12, rax   (after the lea)
//	xor eax, eax; mov qword ptr [r12], rax                   (before the epilogue)
func AppendCallSysV(dst []byte, c *stub.Call) ([]byte, error) {
	return appendCall(dst, c, &convSysV)
}

// AppendCallWin64 appends the Microsoft x64 encoding of the bound-call
// stub c: as AppendCallSysV, with the argument in rcx, rcx rdx r8 r9 and
// xmm0..xmm3 by position, stack words counted from the 32-byte shadow
// space the stub always reserves, rax and xmm0 as the result registers,
// spilled at [rsp+32, rsp+64) after the call.
func AppendCallWin64(dst []byte, c *stub.Call) ([]byte, error) {
	return appendCall(dst, c, &convWin64)
}

func appendCall(dst []byte, c *stub.Call, cv *callConv) ([]byte, error) {
	if err := c.Check(cv.regs); err != nil {
		return dst, err
	}
	// Vector registers written by more than one move are built in memory.
	var writers [8]int
	staged := false
	for _, m := range c.Args {
		if m.To.Kind == stub.FPR {
			writers[m.To.N]++
			staged = staged || writers[m.To.N] > 1
		}
	}
	stage := int32(8 * max(c.NStack, cv.minStack))
	sret := stage
	if staged {
		sret += 8 * 8
	}
	// The memory result stays clear of the result spill slots.
	sret = max(sret, cv.spill+32)
	size := sret
	if c.SRetSize > 0 {
		size += (c.SRetSize+7)&^7 + 8
	}
	size = (max(size, cv.spill+32) + 15) &^ 15

	b := NewBuilder(dst, 0)
	b.Push(RBP)
	b.MovRegReg(RBP, RSP)
	b.Push(RBX)
	b.Push(R12)
	b.SubImm32(RSP, size)
	b.Lea(RBX, cv.in, -c.FrameOff)
	if c.Enter != 0 {
		b.MovImm64(cv.argGPR[0], uint64(c.Name))
		b.MovImm64(RAX, uint64(c.Enter))
		b.CallReg(RAX)
		b.MovRegReg(R12, RAX)
	}
	if c.TopOfStack != 0 {
		b.MovImm64(RAX, uint64(c.TopOfStack))
		b.CallReg(RAX)
		b.MovRegReg(R12, RAX)
	}

	if c.SRetSize > 0 {
		switch c.SRetDst.Kind {
		case stub.GPR:
			b.Lea(cv.argGPR[c.SRetDst.N], RSP, sret)
		default:
			b.Lea(RAX, RSP, sret)
			b.Store64(RSP, c.SRetDst.N, RAX)
		}
	}
	for _, m := range c.Args {
		switch m.To.Kind {
		case stub.GPR:
			r := cv.argGPR[m.To.N]
			if m.Or {
				load(&b, RAX, RBX, m)
				b.OrRegReg(r, RAX)
			} else {
				load(&b, r, RBX, m)
			}
		case stub.FPR:
			x := XReg(m.To.N)
			switch {
			case writers[m.To.N] > 1:
				load(&b, RAX, RBX, m)
				storeOr(&b, RSP, stage+8*m.To.N, m.Or, RAX)
			case m.Plain() && m.Ext == 0:
				b.LoadSD(x, RBX, m.From.N)
			case m.Plain() && m.Ext == 32 && !m.Signed:
				b.LoadSS(x, RBX, m.From.N)
			default:
				load(&b, RAX, RBX, m)
				b.MovqXR(x, RAX)
			}
		case stub.Stack:
			load(&b, RAX, RBX, m)
			storeOr(&b, RSP, m.To.N, m.Or, RAX)
		}
	}
	for i, n := range writers {
		if n > 1 {
			b.LoadSD(XReg(i), RSP, stage+8*int32(i))
		}
	}
	if c.Variadic && cv.vecCount {
		b.MovImm32(RAX, uint32(c.VecRegs))
	}
	b.CallMem(RBX, c.FnOff)

	if c.TopOfStack == 0 {
		// A leaf call: nothing runs between the C call and the results,
		// so they are read from the result registers directly, with rcx
		// (no result register) as the scratch register.
		for _, m := range c.Results {
			switch {
			case m.From.Kind == stub.GPR:
				loadReg(&b, RCX, cv.resGPR[m.From.N], m)
			case m.From.Kind == stub.FPR && m.Plain() && m.Ext == 0:
				b.StoreSD(RBX, m.To.N, XReg(m.From.N))
				continue
			case m.From.Kind == stub.FPR:
				b.MovqRX(RCX, XReg(m.From.N))
				shape(&b, RCX, m)
			default:
				m.From = stub.Loc{Kind: stub.Base, N: sret + m.From.N}
				load(&b, RCX, RSP, m)
			}
			storeOr(&b, RBX, m.To.N, m.Or, RCX)
		}
		return epilogue(&b, c)
	}

	// Results: spill the result registers they read, move the base if
	// the stack moved, then run them from the spill slots (or the memory
	// result).
	var spilled [4]bool
	for _, m := range c.Results {
		k := m.From.ResultSlot()
		if k < 0 || spilled[k] {
			continue
		}
		spilled[k] = true
		switch k {
		case 0:
			b.Store64(RSP, cv.spill, RAX)
		case 1:
			b.Store64(RSP, cv.spill+8, RDX)
		default:
			b.StoreSD(RSP, cv.spill+int32(8*k), XReg(k-2))
		}
	}
	if c.TopOfStack != 0 {
		b.MovImm64(RAX, uint64(c.TopOfStack))
		b.CallReg(RAX)
		b.SubRegReg(RAX, R12)
		b.AddRegReg(RBX, RAX)
	}
	for _, m := range c.Results {
		if k := m.From.ResultSlot(); k >= 0 {
			m.From = stub.Loc{Kind: stub.Base, N: cv.spill + int32(8*k)}
		} else {
			m.From = stub.Loc{Kind: stub.Base, N: sret + m.From.N}
		}
		load(&b, RAX, RSP, m)
		storeOr(&b, RBX, m.To.N, m.Or, RAX)
	}
	return epilogue(&b, c)
}

// epilogue clears the leaf record (Call.Enter), returns 0 and restores
// the callee-saved registers.
func epilogue(b *Builder, c *stub.Call) ([]byte, error) {
	b.XorReg32(RAX, RAX)
	if c.Enter != 0 {
		b.Store64(R12, 0, RAX)
	}
	b.Lea(RSP, RBP, -16)
	b.Pop(R12)
	b.Pop(RBX)
	b.Pop(RBP)
	b.Ret()
	return b.Bytes(), b.Err()
}

// load emits the code that computes m's value from [base+m.From.N] into r.
func load(b *Builder, r, base Reg, m stub.Move) {
	from := m.From.N
	if m.Guarded {
		// mov r, [guard]; test r, r; cmovnz r, [from]: 0 when the guard is.
		b.Load64(r, base, m.Guard)
		b.TestReg(r)
		b.CmovNZLoad64(r, base, from)
		return
	}
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
	shape(b, r, m)
}

// loadReg emits the code that computes m's value from register src into r.
func loadReg(b *Builder, r, src Reg, m stub.Move) {
	if m.RShift == 0 && m.LShift == 0 {
		switch {
		case m.Ext == 0:
			b.MovRegReg(r, src)
			return
		case m.Ext == 32 && m.Signed:
			b.MovsxdRegReg(r, src)
			return
		case m.Ext == 32:
			b.Mov32RegReg(r, src)
			return
		}
	}
	b.MovRegReg(r, src)
	shape(b, r, m)
}

// shape applies m's shifts and extension to the word in r.
func shape(b *Builder, r Reg, m stub.Move) {
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

// storeOr stores src to [base+disp], or ORs it in.
func storeOr(b *Builder, base Reg, disp int32, or bool, src Reg) {
	if or {
		b.OrStore64(base, disp, src)
	} else {
		b.Store64(base, disp, src)
	}
}
