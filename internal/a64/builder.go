// Package a64 encodes the few A64 (AArch64) instructions that callback slots
// and the common callback entry need on arm64. It is not an assembler: each
// Builder method emits exactly one instruction form, documented with the
// assembly it encodes, and the tests decode every word back with
// golang.org/x/arch/arm64/arm64asm.
//
// Nothing here touches memory protection, caches or the Go runtime; the
// callers place the returned bytes on executable pages and synchronize the
// instruction cache.
package a64

import (
	"encoding/binary"
	"fmt"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Reg is a 64-bit general-purpose register x0 ... x30, or register 31,
// which means sp or xzr depending on the instruction.
type Reg uint8

// General-purpose registers used by the encoders, by number.
const (
	X0  Reg = 0
	X1  Reg = 1
	X2  Reg = 2
	X3  Reg = 3
	X4  Reg = 4
	X5  Reg = 5
	X6  Reg = 6
	X7  Reg = 7
	X8  Reg = 8
	X9  Reg = 9
	X10 Reg = 10
	X11 Reg = 11
	X12 Reg = 12
	X13 Reg = 13
	X14 Reg = 14
	X19 Reg = 19 // callee-saved in C
	X20 Reg = 20 // callee-saved in C
	X29 Reg = 29 // frame pointer
	X30 Reg = 30 // link register
	SP  Reg = 31 // stack pointer, where the instruction reads register 31 as sp
	ZR  Reg = 31 // zero register, where the instruction reads register 31 as zr
)

// String returns the register's 64-bit name ("x9", "sp" for 31).
func (r Reg) String() string {
	switch {
	case r < 31:
		return fmt.Sprintf("x%d", uint8(r))
	case r == 31:
		return "sp"
	}
	return fmt.Sprintf("reg%d", uint8(r))
}

// VReg is a SIMD and floating-point register v0 ... v31; the encoders here
// use its low 64 bits (d0 ... d31).
type VReg uint8

// String returns the register's 64-bit scalar name, such as "d3".
func (v VReg) String() string { return fmt.Sprintf("d%d", uint8(v)) }

// Builder appends machine code to a byte slice whose bytes will be placed at
// a known address, so that pc-relative branch and literal targets can be
// computed. The first encoding error (a target out of range, an offset that
// the form cannot encode) is kept and reported by Err; later methods do
// nothing. The zero Builder appends to a nil slice placed at address 0.
type Builder struct {
	buf  []byte
	org  int     // index in buf of the first byte this builder wrote
	addr uintptr // address where buf[org] will live
	err  error
}

// NewBuilder returns a Builder that appends to dst; the first byte it
// appends will live at address addr, which must be 4-byte aligned.
func NewBuilder(dst []byte, addr uintptr) Builder {
	b := Builder{buf: dst, org: len(dst), addr: addr}
	if addr&3 != 0 {
		b.fail("code address %#x is not 4-byte aligned", addr)
	}
	return b
}

// Bytes returns dst with everything appended so far.
func (b *Builder) Bytes() []byte { return b.buf }

// Len returns the number of bytes this builder has appended.
func (b *Builder) Len() int { return len(b.buf) - b.org }

// PC returns the address of the next instruction to be appended.
func (b *Builder) PC() uintptr { return b.addr + uintptr(b.Len()) }

// Err returns the first encoding error, or nil.
func (b *Builder) Err() error { return b.err }

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = errfmt.Errorf("a64: "+format, args...)
	}
}

// ok reports whether no error was recorded and every register number is
// 0..31.
func (b *Builder) ok(regs ...uint8) bool {
	if b.err != nil {
		return false
	}
	for _, r := range regs {
		if r > 31 {
			b.fail("at %#x: register number %d out of range 0..31", b.PC(), r)
			return false
		}
	}
	return true
}

// emit appends one instruction word, little-endian.
func (b *Builder) emit(w uint32) { b.buf = binary.LittleEndian.AppendUint32(b.buf, w) }

// scaled returns off/scale as a field of bits bits (signed when signed is
// set), or records an error naming the instruction when off is not a
// multiple of scale or does not fit.
func (b *Builder) scaled(what string, off int64, scale int64, bits uint, signed bool) (uint32, bool) {
	if off%scale != 0 {
		b.fail("%s at %#x: offset %d is not a multiple of %d", what, b.PC(), off, scale)
		return 0, false
	}
	v := off / scale
	lo, hi := int64(0), int64(1)<<bits-1
	if signed {
		lo, hi = -(int64(1) << (bits - 1)), int64(1)<<(bits-1)-1
	}
	if v < lo || v > hi {
		b.fail("%s at %#x: offset %d out of range %d..%d", what, b.PC(), off, lo*scale, hi*scale)
		return 0, false
	}
	return uint32(v) & (1<<bits - 1), true
}

// pcrel returns (target - pc of this instruction)/4 as a signed field of
// bits bits, or records an error naming the instruction.
func (b *Builder) pcrel(what string, target uintptr, bits uint) (uint32, bool) {
	return b.scaled(what, int64(uint64(target)-uint64(b.PC())), 4, bits, true)
}

// MovZ32 encodes `movz wd, #imm16, lsl #shift` (shift 0 or 16), which
// zeroes every other bit of xd (0x52800000 | hw<<21 | imm16<<5 | Rd).
func (b *Builder) MovZ32(rd Reg, imm uint16, shift uint) {
	b.movWide(0x52800000, rd, imm, shift)
}

// MovK32 encodes `movk wd, #imm16, lsl #shift` (shift 0 or 16), which
// replaces those 16 bits and keeps the others of wd (0x72800000 | hw<<21 |
// imm16<<5 | Rd).
func (b *Builder) MovK32(rd Reg, imm uint16, shift uint) {
	b.movWide(0x72800000, rd, imm, shift)
}

func (b *Builder) movWide(op uint32, rd Reg, imm uint16, shift uint) {
	if !b.ok(uint8(rd)) {
		return
	}
	if shift != 0 && shift != 16 {
		b.fail("mov wide at %#x: shift %d is not 0 or 16", b.PC(), shift)
		return
	}
	b.emit(op | uint32(shift/16)<<21 | uint32(imm)<<5 | uint32(rd))
}

// B encodes `b target`, a branch within ±128 MiB (0x14000000 | imm26).
func (b *Builder) B(target uintptr) {
	if !b.ok() {
		return
	}
	if imm, ok := b.pcrel("b", target, 26); ok {
		b.emit(0x14000000 | imm)
	}
}

// BLR encodes `blr xn`, a call through a register (0xd63f0000 | Rn<<5).
func (b *Builder) BLR(rn Reg) {
	if b.ok(uint8(rn)) {
		b.emit(0xd63f0000 | uint32(rn)<<5)
	}
}

// Ret encodes `ret`, a return through x30 (0xd65f03c0).
func (b *Builder) Ret() {
	if b.ok() {
		b.emit(0xd65f03c0)
	}
}

// Brk encodes `brk #imm16`, the breakpoint trap used as padding
// (0xd4200000 | imm16<<5).
func (b *Builder) Brk(imm uint16) {
	if b.ok() {
		b.emit(0xd4200000 | uint32(imm)<<5)
	}
}

// PadBrk appends `brk #0` until this builder has appended n bytes; it
// records an error if more than n bytes were already appended or n is not a
// multiple of 4.
func (b *Builder) PadBrk(n int) {
	if !b.ok() {
		return
	}
	if b.Len() > n || n%4 != 0 {
		b.fail("at %#x: code is %d bytes, cannot pad to %d", b.PC(), b.Len(), n)
		return
	}
	for b.Len() < n {
		b.Brk(0)
	}
}

// AddImm encodes `add xd, xn, #imm12` on 64-bit registers, where register
// 31 is sp for both (0x91000000 | imm12<<10 | Rn<<5 | Rd). With imm 0 it is
// the `mov xd, sp` / `mov sp, xn` alias.
func (b *Builder) AddImm(rd, rn Reg, imm uint32) {
	if !b.ok(uint8(rd), uint8(rn)) {
		return
	}
	if imm > 0xfff {
		b.fail("add at %#x: immediate %d out of range 0..4095", b.PC(), imm)
		return
	}
	b.emit(0x91000000 | imm<<10 | uint32(rn)<<5 | uint32(rd))
}

// AddLsl3 encodes `add xd, xn, xm, lsl #3` (0x8b000000 | Rm<<16 | 3<<10 |
// Rn<<5 | Rd); register 31 is xzr here, not sp.
func (b *Builder) AddLsl3(rd, rn, rm Reg) {
	if b.ok(uint8(rd), uint8(rn), uint8(rm)) {
		b.emit(0x8b000000 | uint32(rm)<<16 | 3<<10 | uint32(rn)<<5 | uint32(rd))
	}
}

// LdrLit encodes `ldr xt, target`, loading the 8-byte word at address
// target within ±1 MiB of the instruction (0x58000000 | imm19<<5 | Rt).
func (b *Builder) LdrLit(rt Reg, target uintptr) {
	if !b.ok(uint8(rt)) {
		return
	}
	if imm, ok := b.pcrel("ldr "+rt.String()+", literal", target, 19); ok {
		b.emit(0x58000000 | imm<<5 | uint32(rt))
	}
}

// Str encodes `str xt, [xn, #off]` with an unsigned offset, a multiple of 8
// up to 32760; register 31 as base is sp (0xf9000000 | imm12<<10 | Rn<<5 |
// Rt).
func (b *Builder) Str(rt, rn Reg, off int) { b.ldst(0xf9000000, "str", uint8(rt), rn, off) }

// Ldr encodes `ldr xt, [xn, #off]` with an unsigned offset, a multiple of 8
// up to 32760 (0xf9400000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) Ldr(rt, rn Reg, off int) { b.ldst(0xf9400000, "ldr", uint8(rt), rn, off) }

// StrD encodes `str dt, [xn, #off]`, storing the low 64 bits of vt, with an
// unsigned offset, a multiple of 8 up to 32760 (0xfd000000 | imm12<<10 |
// Rn<<5 | Rt).
func (b *Builder) StrD(vt VReg, rn Reg, off int) { b.ldst(0xfd000000, "str d", uint8(vt), rn, off) }

// LdrD encodes `ldr dt, [xn, #off]`, loading 64 bits into the low half of
// vt and zeroing the rest, with an unsigned offset, a multiple of 8 up to
// 32760 (0xfd400000 | imm12<<10 | Rn<<5 | Rt).
func (b *Builder) LdrD(vt VReg, rn Reg, off int) { b.ldst(0xfd400000, "ldr d", uint8(vt), rn, off) }

func (b *Builder) ldst(op uint32, what string, rt uint8, rn Reg, off int) {
	if !b.ok(rt, uint8(rn)) {
		return
	}
	if imm, ok := b.scaled(what, int64(off), 8, 12, false); ok {
		b.emit(op | imm<<10 | uint32(rn)<<5 | uint32(rt))
	}
}

// Addressing modes of the pair instructions.
const (
	offsetMode = 0x01000000 // [xn, #off]
	preIndex   = 0x01800000 // [xn, #off]!
	postIndex  = 0x00800000 // [xn], #off
)

// Stp encodes `stp xt1, xt2, [xn, #off]`; off is a multiple of 8 in
// -512..504 (0xa9000000 | imm7<<15 | Rt2<<10 | Rn<<5 | Rt1).
func (b *Builder) Stp(rt1, rt2, rn Reg, off int) {
	b.pair(0xa8000000|offsetMode, "stp", uint8(rt1), uint8(rt2), rn, off)
}

// StpPre encodes `stp xt1, xt2, [xn, #off]!`, which first adds off to xn
// (0xa9800000 | imm7<<15 | Rt2<<10 | Rn<<5 | Rt1).
func (b *Builder) StpPre(rt1, rt2, rn Reg, off int) {
	b.pair(0xa8000000|preIndex, "stp", uint8(rt1), uint8(rt2), rn, off)
}

// Ldp encodes `ldp xt1, xt2, [xn, #off]` (0xa9400000 | imm7<<15 | Rt2<<10 |
// Rn<<5 | Rt1).
func (b *Builder) Ldp(rt1, rt2, rn Reg, off int) {
	b.pair(0xa8400000|offsetMode, "ldp", uint8(rt1), uint8(rt2), rn, off)
}

// LdpPost encodes `ldp xt1, xt2, [xn], #off`, which adds off to xn after
// loading (0xa8c00000 | imm7<<15 | Rt2<<10 | Rn<<5 | Rt1).
func (b *Builder) LdpPost(rt1, rt2, rn Reg, off int) {
	b.pair(0xa8400000|postIndex, "ldp", uint8(rt1), uint8(rt2), rn, off)
}

// StpD encodes `stp dt1, dt2, [xn, #off]`, storing the low 64 bits of two
// vector registers (0x6d000000 | imm7<<15 | Rt2<<10 | Rn<<5 | Rt1).
func (b *Builder) StpD(vt1, vt2 VReg, rn Reg, off int) {
	b.pair(0x6c000000|offsetMode, "stp d", uint8(vt1), uint8(vt2), rn, off)
}

// LdpD encodes `ldp dt1, dt2, [xn, #off]`, loading the low 64 bits of two
// vector registers and zeroing the rest (0x6d400000 | imm7<<15 | Rt2<<10 |
// Rn<<5 | Rt1).
func (b *Builder) LdpD(vt1, vt2 VReg, rn Reg, off int) {
	b.pair(0x6c400000|offsetMode, "ldp d", uint8(vt1), uint8(vt2), rn, off)
}

func (b *Builder) pair(op uint32, what string, rt1, rt2 uint8, rn Reg, off int) {
	if !b.ok(rt1, rt2, uint8(rn)) {
		return
	}
	if imm, ok := b.scaled(what, int64(off), 8, 7, true); ok {
		b.emit(op | imm<<15 | uint32(rt2)<<10 | uint32(rn)<<5 | uint32(rt1))
	}
}
