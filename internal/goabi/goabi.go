// Package goabi places the parameters and results of a Go func type as Go's
// internal register ABI (ABIInternal, cmd/compile/abi-internal.md) does.
// Both directions of the library call Go funcs through it: a bound func's
// trampoline (package bindcall) receives its arguments in those registers
// and in the caller's stack area and returns its results the same way, and
// a callback's invoker (package upcall) calls the user's func through an
// erased func type whose registers and stack block carry exactly the words
// the func expects. It is plain Go, parameterised by the register counts,
// so every host tests every architecture's table.
package goabi

import (
	"reflect"

	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Loc is where a Go base value lives under ABIInternal.
type Loc uint8

const (
	// Int is an integer register; Piece.Index is its number in the
	// architecture's sequence (amd64: AX BX CX DI SI R8 R9 R10 R11).
	Int Loc = iota + 1
	// Float is a floating-point register (amd64 X0..X14, arm64 F0..F15).
	Float
	// Stack is memory in the caller's argument area; Piece.Index is the
	// byte offset from the start of that area (the first stack-assigned
	// argument).
	Stack
)

// Piece is one base value (or, for a stack-assigned value, the whole
// value) of a Go argument or result.
type Piece struct {
	Loc    Loc
	Index  int  // register number, or byte offset in the argument area
	Offset int  // byte offset within the Go value
	Size   int  // bytes
	Ptr    bool // a pointer word the garbage collector must see
	Signed bool // a signed Go integer
}

// Value is the placement of one Go parameter or result.
type Value struct {
	Type reflect.Type
	// Pieces: one per base value when register-assigned; one Stack piece
	// covering the value when stack-assigned.
	Pieces []Piece
	// Stack reports a stack-assigned value; PtrWords then lists the byte
	// offsets (within the value) of its pointer words.
	Stack    bool
	PtrWords []int
}

// Regs is an architecture's register ABI: the lengths of its integer and
// floating-point register sequences.
type Regs struct {
	Int, Float int
}

// Frame is the placement of a whole func type.
type Frame struct {
	Params, Results []Value
	// ResultsOff is where the stack-assigned results start in the argument
	// area: the stack-assigned parameters' bytes, rounded up to 8.
	ResultsOff int
	// ResultBytes is the size of the stack-assigned results, rounded up
	// to 8.
	ResultBytes int
	// Registers used by the parameters and by the results.
	Ints, Floats             int
	ResultInts, ResultFloats int
}

// Assign places the parameters and results of func type ft.
func Assign(ft reflect.Type, regs Regs) (*Frame, error) {
	if ft.Kind() != reflect.Func {
		return nil, errfmt.Errorf("%v is not a func type", ft)
	}
	a := assigner{regs: regs}
	fr := &Frame{}
	for i := 0; i < ft.NumIn(); i++ {
		fr.Params = append(fr.Params, a.assign(ft.In(i)))
	}
	a.off = alignUp(a.off, 8)
	fr.ResultsOff, fr.Ints, fr.Floats = a.off, a.i, a.f
	a.i, a.f = 0, 0
	for i := 0; i < ft.NumOut(); i++ {
		fr.Results = append(fr.Results, a.assign(ft.Out(i)))
	}
	fr.ResultBytes = alignUp(a.off, 8) - fr.ResultsOff
	fr.ResultInts, fr.ResultFloats = a.i, a.f
	return fr, nil
}

type assigner struct {
	regs   Regs
	i, f   int // next integer and floating-point register
	off    int // next stack offset
	pieces []Piece
}

func alignUp(n, a int) int { return (n + a - 1) &^ (a - 1) }

// assign follows "Assigning a receiver, argument, or result" of the ABI:
// it register-assigns a value of type t, or stack-assigns it when that
// fails (the register counts are then reset to what they were).
func (a *assigner) assign(t reflect.Type) Value {
	v := Value{Type: t}
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
	v.Pieces = []Piece{{Loc: Stack, Index: a.off, Size: int(t.Size())}}
	v.PtrWords = PointerWords(t)
	a.off += int(t.Size())
	return v
}

// intReg assigns the next integer register, if one is left, to size
// bytes at offset off.
//
//go:noinline
func (a *assigner) intReg(off, size int, ptr, signed bool) bool {
	if a.i >= a.regs.Int {
		return false
	}
	a.pieces = append(a.pieces, Piece{Loc: Int, Index: a.i, Offset: off, Size: size, Ptr: ptr, Signed: signed})
	a.i++
	return true
}

// reg register-assigns t at byte offset off of the value; false when it
// does not fit (the caller resets the register counts).
func (a *assigner) reg(t reflect.Type, off int) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return a.intReg(off, int(t.Size()), false, true)
	case reflect.Bool, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return a.intReg(off, int(t.Size()), false, false)
	case reflect.Float32, reflect.Float64:
		if a.f >= a.regs.Float {
			return false
		}
		a.pieces = append(a.pieces, Piece{Loc: Float, Index: a.f, Offset: off, Size: int(t.Size())})
		a.f++
		return true
	case reflect.Complex64:
		return a.reg(reflect.TypeFor[float32](), off) && a.reg(reflect.TypeFor[float32](), off+4)
	case reflect.Complex128:
		return a.reg(reflect.TypeFor[float64](), off) && a.reg(reflect.TypeFor[float64](), off+8)
	case reflect.Pointer, reflect.UnsafePointer, reflect.Map, reflect.Chan, reflect.Func:
		return a.intReg(off, 8, true, false)
	case reflect.String:
		return a.intReg(off, 8, true, false) && a.reg(reflect.TypeFor[uint](), off+8)
	case reflect.Interface:
		if !a.intReg(off, 8, true, false) {
			return false
		}
		off += 8
		return a.intReg(off, 8, true, false)
	case reflect.Slice:
		return a.intReg(off, 8, true, false) && a.reg(reflect.TypeFor[uint](), off+8) && a.reg(reflect.TypeFor[uint](), off+16)
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
