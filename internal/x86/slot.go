package x86

// SlotSize is the bytes of machine code per callback slot (must be <= 16).
// A slot is `mov eax, id` (5 bytes) and `jmp rel32 entry` (5 bytes), padded
// with int3 so that every slot starts on a 16-byte boundary of its page.
const SlotSize = 16

// slotCodeSize is the bytes of a slot before its int3 padding.
const slotCodeSize = 10

// AppendSlot appends one slot stub: `mov eax, imm32(id)` ; `jmp rel32 entry` ;
// int3 padding to SlotSize. slotAddr is the address where the stub will
// live, entryAddr the common entry's address (rel32 computed from
// slotAddr+10). It returns dst unchanged and an error if entryAddr is out of
// rel32 range of the jump.
//
// The stub works for both System V and Windows x64 entries: eax is a
// scratch register at a call boundary under both conventions (System V
// variadic callers pass a vector-register count in al, which the entry does
// not need since it saves every argument register).
func AppendSlot(dst []byte, id uint32, slotAddr, entryAddr uintptr) ([]byte, error) {
	b := NewBuilder(dst, slotAddr)
	b.MovImm32(RAX, id)   // B8 id          mov eax, id
	b.JmpRel32(entryAddr) // E9 rel32       jmp entry
	b.PadInt3(SlotSize)   // CC ...         int3 padding
	if err := b.Err(); err != nil {
		return dst, err
	}
	return b.Bytes(), nil
}
