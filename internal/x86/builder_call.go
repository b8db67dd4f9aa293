package x86

// The instructions of the bound-call stubs (callstub.go): loads with
// extension, shifts, OR, moves between general and SSE registers, and
// indirect calls. Each method emits exactly the one form its comment shows.

// Pop encodes `pop r64` (58+r, REX.B for r8..r15).
func (b *Builder) Pop(r Reg) {
	if !b.ok(uint8(r)) {
		return
	}
	b.emitREX(false, 0, uint8(r))
	b.emit(0x58 | byte(r)&7)
}

// Load32 encodes `mov dst32, dword ptr [base+disp]`, which zero-extends
// into the full 64-bit register ([REX] 8B /r).
func (b *Builder) Load32(dst Reg, base Reg, disp int32) {
	b.mem(0, false, uint8(dst), base, disp, 0x8B)
}

// Load32Sext encodes `movsxd dst, dword ptr [base+disp]` (REX.W 63 /r).
func (b *Builder) Load32Sext(dst Reg, base Reg, disp int32) {
	b.mem(0, true, uint8(dst), base, disp, 0x63)
}

// shiftImm encodes a REX.W C1 /op ib shift of r by n (1..63).
func (b *Builder) shiftImm(op uint8, name string, r Reg, n uint8) {
	if !b.ok(uint8(r)) {
		return
	}
	if n == 0 || n > 63 {
		b.fail("at %#x: %s %s, %d: shift count out of range 1..63", b.PC(), name, r, n)
		return
	}
	b.emitREX(true, 0, uint8(r))
	b.emit(0xC1)
	b.modrmReg(op, uint8(r))
	b.emit(n)
}

// ShlImm encodes `shl r64, n` (REX.W C1 /4 ib).
func (b *Builder) ShlImm(r Reg, n uint8) { b.shiftImm(4, "shl", r, n) }

// ShrImm encodes `shr r64, n` (REX.W C1 /5 ib).
func (b *Builder) ShrImm(r Reg, n uint8) { b.shiftImm(5, "shr", r, n) }

// SarImm encodes `sar r64, n` (REX.W C1 /7 ib).
func (b *Builder) SarImm(r Reg, n uint8) { b.shiftImm(7, "sar", r, n) }

// regRM encodes [prefix] [REX] op /r with registers in both ModRM.reg
// and ModRM.rm (mod=11).
func (b *Builder) regRM(prefix byte, w bool, reg, rm uint8, op ...byte) {
	if !b.ok(reg, rm) {
		return
	}
	if prefix != 0 {
		b.emit(prefix)
	}
	b.emitREX(w, reg, rm)
	b.emit(op...)
	b.modrmReg(reg, rm)
}

// regReg encodes a REX.W op /r instruction with dst in r/m and src in reg.
func (b *Builder) regReg(op byte, dst, src Reg) { b.regRM(0, true, uint8(src), uint8(dst), op) }

// OrRegReg encodes `or dst, src` on 64-bit registers (REX.W 09 /r).
func (b *Builder) OrRegReg(dst, src Reg) { b.regReg(0x09, dst, src) }

// AddRegReg encodes `add dst, src` on 64-bit registers (REX.W 01 /r).
func (b *Builder) AddRegReg(dst, src Reg) { b.regReg(0x01, dst, src) }

// SubRegReg encodes `sub dst, src` on 64-bit registers (REX.W 29 /r).
func (b *Builder) SubRegReg(dst, src Reg) { b.regReg(0x29, dst, src) }

// OrStore64 encodes `or qword ptr [base+disp], src` (REX.W 09 /r).
func (b *Builder) OrStore64(base Reg, disp int32, src Reg) {
	b.mem(0, true, uint8(src), base, disp, 0x09)
}

// LoadSS encodes `movss dst, dword ptr [base+disp]`, loading 32 bits into
// the low lane of an SSE register and zeroing the rest (F3 [REX] 0F 10 /r).
func (b *Builder) LoadSS(dst XReg, base Reg, disp int32) {
	b.mem(0xF3, false, uint8(dst), base, disp, 0x0F, 0x10)
}

// MovqXR encodes `movq dst, src` from a general register to the low lane
// of an SSE register, zeroing the upper lane (66 REX.W 0F 6E /r).
func (b *Builder) MovqXR(dst XReg, src Reg) { b.regRM(0x66, true, uint8(dst), uint8(src), 0x0F, 0x6E) }

// MovqRX encodes `movq dst, src` from the low lane of an SSE register to
// a general register (66 REX.W 0F 7E /r).
func (b *Builder) MovqRX(dst Reg, src XReg) { b.regRM(0x66, true, uint8(src), uint8(dst), 0x0F, 0x7E) }

// Mov32RegReg encodes `mov dst32, src32`, which zero-extends into the full
// 64-bit register ([REX] 89 /r).
func (b *Builder) Mov32RegReg(dst, src Reg) { b.regRM(0, false, uint8(src), uint8(dst), 0x89) }

// MovsxdRegReg encodes `movsxd dst, src32` (REX.W 63 /r).
func (b *Builder) MovsxdRegReg(dst, src Reg) { b.regRM(0, true, uint8(dst), uint8(src), 0x63) }

// MovImm64 encodes `movabs r64, imm64` (REX.W B8+r io).
func (b *Builder) MovImm64(r Reg, imm uint64) {
	if !b.ok(uint8(r)) {
		return
	}
	b.emitREX(true, 0, uint8(r))
	b.emit(0xB8 | byte(r)&7)
	b.emit32(uint32(imm))
	b.emit32(uint32(imm >> 32))
}

// CallReg encodes `call r64` ([REX.B] FF /2, mod=11).
func (b *Builder) CallReg(r Reg) {
	if !b.ok(uint8(r)) {
		return
	}
	b.emitREX(false, 0, uint8(r))
	b.emit(0xFF)
	b.modrmReg(2, uint8(r))
}

// CallMem encodes `call qword ptr [base+disp]` ([REX.B] FF /2).
func (b *Builder) CallMem(base Reg, disp int32) {
	if !b.ok(uint8(base)) {
		return
	}
	b.emitREX(false, 0, uint8(base))
	b.emit(0xFF)
	b.modrmMem(2, base, disp)
}

// TestReg encodes `test r, r` (REX.W 85 /r): ZF is set when r is 0.
func (b *Builder) TestReg(r Reg) { b.regReg(0x85, r, r) }

// CmovNZLoad64 encodes `cmovnz dst, qword ptr [base+disp]` (REX.W 0F 45
// /r): dst takes the word at base+disp unless ZF is set. The memory is
// read either way.
func (b *Builder) CmovNZLoad64(dst, base Reg, disp int32) {
	b.mem(0, true, uint8(dst), base, disp, 0x0f, 0x45)
}
