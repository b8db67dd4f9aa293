package abi

import "github.com/seed5ca82032/ffi/internal/ctype"

// IsEmpty reports whether t is a struct or union that holds no data at
// all: every member is an unnamed bit-field (padding), an empty struct or
// union, or an array of zero or unknown length or of empty elements. This
// is GCC's and clang's notion of an empty record, which several
// conventions pass in no space at all.
func IsEmpty(t *ctype.Type) bool {
	if t.Kind != ctype.Struct && t.Kind != ctype.Union {
		return false
	}
	return holdsNothing(t)
}

func holdsNothing(t *ctype.Type) bool {
	switch t.Kind {
	case ctype.Struct, ctype.Union:
		for _, f := range t.Fields {
			if f.BitField && f.Name == "" {
				continue
			}
			if !holdsNothing(f.Type) {
				return false
			}
		}
		return true
	case ctype.Array:
		return t.Len <= 0 || holdsNothing(t.Elem)
	}
	return false
}
