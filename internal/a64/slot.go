package a64

// SlotSize is the bytes of machine code per callback slot. A slot is
// `movz w9, #id_lo` ; `movk w9, #id_hi, lsl #16` ; `b entry` (12 bytes),
// padded with `brk #0` so that every slot starts on a 16-byte boundary.
const SlotSize = 16

// SlotReg is the register in which a slot stub hands its id to the common
// entry: x9 is a temporary at a call boundary under AAPCS64 (x16 and x17
// could be clobbered by a linker veneer on the way, x9 cannot).
const SlotReg = X9

// AppendSlot appends one slot stub:
//
//	movz w9, #(id & 0xffff)
//	movk w9, #(id >> 16), lsl #16   ; x9 = id, upper 32 bits zero
//	b entry
//	brk #0
//
// slotAddr is the address where the stub will live, entryAddr the common
// entry's address. It returns dst unchanged and an error if entryAddr is
// out of the ±128 MiB reach of the branch or an address is misaligned.
func AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
	b := NewBuilder(dst, slotAddr)
	b.MovZ32(SlotReg, uint16(id), 0)      // 52800009 | lo<<5    movz w9, #lo
	b.MovK32(SlotReg, uint16(id>>16), 16) // 72a00009 | hi<<5    movk w9, #hi, lsl #16
	b.B(entryAddr)                        // 14000000 | imm26    b entry
	b.PadBrk(SlotSize)                    // d4200000            brk #0
	if err := b.Err(); err != nil {
		return dst, err
	}
	return b.Bytes(), nil
}
