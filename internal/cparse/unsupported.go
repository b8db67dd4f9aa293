package cparse

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// builtinType returns the type of a word marked fOpaque (see words).
func (p *parser) builtinType(w string, at pos) *ctype.Type {
	m := p.m
	switch w {
	case "_Float32":
		return m.Float()
	case "_Float64", "_Float32x":
		return m.Double()
	case "_Float64x":
		return m.LongDouble()
	case "__int128_t":
		return p.opaque("__int128", 16, 16, at)
	case "__uint128_t":
		return p.opaque("unsigned __int128", 16, 16, at)
	case "_Float16", "__fp16":
		return p.opaque(w, 2, 2, at)
	case "_Decimal32":
		return p.opaque(w, 4, 4, at)
	case "_Decimal64":
		return p.opaque(w, 8, 8, at)
	case "__builtin_va_list":
		switch m {
		case ctype.LinuxAMD64:
			return p.opaque(w, 24, 8, at) // struct __va_list_tag[1]
		case ctype.LinuxARM64:
			return p.opaque(w, 32, 8, at) // struct __va_list
		}
		return p.opaque(w, m.PtrSize, m.PtrSize, at) // char *
	}
	return p.opaque(w, 16, 16, at) // _Float128, __float128, _Decimal128
}

// complexType returns _Complex base (base nil: _Complex alone, which is
// _Complex double).
func (p *parser) complexType(base *ctype.Type, kw token) *ctype.Type {
	if base == nil {
		base = p.m.Double()
	}
	switch {
	case base.Kind == ctype.Float, base.Kind == ctype.Double, base.Kind == ctype.LongDouble, base.Kind == ctype.Int:
	case base.OpaqueArithmetic():
		// _Complex _Float128 (glibc's complex.h with _GNU_SOURCE) and the
		// like: recorded, as their base is.
	default:
		p.fail(kw.pos, "%s %s is not a valid type", kw.text, base)
	}
	return p.opaque("_Complex "+base.Unqualified().String(), 2*base.Size, base.Align, kw.pos)
}

// opaque returns an Opaque type spelled name whose Note says it is not
// supported and where it was written.
func (p *parser) opaque(name string, size, align int, at pos) *ctype.Type {
	return p.m.Opaque(name, size, align, fmt.Sprintf("%s is not supported (declared at %d:%d)", name, at.line, at.col))
}
