// Package x86 encodes the few x86-64 instructions that callback slots and the
// common callback entry need. It is not an assembler: each Builder method
// emits exactly one instruction form, documented with the assembly it encodes,
// and the tests decode every byte back with golang.org/x/arch/x86/x86asm.
//
// Nothing here touches memory protection or the Go runtime; the callers
// place the returned bytes on executable pages.
package x86

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Reg is a 64-bit general-purpose register, numbered as in the ModRM/REX
// encoding (0 = rax ... 15 = r15).
type Reg uint8

// General-purpose registers in encoding order.
const (
	RAX Reg = iota
	RCX
	RDX
	RBX
	RSP
	RBP
	RSI
	RDI
	R8
	R9
	R10
	R11
	R12
	R13
	R14
	R15
)

var regNames = [16]string{
	"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
}

// String returns the register's 64-bit name, such as "rdi" or "r11".
func (r Reg) String() string {
	if int(r) < len(regNames) {
		return regNames[r]
	}
	return fmt.Sprintf("reg%d", uint8(r))
}

// XReg is an SSE register, xmm0 ... xmm15.
type XReg uint8

// SSE registers in encoding order.
const (
	X0 XReg = iota
	X1
	X2
	X3
	X4
	X5
	X6
	X7
	X8
	X9
	X10
	X11
	X12
	X13
	X14
	X15
)

// String returns the register's name, such as "xmm3".
func (x XReg) String() string { return fmt.Sprintf("xmm%d", uint8(x)) }

// Builder appends machine code to a byte slice whose bytes will be placed at
// a known address, so that rip-relative operands and branch targets can be
// computed. The first encoding error (a target out of rel32 range, an
// invalid register) is kept and reported by Err; later methods do nothing.
// The zero Builder appends to a nil slice placed at address 0.
type Builder struct {
	buf  []byte
	org  int     // index in buf of the first byte this builder wrote
	addr uintptr // address where buf[org] will live
	err  error
}

// NewBuilder returns a Builder that appends to dst; the first byte it
// appends will live at address addr.
func NewBuilder(dst []byte, addr uintptr) Builder {
	return Builder{buf: dst, org: len(dst), addr: addr}
}

// Bytes returns dst with everything appended so far.
func (b *Builder) Bytes() []byte { return b.buf }

// Len returns the number of bytes this builder has appended.
func (b *Builder) Len() int { return len(b.buf) - b.org }

// PC returns the address of the next byte to be appended.
func (b *Builder) PC() uintptr { return b.addr + uintptr(b.Len()) }

// Err returns the first encoding error, or nil.
func (b *Builder) Err() error { return b.err }

func (b *Builder) fail(format string, args ...any) {
	if b.err == nil {
		b.err = errfmt.Errorf("x86: "+format, args...)
	}
}

func (b *Builder) ok(regs ...uint8) bool {
	if b.err != nil {
		return false
	}
	for _, r := range regs {
		if r > 15 {
			b.fail("at %#x: register number %d out of range 0..15", b.PC(), r)
			return false
		}
	}
	return true
}

// emit appends bytes. It and emit32 are kept out of line: they are called
// from a hundred places, all building code once per binding or callback,
// and inlined copies cost the smallest program some ten kilobytes.
//
//go:noinline
func (b *Builder) emit(bs ...byte) { b.buf = append(b.buf, bs...) }

// emit32 appends v, little-endian.
//
//go:noinline
func (b *Builder) emit32(v uint32) {
	b.buf = append(b.buf, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
}

// rex returns the REX prefix for operand-size bit w, ModRM.reg extension r
// and ModRM.rm/base/opcode-register extension bb; 0 means none is needed.
func rex(w bool, r, bb uint8) byte {
	p := byte(0x40)
	if w {
		p |= 0x08
	}
	if r&8 != 0 {
		p |= 0x04
	}
	if bb&8 != 0 {
		p |= 0x01
	}
	if p == 0x40 {
		return 0
	}
	return p
}

func (b *Builder) emitREX(w bool, r, bb uint8) {
	if p := rex(w, r, bb); p != 0 {
		b.emit(p)
	}
}

// modrmReg emits a register-direct ModRM byte (mod=11).
func (b *Builder) modrmReg(reg, rm uint8) {
	b.emit(0xC0 | (reg&7)<<3 | rm&7)
}

// modrmMem emits the ModRM byte, the SIB byte if base needs one, and the
// displacement for the operand [base+disp], choosing the shortest form:
// no displacement when disp is 0 (except for rbp/r13, which have no such
// form), disp8 when it fits, disp32 otherwise. rsp and r12 as base need a
// SIB byte with no index (0x24).
func (b *Builder) modrmMem(reg uint8, base Reg, disp int32) {
	var mod byte
	switch {
	case disp == 0 && base&7 != 5:
		mod = 0x00
	case disp >= -128 && disp <= 127:
		mod = 0x40
	default:
		mod = 0x80
	}
	b.emit(mod | (reg&7)<<3 | byte(base)&7)
	if base&7 == 4 {
		b.emit(0x24) // SIB: scale 1, no index, base rsp/r12
	}
	switch mod {
	case 0x40:
		b.emit(byte(int8(disp)))
	case 0x80:
		b.emit32(uint32(disp))
	}
}

// mem encodes the register-memory form every load and store here takes:
// the prefix (if not 0), REX (W if w), the opcode bytes, then ModRM with
// reg and the operand [base+disp].
func (b *Builder) mem(prefix byte, w bool, reg uint8, base Reg, disp int32, op ...byte) {
	if !b.ok(reg, uint8(base)) {
		return
	}
	if prefix != 0 {
		b.emit(prefix)
	}
	b.emitREX(w, reg, uint8(base))
	b.emit(op...)
	b.modrmMem(reg, base, disp)
}

// rel32 returns target - next as an int32, or records an error naming the
// instruction and its address when the distance does not fit.
func (b *Builder) rel32(what string, target, next uintptr) (int32, bool) {
	d := int64(uint64(target) - uint64(next))
	if d < -1<<31 || d > 1<<31-1 {
		b.fail("%s at %#x: target %#x is out of rel32 range (distance %d bytes)", what, b.PC(), target, d)
		return 0, false
	}
	return int32(d), true
}

// Push encodes `push r64` (50+r, REX.B for r8..r15).
func (b *Builder) Push(r Reg) {
	if !b.ok(uint8(r)) {
		return
	}
	b.emitREX(false, 0, uint8(r))
	b.emit(0x50 | byte(r)&7)
}

// MovRegReg encodes `mov dst, src` on 64-bit registers (REX.W 89 /r).
func (b *Builder) MovRegReg(dst, src Reg) {
	if !b.ok(uint8(dst), uint8(src)) {
		return
	}
	b.emitREX(true, uint8(src), uint8(dst))
	b.emit(0x89)
	b.modrmReg(uint8(src), uint8(dst))
}

// SubImm32 encodes `sub r64, imm32` with the immediate always 32 bits wide
// and sign-extended (REX.W 81 /5 id).
func (b *Builder) SubImm32(r Reg, imm int32) {
	if !b.ok(uint8(r)) {
		return
	}
	b.emitREX(true, 0, uint8(r))
	b.emit(0x81)
	b.modrmReg(5, uint8(r))
	b.emit32(uint32(imm))
}

// Store64 encodes `mov qword ptr [base+disp], src` (REX.W 89 /r).
func (b *Builder) Store64(base Reg, disp int32, src Reg) {
	b.mem(0, true, uint8(src), base, disp, 0x89)
}

// Load64 encodes `mov dst, qword ptr [base+disp]` (REX.W 8B /r).
func (b *Builder) Load64(dst Reg, base Reg, disp int32) {
	b.mem(0, true, uint8(dst), base, disp, 0x8B)
}

// Lea encodes `lea dst, [base+disp]` on 64-bit registers (REX.W 8D /r).
func (b *Builder) Lea(dst Reg, base Reg, disp int32) {
	b.mem(0, true, uint8(dst), base, disp, 0x8D)
}

// LeaIndex8 encodes `lea dst, [base+index*8]` on 64-bit registers
// (REX.W 8D /r with a SIB byte, no displacement). base may not be rbp or
// r13 (their no-displacement form means no base) and index may not be rsp.
func (b *Builder) LeaIndex8(dst, base, index Reg) {
	if !b.ok(uint8(dst), uint8(base), uint8(index)) {
		return
	}
	if base&7 == 5 || index == RSP {
		b.fail("lea at %#x: [%v+%v*8] has no SIB encoding without displacement", b.PC(), base, index)
		return
	}
	p := rex(true, uint8(dst), uint8(base))
	if index&8 != 0 {
		p |= 0x42 // REX.X
	}
	b.emit(p, 0x8D, (uint8(dst)&7)<<3|4, 0xC0|(uint8(index)&7)<<3|uint8(base)&7)
}

// StoreSD encodes `movsd qword ptr [base+disp], src`, storing the low 64
// bits of an SSE register (F2 [REX] 0F 11 /r).
func (b *Builder) StoreSD(base Reg, disp int32, src XReg) {
	b.mem(0xF2, false, uint8(src), base, disp, 0x0F, 0x11)
}

// LoadSD encodes `movsd dst, qword ptr [base+disp]`, loading 64 bits into
// the low lane of an SSE register and zeroing the upper lane
// (F2 [REX] 0F 10 /r).
func (b *Builder) LoadSD(dst XReg, base Reg, disp int32) {
	b.mem(0xF2, false, uint8(dst), base, disp, 0x0F, 0x10)
}

// LoadRIP64 encodes `mov dst, qword ptr [rip+rel32]`, reading the 8-byte
// word at address target (REX.W 8B /r, mod=00 rm=101). The distance from
// the end of the instruction to target must fit in 32 bits.
func (b *Builder) LoadRIP64(dst Reg, target uintptr) {
	if !b.ok(uint8(dst)) {
		return
	}
	const size = 7 // REX 8B ModRM disp32
	rel, ok := b.rel32("mov "+dst.String()+", [rip+rel32]", target, b.PC()+size)
	if !ok {
		return
	}
	b.emitREX(true, uint8(dst), 0)
	b.emit(0x8B, 0x05|(byte(dst)&7)<<3)
	b.emit32(uint32(rel))
}

// CallRIP encodes `call qword ptr [rip+rel32]`, an indirect call through
// the 8-byte word at address target (FF /2, mod=00 rm=101).
func (b *Builder) CallRIP(target uintptr) {
	if !b.ok() {
		return
	}
	const size = 6 // FF ModRM disp32
	rel, ok := b.rel32("call [rip+rel32]", target, b.PC()+size)
	if !ok {
		return
	}
	b.emit(0xFF, 0x15)
	b.emit32(uint32(rel))
}

// XorReg32 encodes `xor dst32, src32` (e.g. `xor edx, edx`), which also
// clears the upper 32 bits of dst ([REX] 31 /r).
func (b *Builder) XorReg32(dst, src Reg) {
	if !b.ok(uint8(dst), uint8(src)) {
		return
	}
	b.emitREX(false, uint8(src), uint8(dst))
	b.emit(0x31)
	b.modrmReg(uint8(src), uint8(dst))
}

// MovImm32 encodes `mov r32, imm32` (e.g. `mov eax, 7`), which zero-extends
// into the full 64-bit register ([REX.B] B8+r id).
func (b *Builder) MovImm32(r Reg, imm uint32) {
	if !b.ok(uint8(r)) {
		return
	}
	b.emitREX(false, 0, uint8(r))
	b.emit(0xB8 | byte(r)&7)
	b.emit32(imm)
}

// JmpRel32 encodes `jmp rel32` to address target (E9 cd). The distance from
// the end of the instruction to target must fit in 32 bits.
func (b *Builder) JmpRel32(target uintptr) {
	if !b.ok() {
		return
	}
	const size = 5 // E9 rel32
	rel, ok := b.rel32("jmp rel32", target, b.PC()+size)
	if !ok {
		return
	}
	b.emit(0xE9)
	b.emit32(uint32(rel))
}

// Leave encodes `leave` (C9): mov rsp, rbp; pop rbp.
func (b *Builder) Leave() {
	if b.ok() {
		b.emit(0xC9)
	}
}

// Ret encodes `ret` (C3).
func (b *Builder) Ret() {
	if b.ok() {
		b.emit(0xC3)
	}
}

// Int3 encodes `int3` (CC), the breakpoint trap used as padding.
func (b *Builder) Int3() {
	if b.ok() {
		b.emit(0xCC)
	}
}

// PadInt3 appends int3 until this builder has appended n bytes; it records
// an error if more than n bytes were already appended.
func (b *Builder) PadInt3(n int) {
	if !b.ok() {
		return
	}
	if b.Len() > n {
		b.fail("at %#x: code is %d bytes, more than the %d to pad to", b.PC(), b.Len(), n)
		return
	}
	for b.Len() < n {
		b.emit(0xCC)
	}
}
