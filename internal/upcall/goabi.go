package upcall

import "reflect"

// This file places the parameters and results of a Go func type as Go's
// register ABI (ABIInternal, cmd/compile/abi-internal.md) does, so that a
// callback's Go func can be called through an erased func type whose
// registers and stack block carry exactly the words the func expects. The
// model is checked against the compiler at start-up (fastcheck.go).

// goLeaf is one base value of a register-assigned Go value: reg is its
// register number (in the integer or the floating-point sequence), off and
// size its bytes within the value.
type goLeaf struct {
	float  bool
	signed bool // a signed Go integer
	reg    int
	off    int
	size   int
}

// goPlace is the placement of one Go parameter or result: its leaves when
// register-assigned, else its byte offset in the stack-assigned block.
type goPlace struct {
	stack  bool
	off    int
	leaves []goLeaf
}

// goFrame is the placement of a whole func type.
type goFrame struct {
	params, results []goPlace
	argBytes        int // stack-assigned parameters, rounded up to 8 bytes
	resBytes        int // stack-assigned results, from argBytes, rounded up to 8 bytes
	ints, floats    int // registers used by the parameters
	rints, rfloats  int // registers used by the results
}

// goAssign places the parameters and results of func type ft for an
// architecture with ni integer and nf floating-point argument registers.
func goAssign(ft reflect.Type, ni, nf int) *goFrame {
	a := goAssigner{ni: ni, nf: nf}
	fr := &goFrame{}
	for i := 0; i < ft.NumIn(); i++ {
		fr.params = append(fr.params, a.assign(ft.In(i)))
	}
	a.off = alignUp(a.off, 8)
	fr.argBytes, fr.ints, fr.floats = a.off, a.i, a.f
	a.i, a.f = 0, 0
	for i := 0; i < ft.NumOut(); i++ {
		fr.results = append(fr.results, a.assign(ft.Out(i)))
	}
	fr.resBytes = alignUp(a.off, 8) - fr.argBytes
	fr.rints, fr.rfloats = a.i, a.f
	return fr
}

type goAssigner struct {
	ni, nf int
	i, f   int // next integer and floating-point register
	off    int // next stack offset
	leaves []goLeaf
}

func alignUp(n, a int) int { return (n + a - 1) &^ (a - 1) }

// assign register-assigns a value of type t, or stack-assigns it when that
// fails (the register counts are then reset to what they were).
func (a *goAssigner) assign(t reflect.Type) goPlace {
	i, f := a.i, a.f
	if t.Size() > 0 {
		a.leaves = nil
		if a.reg(t, 0) {
			return goPlace{leaves: a.leaves}
		}
	}
	a.i, a.f = i, f
	a.off = alignUp(a.off, t.Align())
	p := goPlace{stack: true, off: a.off}
	a.off += int(t.Size())
	return p
}

// reg register-assigns t at byte offset off of the value.
func (a *goAssigner) reg(t reflect.Type, off int) bool {
	intReg := func(off, size int) bool {
		if a.i >= a.ni {
			return false
		}
		signed := false
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			signed = true
		}
		a.leaves = append(a.leaves, goLeaf{signed: signed, reg: a.i, off: off, size: size})
		a.i++
		return true
	}
	floatReg := func(off, size int) bool {
		if a.f >= a.nf {
			return false
		}
		a.leaves = append(a.leaves, goLeaf{float: true, reg: a.f, off: off, size: size})
		a.f++
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func:
		return intReg(off, int(t.Size()))
	case reflect.Float32, reflect.Float64:
		return floatReg(off, int(t.Size()))
	case reflect.Complex64:
		return floatReg(off, 4) && floatReg(off+4, 4)
	case reflect.Complex128:
		return floatReg(off, 8) && floatReg(off+8, 8)
	case reflect.String, reflect.Interface:
		return intReg(off, 8) && intReg(off+8, 8)
	case reflect.Slice:
		return intReg(off, 8) && intReg(off+8, 8) && intReg(off+16, 8)
	case reflect.Struct:
		for j := 0; j < t.NumField(); j++ {
			if !a.reg(t.Field(j).Type, off+int(t.Field(j).Offset)) {
				return false
			}
		}
		return true
	case reflect.Array:
		switch t.Len() {
		case 0:
			return true
		case 1:
			return a.reg(t.Elem(), off)
		}
	}
	return false
}
