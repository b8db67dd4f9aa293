package a64

// The byte, half-word and 32-bit loads and stores of movers (mover.go):
// each method emits exactly the one form its comment shows, with an
// unsigned offset scaled by the access size (register 31 as base is sp).

// Ldrb encodes `ldrb wt, [xn, #off]`, zero-extending a byte into xt; off
// 0..4095 (0x39400000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Ldrb(rt, rn Reg, off int) { b.ldstN(0x39400000, "ldrb", uint8(rt), rn, off, 1) }

// Ldrsb encodes `ldrsb xt, [xn, #off]`, sign-extending a byte into xt; off
// 0..4095 (0x39800000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Ldrsb(rt, rn Reg, off int) { b.ldstN(0x39800000, "ldrsb", uint8(rt), rn, off, 1) }

// Ldrh encodes `ldrh wt, [xn, #off]`, zero-extending a half-word into xt;
// off a multiple of 2 up to 8190 (0x79400000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Ldrh(rt, rn Reg, off int) { b.ldstN(0x79400000, "ldrh", uint8(rt), rn, off, 2) }

// Ldrsh encodes `ldrsh xt, [xn, #off]`, sign-extending a half-word into xt;
// off a multiple of 2 up to 8190 (0x79800000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Ldrsh(rt, rn Reg, off int) { b.ldstN(0x79800000, "ldrsh", uint8(rt), rn, off, 2) }

// Strb encodes `strb wt, [xn, #off]`, storing the low byte of xt; off
// 0..4095 (0x39000000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Strb(rt, rn Reg, off int) { b.ldstN(0x39000000, "strb", uint8(rt), rn, off, 1) }

// Strh encodes `strh wt, [xn, #off]`, storing the low half-word of xt; off
// a multiple of 2 up to 8190 (0x79000000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Strh(rt, rn Reg, off int) { b.ldstN(0x79000000, "strh", uint8(rt), rn, off, 2) }

// StrW encodes `str wt, [xn, #off]`, storing the low 32 bits of xt; off a
// multiple of 4 up to 16380 (0xb9000000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) StrW(rt, rn Reg, off int) { b.ldstN(0xb9000000, "str w", uint8(rt), rn, off, 4) }

// StrS encodes `str st, [xn, #off]`, storing the low 32 bits of vt; off a
// multiple of 4 up to 16380 (0xbd000000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) StrS(vt VReg, rn Reg, off int) { b.ldstN(0xbd000000, "str s", uint8(vt), rn, off, 4) }

func (b *Builder) ldstN(op uint32, what string, rt uint8, rn Reg, off int, scale int64) {
	if !b.ok(rt, uint8(rn)) {
		return
	}
	if imm, ok := b.scaled(what, int64(off), scale, 12, false); ok {
		b.emit(op | imm<<10 | uint32(rn)<<5 | uint32(rt))
	}
}
