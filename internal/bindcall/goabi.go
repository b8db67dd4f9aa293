package bindcall

import (
	"fmt"
	"reflect"
)

// This file places the parameters and results of a Go func type as Go's
// internal register ABI (ABIInternal, cmd/compile/abi-internal.md) does:
// the trampoline receives a bound func's arguments in those registers and
// in the caller's stack area, and returns its results the same way. It is
// plain Go, parameterised by the register counts, so every host tests
// every architecture's table.

// GoLoc is where a Go base value lives under ABIInternal.
type GoLoc uint8

const (
	// GoInt is an integer register; GoPiece.Index is its number in the
	// architecture's sequence (amd64: AX BX CX DI SI R8 R9 R10 R11).
	GoInt GoLoc = iota + 1
	// GoFloat is a floating-point register (amd64 X0..X14, arm64 F0..F15).
	GoFloat
	// GoStack is memory in the caller's argument area; GoPiece.Index is the
	// byte offset from the start of that area (the first stack-assigned
	// argument).
	GoStack
)

// GoPiece is one base value (or, for a stack-assigned value, the whole
// value) of a Go argument or result.
type GoPiece struct {
	Loc    GoLoc
	Index  int  // register number, or byte offset in the argument area
	Offset int  // byte offset within the Go value
	Size   int  // bytes
	Ptr    bool // a pointer word the garbage collector must see
}

// GoValue is the placement of one Go parameter or result.
type GoValue struct {
	Type reflect.Type
	// Pieces: one per base value when register-assigned; one GoStack piece
	// covering the value when stack-assigned.
	Pieces []GoPiece
	// Stack reports a stack-assigned value; PtrWords then lists the byte
	// offsets (within the value) of its pointer words.
	Stack    bool
	PtrWords []int
}

// GoRegs is an architecture's register ABI: the lengths of its integer and
// floating-point register sequences.
type GoRegs struct {
	Int, Float int
}

// GoAssign places the parameters and results of func type ft: each
// parameter and result, and the size of the stack-assigned argument
// block and where the stack-assigned results start in it.
func GoAssign(ft reflect.Type, regs GoRegs) (params, results []GoValue, resultsOff int, err error) {
	if ft.Kind() != reflect.Func {
		return nil, nil, 0, fmt.Errorf("%v is not a func type", ft)
	}
	a := assigner{regs: regs}
	for i := 0; i < ft.NumIn(); i++ {
		params = append(params, a.assign(ft.In(i)))
	}
	a.off = alignUp(a.off, 8)
	resultsOff = a.off
	a.i, a.f = 0, 0
	for i := 0; i < ft.NumOut(); i++ {
		results = append(results, a.assign(ft.Out(i)))
	}
	return params, results, resultsOff, nil
}

type assigner struct {
	regs   GoRegs
	i, f   int // next integer and floating-point register
	off    int // next stack offset
	pieces []GoPiece
}

func alignUp(n, a int) int { return (n + a - 1) &^ (a - 1) }

// assign follows "Assigning a receiver, argument, or result" of the ABI.
func (a *assigner) assign(t reflect.Type) GoValue {
	v := GoValue{Type: t}
	i, f := a.i, a.f
	if t.Size() > 0 {
		a.pieces = nil
		if a.reg(t, 0) {
			v.Pieces = a.pieces
			return v
		}
	}
	a.i, a.f = i, f
	a.off = alignUp(a.off, t.Align())
	v.Stack = true
	v.Pieces = []GoPiece{{Loc: GoStack, Index: a.off, Size: int(t.Size())}}
	v.PtrWords = PointerWords(t)
	a.off += int(t.Size())
	return v
}

// reg register-assigns t at byte offset off of the value; false when it
// does not fit (the caller resets the register counts).
func (a *assigner) reg(t reflect.Type, off int) bool {
	intReg := func(size int, ptr bool) bool {
		if a.i >= a.regs.Int {
			return false
		}
		a.pieces = append(a.pieces, GoPiece{Loc: GoInt, Index: a.i, Offset: off, Size: size, Ptr: ptr})
		a.i++
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return intReg(int(t.Size()), false)
	case reflect.Float32, reflect.Float64:
		if a.f >= a.regs.Float {
			return false
		}
		a.pieces = append(a.pieces, GoPiece{Loc: GoFloat, Index: a.f, Offset: off, Size: int(t.Size())})
		a.f++
		return true
	case reflect.Complex64:
		return a.reg(reflect.TypeFor[float32](), off) && a.reg(reflect.TypeFor[float32](), off+4)
	case reflect.Complex128:
		return a.reg(reflect.TypeFor[float64](), off) && a.reg(reflect.TypeFor[float64](), off+8)
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func:
		return intReg(8, true)
	case reflect.String:
		return intReg(8, true) && a.reg(reflect.TypeFor[int](), off+8)
	case reflect.Interface:
		if !intReg(8, true) {
			return false
		}
		off += 8
		return intReg(8, true)
	case reflect.Slice:
		return intReg(8, true) && a.reg(reflect.TypeFor[int](), off+8) && a.reg(reflect.TypeFor[int](), off+16)
	case reflect.Struct:
		for j := 0; j < t.NumField(); j++ {
			fl := t.Field(j)
			if !a.reg(fl.Type, off+int(fl.Offset)) {
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

// PointerWords lists the byte offsets of the pointer words in a value of
// type t (the words the garbage collector scans).
func PointerWords(t reflect.Type) []int {
	var out []int
	var walk func(t reflect.Type, off int)
	walk = func(t reflect.Type, off int) {
		switch t.Kind() {
		case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func, reflect.String, reflect.Slice:
			out = append(out, off)
		case reflect.Interface:
			out = append(out, off, off+8)
		case reflect.Struct:
			for j := 0; j < t.NumField(); j++ {
				walk(t.Field(j).Type, off+int(t.Field(j).Offset))
			}
		case reflect.Array:
			if PointerWords(t.Elem()) == nil {
				return
			}
			for j := 0; j < t.Len(); j++ {
				walk(t.Elem(), off+j*int(t.Elem().Size()))
			}
		}
	}
	walk(t, 0)
	return out
}
