package aapcs64

import "github.com/seed5ca82032/ffi/internal/ctype"

// maxHFA is the largest number of members of a homogeneous aggregate.
const maxHFA = 4

// hfa reports whether the struct or union t is a homogeneous
// floating-point aggregate: after flattening nested aggregates and arrays,
// 1 to 4 members all float or all double, and no padding (its size is the
// members' total). It returns the member type and count, or n = 0.
// Bit-fields disqualify (zero-width ones in a struct are ignored), and so
// do arrays of zero or unknown length. There are no vector types in the C model, so
// HVAs (short-vector aggregates) cannot occur.
func hfa(t *ctype.Type) (base *ctype.Type, n int) {
	base, n, ok := hfaMembers(t, nil, 0)
	if !ok || n < 1 || n > maxHFA || t.Size != n*base.Size {
		return nil, 0
	}
	return base, n
}

// hfaMembers returns the common floating-point member type of t (given the
// one found so far) and the number of members t contributes.
func hfaMembers(t *ctype.Type, base *ctype.Type, depth int) (*ctype.Type, int, bool) {
	if depth > 32 {
		return nil, 0, false
	}
	switch t.Kind {
	case ctype.Float, ctype.Double:
		if base != nil && base.Kind != t.Kind {
			return nil, 0, false
		}
		return t, 1, true
	case ctype.Array:
		if t.Len <= 0 {
			return nil, 0, false
		}
		b, n, ok := hfaMembers(t.Elem, base, depth+1)
		if !ok || n*t.Len > maxHFA {
			return nil, 0, false
		}
		return b, n * t.Len, true
	case ctype.Struct, ctype.Union:
		total := 0
		for _, f := range t.Fields {
			if f.BitField {
				// A zero-width bit-field is skipped in a struct but, as
				// GCC does, spoils a union like any other bit-field.
				if f.BitSize == 0 && t.Kind == ctype.Struct {
					continue
				}
				return nil, 0, false
			}
			b, n, ok := hfaMembers(f.Type, base, depth+1)
			if !ok {
				return nil, 0, false
			}
			if b != nil {
				base = b
			}
			if t.Kind == ctype.Union {
				total = max(total, n)
			} else {
				total += n
			}
			if total > maxHFA {
				return nil, 0, false
			}
		}
		return base, total, true
	}
	return nil, 0, false
}
