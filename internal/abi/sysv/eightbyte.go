package sysv

import "github.com/seed5ca82032/ffi/internal/ctype"

// class is the psABI class of one eightbyte. X87, SSEUP and the vector
// classes do not occur: long double is rejected and there are no vector
// types in the C model.
type class uint8

const (
	noClass class = iota // padding only
	integer
	sse
	memory
)

func (c class) String() string {
	return [...]string{"NO_CLASS", "INTEGER", "SSE", "MEMORY"}[c]
}

// merge combines the classes of two things sharing an eightbyte.
func merge(a, b class) class {
	switch {
	case a == b:
		return a
	case a == noClass:
		return b
	case b == noClass:
		return a
	case a == memory || b == memory:
		return memory
	case a == integer || b == integer:
		return integer
	}
	return sse
}

// maxRegAggregate is the size above which an aggregate always goes in memory.
const maxRegAggregate = 16

// classifyAggregate returns the classes of the eightbytes of the struct or
// union t (len = Size rounded up to 8, at most 2), or ok=false when t is
// passed in memory: larger than 16 bytes, or holding a member that is not at
// its natural alignment (packed structs). A zero-size aggregate has no
// eightbytes.
func classifyAggregate(t *ctype.Type) (cls []class, ok bool) {
	if t.Size > maxRegAggregate {
		return nil, false
	}
	n := (t.Size + 7) / 8
	cls = make([]class, n)
	if !place(t, 0, true, cls) {
		return nil, false
	}
	for _, c := range cls {
		if c == memory {
			return nil, false
		}
	}
	return cls, true
}

// mark merges c into every eightbyte overlapping bytes [off, off+size).
func mark(cls []class, off, size int, c class) {
	for i := off / 8; i < len(cls) && i*8 < off+size; i++ {
		cls[i] = merge(cls[i], c)
	}
}

// place merges the classes of a value of type t at byte offset off of the
// whole argument into cls. It returns false when the argument must go in
// memory because a scalar is misaligned. checkAlign is false for array
// elements after the first: like GCC, only the first element is checked,
// the others repeat its classes.
func place(t *ctype.Type, off int, checkAlign bool, cls []class) bool {
	switch t.Kind {
	case ctype.Struct:
		for _, f := range t.Fields {
			if f.BitField && wholeIntBitField(t, f) {
				// GCC lays such a bit-field out as a plain integer of its
				// width, which is then checked for alignment like any
				// scalar at its place in the whole argument: it can be
				// misaligned there when it is unnamed (an unnamed
				// bit-field does not align its struct) and the struct
				// sits at an odd offset.
				size := f.BitSize / 8
				at := off + f.Offset + f.BitOffset/8
				if checkAlign && at%size != 0 {
					return false
				}
				mark(cls, at, size, integer)
				continue
			}
			if f.BitField {
				// Other bit-fields (named or not) are INTEGER wherever
				// their bits lie and are never "misaligned". A zero-width
				// one occupies no bits and affects nothing (GCC 12 and
				// later, clang).
				if f.BitSize == 0 {
					continue
				}
				bit := (off+f.Offset)*8 + f.BitOffset
				for i := bit / 64; i < len(cls) && i*64 < bit+f.BitSize; i++ {
					cls[i] = merge(cls[i], integer)
				}
				continue
			}
			if !place(f.Type, off+f.Offset, checkAlign, cls) {
				return false
			}
		}
		return true
	case ctype.Union:
		for _, f := range t.Fields {
			if f.BitField {
				// GCC classifies a bit-field member of a union as an
				// integer of the smallest size holding its width (1 byte
				// for :0), subject to the alignment check like any scalar.
				size := bitfieldUnit(f.BitSize)
				if checkAlign && (off+f.Offset)%size != 0 {
					return false
				}
				mark(cls, off+f.Offset, size, integer)
				continue
			}
			if !place(f.Type, off+f.Offset, checkAlign, cls) {
				return false
			}
		}
		return true
	case ctype.Array:
		if t.Len <= 0 || t.Elem.Size == 0 {
			return true // flexible or zero-length: no bytes
		}
		for i := 0; i < t.Len; i++ {
			if !place(t.Elem, off+i*t.Elem.Size, checkAlign && i == 0, cls) {
				return false
			}
		}
		return true
	case ctype.Float, ctype.Double:
		if checkAlign && off%t.Size != 0 {
			return false
		}
		mark(cls, off, t.Size, sse)
		return true
	default: // Bool, Int, Enum, Pointer
		if checkAlign && off%t.Size != 0 {
			return false
		}
		mark(cls, off, t.Size, integer)
		return true
	}
}

// bitfieldUnit is the size of the smallest integer of 1, 2, 4 or 8 bytes
// with at least bits bits.
func bitfieldUnit(bits int) int {
	switch {
	case bits <= 8:
		return 1
	case bits <= 16:
		return 2
	case bits <= 32:
		return 4
	}
	return 8
}

// wholeIntBitField reports whether GCC turns struct bit-field f into a
// plain integer field: its width is that of an integer (8, 16, 32 or 64
// bits) and it starts at a multiple of that width in its struct, unless it
// is packed and wider than a byte (GCC's layout_decl: "a fixed size that is
// correct for another mode, occupying a complete byte or bytes on proper
// boundary").
func wholeIntBitField(t *ctype.Type, f ctype.Field) bool {
	switch f.BitSize {
	case 8, 16, 32, 64:
	default:
		return false
	}
	if f.BitSize > 8 && (f.Packed || t.Packed) {
		return false
	}
	return (f.Offset*8+f.BitOffset)%f.BitSize == 0
}
