package x86

// The byte, word and 32-bit loads and stores of movers (mover.go): each
// method emits exactly the one form its comment shows.

// Load8Sext encodes `movsx dst, byte ptr [base+disp]` (REX.W 0F BE /r).
func (b *Builder) Load8Sext(dst, base Reg, disp int32) {
	b.mem(0, true, uint8(dst), base, disp, 0x0F, 0xBE)
}

// Load8 encodes `movzx dst32, byte ptr [base+disp]`, which zero-extends
// into the full register ([REX] 0F B6 /r).
func (b *Builder) Load8(dst, base Reg, disp int32) {
	b.mem(0, false, uint8(dst), base, disp, 0x0F, 0xB6)
}

// Load16Sext encodes `movsx dst, word ptr [base+disp]` (REX.W 0F BF /r).
func (b *Builder) Load16Sext(dst, base Reg, disp int32) {
	b.mem(0, true, uint8(dst), base, disp, 0x0F, 0xBF)
}

// Load16 encodes `movzx dst32, word ptr [base+disp]`, which zero-extends
// into the full register ([REX] 0F B7 /r).
func (b *Builder) Load16(dst, base Reg, disp int32) {
	b.mem(0, false, uint8(dst), base, disp, 0x0F, 0xB7)
}

// Store32 encodes `mov dword ptr [base+disp], src32` ([REX] 89 /r).
func (b *Builder) Store32(base Reg, disp int32, src Reg) {
	b.mem(0, false, uint8(src), base, disp, 0x89)
}

// Store16 encodes `mov word ptr [base+disp], src16` (66 [REX] 89 /r).
func (b *Builder) Store16(base Reg, disp int32, src Reg) {
	b.mem(0x66, false, uint8(src), base, disp, 0x89)
}

// Store8 encodes `mov byte ptr [base+disp], src8` ([REX] 88 /r). The low
// bytes of rsp, rbp, rsi and rdi (spl, bpl, sil, dil) need a REX prefix,
// without which the same numbers mean ah, ch, dh and bh.
func (b *Builder) Store8(base Reg, disp int32, src Reg) {
	if !b.ok(uint8(src), uint8(base)) {
		return
	}
	if rex(false, uint8(src), uint8(base)) == 0 && src >= RSP && src <= RDI {
		b.emit(0x40)
	}
	b.mem(0, false, uint8(src), base, disp, 0x88)
}

// StoreSS encodes `movss dword ptr [base+disp], src`, storing the low 32
// bits of an SSE register (F3 [REX] 0F 11 /r).
func (b *Builder) StoreSS(base Reg, disp int32, src XReg) {
	b.mem(0xF3, false, uint8(src), base, disp, 0x0F, 0x11)
}
