package a64

// The instructions of the bound-call stubs (callstub.go): 32-bit loads
// with extension, shifts, OR, register adds and subtracts, a move from a
// general to a vector register and the wide moves that build a 64-bit
// constant. Each method emits exactly the one form its comment shows.

// LdrW encodes `ldr wt, [xn, #off]`, which zero-extends into xt, with an
// unsigned offset, a multiple of 4 up to 16380; register 31 as base is sp
// (0xb9400000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) LdrW(rt, rn Reg, off int) { b.ldst4(0xb9400000, "ldr w", uint8(rt), rn, off) }

// Ldrsw encodes `ldrsw xt, [xn, #off]`, which sign-extends a 32-bit word
// into xt, with an unsigned offset, a multiple of 4 up to 16380
// (0xb9800000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Ldrsw(rt, rn Reg, off int) { b.ldst4(0xb9800000, "ldrsw", uint8(rt), rn, off) }

// LdrS encodes `ldr st, [xn, #off]`, loading 32 bits into the low word of
// vt and zeroing the rest, with an unsigned offset, a multiple of 4 up to
// 16380 (0xbd400000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) LdrS(vt VReg, rn Reg, off int) { b.ldst4(0xbd400000, "ldr s", uint8(vt), rn, off) }

func (b *Builder) ldst4(op uint32, what string, rt uint8, rn Reg, off int) {
	if !b.ok(rt, uint8(rn)) {
		return
	}
	if imm, ok := b.scaled(what, int64(off), 4, 12, false); ok {
		b.emit(op | imm<<10 | uint32(rn)<<5 | uint32(rt))
	}
}

// bitfield encodes a 64-bit UBFM or SBFM (op) with immr and imms after
// checking the shift n is in 1..63.
func (b *Builder) bitfield(op uint32, what string, rd, rn Reg, n uint8, immr, imms uint32) {
	if !b.ok(uint8(rd), uint8(rn)) {
		return
	}
	if n == 0 || n > 63 {
		b.fail("%s at %#x: shift %d out of range 1..63", what, b.PC(), n)
		return
	}
	b.emit(op | immr<<16 | imms<<10 | uint32(rn)<<5 | uint32(rd))
}

// LslImm encodes `lsl xd, xn, #n` (n 1..63), the alias of `ubfm xd, xn,
// #(64-n), #(63-n)` (0xd3400000 | immr<<16 | imms<<10 | Rn<<5 | Rd).
func (b *Builder) LslImm(rd, rn Reg, n uint8) {
	b.bitfield(0xd3400000, "lsl", rd, rn, n, uint32(64-n)&63, uint32(63-n)&63)
}

// LsrImm encodes `lsr xd, xn, #n` (n 1..63), the alias of `ubfm xd, xn,
// #n, #63` (0xd340fc00 | n<<16 | Rn<<5 | Rd).
func (b *Builder) LsrImm(rd, rn Reg, n uint8) {
	b.bitfield(0xd3400000, "lsr", rd, rn, n, uint32(n), 63)
}

// AsrImm encodes `asr xd, xn, #n` (n 1..63), the alias of `sbfm xd, xn,
// #n, #63` (0x9340fc00 | n<<16 | Rn<<5 | Rd).
func (b *Builder) AsrImm(rd, rn Reg, n uint8) {
	b.bitfield(0x93400000, "asr", rd, rn, n, uint32(n), 63)
}

// threeReg encodes a 64-bit shifted-register instruction with no shift;
// register 31 is xzr.
func (b *Builder) threeReg(op uint32, rd, rn, rm Reg) {
	if b.ok(uint8(rd), uint8(rn), uint8(rm)) {
		b.emit(op | uint32(rm)<<16 | uint32(rn)<<5 | uint32(rd))
	}
}

// Orr encodes `orr xd, xn, xm` (0xaa000000 | Rm<<16 | Rn<<5 | Rd); with xn
// = xzr it is the `mov xd, xm` alias.
func (b *Builder) Orr(rd, rn, rm Reg) { b.threeReg(0xaa000000, rd, rn, rm) }

// AddReg encodes `add xd, xn, xm` (0x8b000000 | Rm<<16 | Rn<<5 | Rd);
// register 31 is xzr here, not sp.
func (b *Builder) AddReg(rd, rn, rm Reg) { b.threeReg(0x8b000000, rd, rn, rm) }

// SubReg encodes `sub xd, xn, xm` (0xcb000000 | Rm<<16 | Rn<<5 | Rd);
// register 31 is xzr here, not sp.
func (b *Builder) SubReg(rd, rn, rm Reg) { b.threeReg(0xcb000000, rd, rn, rm) }

// SubImm encodes `sub xd, xn, #imm` for imm 0..4095 (0xd1000000 |
// imm12<<10 | Rn<<5 | Rd) or `sub xd, xn, #(imm>>12), lsl #12` for a
// multiple of 4096 up to 4095<<12 (0xd1400000 | ...); register 31 is sp
// for both.
func (b *Builder) SubImm(rd, rn Reg, imm uint32) {
	if !b.ok(uint8(rd), uint8(rn)) {
		return
	}
	switch {
	case imm <= 0xfff:
		b.emit(0xd1000000 | imm<<10 | uint32(rn)<<5 | uint32(rd))
	case imm&0xfff == 0 && imm>>12 <= 0xfff:
		b.emit(0xd1400000 | imm>>12<<10 | uint32(rn)<<5 | uint32(rd))
	default:
		b.fail("sub at %#x: immediate %d is neither 0..4095 nor a multiple of 4096 up to %d", b.PC(), imm, 0xfff<<12)
	}
}

// FmovDX encodes `fmov dd, xn`, copying xn into the low 64 bits of vd and
// zeroing the rest (0x9e670000 | Rn<<5 | Rd).
func (b *Builder) FmovDX(vd VReg, rn Reg) {
	if b.ok(uint8(vd), uint8(rn)) {
		b.emit(0x9e670000 | uint32(rn)<<5 | uint32(vd))
	}
}

// MovZ encodes `movz xd, #imm16, lsl #shift` (shift 0, 16, 32 or 48),
// which zeroes every other bit of xd (0xd2800000 | hw<<21 | imm16<<5 | Rd).
func (b *Builder) MovZ(rd Reg, imm uint16, shift uint) { b.movWide64(0xd2800000, rd, imm, shift) }

// MovK encodes `movk xd, #imm16, lsl #shift` (shift 0, 16, 32 or 48),
// which replaces those 16 bits and keeps the others (0xf2800000 | hw<<21 |
// imm16<<5 | Rd).
func (b *Builder) MovK(rd Reg, imm uint16, shift uint) { b.movWide64(0xf2800000, rd, imm, shift) }

func (b *Builder) movWide64(op uint32, rd Reg, imm uint16, shift uint) {
	if !b.ok(uint8(rd)) {
		return
	}
	if shift%16 != 0 || shift > 48 {
		b.fail("mov wide at %#x: shift %d is not 0, 16, 32 or 48", b.PC(), shift)
		return
	}
	b.emit(op | uint32(shift/16)<<21 | uint32(imm)<<5 | uint32(rd))
}

// CmpZero encodes `cmp xn, #0` (subs xzr, xn, #0: 0xf100001f | Rn<<5).
func (b *Builder) CmpZero(rn Reg) {
	if b.ok(uint8(rn)) {
		b.emit(0xf100001f | uint32(rn)<<5)
	}
}

// CselNEZero encodes `csel xd, xn, xzr, ne`: xd is xn unless the last
// comparison found equal, then 0 (0x9a9f1000 | Rn<<5 | Rd).
func (b *Builder) CselNEZero(rd, rn Reg) {
	if b.ok(uint8(rd), uint8(rn)) {
		b.emit(0x9a9f1000 | uint32(rn)<<5 | uint32(rd))
	}
}
