package abitest

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// Helpers for tests that check Plans against code compiled by a C
// compiler: argument bytes, masks of the bytes that matter, comparisons.

// CBytes spells bytes as a C initializer list ("0" if empty).
func CBytes(b []byte) string {
	if len(b) == 0 {
		return "0"
	}
	s := make([]string, len(b))
	for i, x := range b {
		s[i] = strconv.Itoa(int(x))
	}
	return strings.Join(s, ",")
}

// CompareMasked checks that loc starts with the bytes of value val of type
// t that part pt carries, ignoring padding.
func CompareMasked(t *ctype.Type, val []byte, pt abi.Part, loc []byte) string {
	mask := DataMask(t)
	if len(loc) < pt.Size {
		return fmt.Sprintf("part %s beyond what C recorded", PartString(pt))
	}
	for b := 0; b < pt.Size; b++ {
		if (loc[b]^val[pt.Offset+b])&mask[pt.Offset+b] != 0 {
			return fmt.Sprintf("part %s: byte %d is %#02x in C, want %#02x (mask %#02x)",
				PartString(pt), pt.Offset+b, loc[b], val[pt.Offset+b], mask[pt.Offset+b])
		}
	}
	return ""
}

// Unhex decodes a hex string ("-" is empty; nil on error).
func Unhex(s string) []byte {
	if s == "-" {
		return []byte{}
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil
	}
	return b
}

// DataMask returns, for each byte of a value of type t, the bits that
// belong to members (padding bits are 0).
func DataMask(t *ctype.Type) []byte {
	mask := make([]byte, t.Size)
	var walk func(t *ctype.Type, off int)
	walk = func(t *ctype.Type, off int) {
		switch t.Kind {
		case ctype.Struct, ctype.Union:
			for _, f := range t.Fields {
				if !f.BitField {
					walk(f.Type, off+f.Offset)
					continue
				}
				if f.Name == "" {
					continue // unnamed bit-fields are padding
				}
				lo := (off+f.Offset)*8 + f.BitOffset
				for bit := lo; bit < lo+f.BitSize; bit++ {
					if bit/8 < len(mask) {
						mask[bit/8] |= 1 << (bit % 8)
					}
				}
			}
		case ctype.Array:
			for i := 0; i < t.Len; i++ {
				walk(t.Elem, off+i*t.Elem.Size)
			}
		default:
			for i := off; i < off+t.Size && i < len(mask); i++ {
				mask[i] = 0xff
			}
		}
	}
	walk(t, 0)
	return mask
}

// FillBytes returns random bytes for a value of type t, with every _Bool
// byte 1 (other values are not valid _Bool representations).
func FillBytes(t *ctype.Type, rng *rand.Rand) []byte {
	b := make([]byte, t.Size)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	var walk func(t *ctype.Type, off int)
	walk = func(t *ctype.Type, off int) {
		switch t.Kind {
		case ctype.Bool:
			b[off] = 1
		case ctype.Struct, ctype.Union:
			for _, f := range t.Fields {
				if !f.BitField {
					walk(f.Type, off+f.Offset)
				}
			}
		case ctype.Array:
			for i := 0; i < t.Len; i++ {
				walk(t.Elem, off+i*t.Elem.Size)
			}
		}
	}
	walk(t, 0)
	return b
}
