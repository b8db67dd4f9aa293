package convert

// Ext returns the 64-bit image of a C integer of size bytes whose low bytes
// are in raw: sign-extended when signed, zero-extended otherwise. C leaves
// the bits above a narrow argument or result undefined, so every value read
// from a register or a stack slot goes through Ext.
func Ext(raw uint64, size int, signed bool) uint64 {
	if size >= 8 {
		return raw
	}
	sh := uint(64 - 8*size)
	if signed {
		return uint64(int64(raw<<sh) >> sh)
	}
	return raw << sh >> sh
}

// ToGo returns the register image of the Go value for the C value whose
// raw bits were read from a register or stack slot.
func (v *Value) ToGo(raw uint64) uint64 {
	switch v.Kind {
	case Bool:
		if raw&0xff != 0 {
			return 1
		}
		return 0
	case Float:
		return raw & 0xffffffff
	}
	return Ext(raw, v.Size, v.Signed)
}

// ToC returns the register image of the C value for a Go value whose
// register image is goBits (upper bits beyond the Go type undefined),
// widened as C requires: integers are converted to the C type and extended
// to 64 bits, _Bool is 0 or 1, float keeps its 32 bits in the low lane.
func (v *Value) ToC(goBits uint64) uint64 {
	switch v.Kind {
	case Bool:
		if goBits&0xff != 0 {
			return 1
		}
		return 0
	case Float:
		return goBits & 0xffffffff
	case Double:
		return goBits
	}
	gs := int(v.Go.Size())
	if gs < v.Size { // e.g. Go int32 for C int: exact widths, never narrower in practice
		goBits = Ext(goBits, gs, v.Signed)
	}
	return Ext(goBits, v.Size, v.Signed)
}
