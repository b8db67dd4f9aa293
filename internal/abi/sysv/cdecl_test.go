package sysv

import (
	"slices"

	"github.com/seed5ca82032/ffi/internal/abi/abitest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// Test shorthands on the linux/amd64 model.
var (
	m      = ctype.LinuxAMD64
	decls  = abitest.NewDecls(m)
	tInt   = m.Int("int")
	tUint  = m.Int("unsigned int")
	tChar  = m.Int("char")
	tShort = m.Int("short")
	tLong  = m.Int("long")
	tFlt   = m.Float()
	tDbl   = m.Double()
	tLD    = m.LongDouble()
	tVoid  = m.Void()
	tBool  = m.Bool()
	tPtr   = m.Pointer(m.Void())
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// fields turns types into members named a, b, c, ...
func fields(ts ...*ctype.Type) []ctype.Member {
	ms := make([]ctype.Member, len(ts))
	for i, t := range ts {
		ms[i] = ctype.Member{Name: string(rune('a' + i)), Type: t}
	}
	return ms
}

func structOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.Declare(false, fields(ts...), false, 0))
}

func packedOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.Declare(false, fields(ts...), true, 0))
}

func unionOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.Declare(true, fields(ts...), false, 0))
}

func structM(members []ctype.Member, packed bool, aligned int) *ctype.Type {
	return must(decls.Declare(false, members, packed, aligned))
}

func arrayOf(t *ctype.Type, n int) *ctype.Type {
	return must(m.Array(t, n))
}

func params(ts []*ctype.Type) []ctype.Param {
	ps := make([]ctype.Param, len(ts))
	for i, t := range ts {
		ps[i] = ctype.Param{Type: t}
	}
	return ps
}

func funcOf(res *ctype.Type, ps ...*ctype.Type) *ctype.Type {
	return must(m.Func(res, params(ps), false))
}

func variadicOf(res *ctype.Type, ps ...*ctype.Type) *ctype.Type {
	return must(m.Func(res, params(ps), true))
}

func repeat(t *ctype.Type, n int) []*ctype.Type {
	return slices.Repeat([]*ctype.Type{t}, n)
}
