package goabi

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestAssign checks the placement of Go parameters and results against
// the rules and the worked example of cmd/compile/abi-internal.md.
func TestAssign(t *testing.T) {
	type pair struct {
		X float64
		Y int32
	}
	type withArray struct {
		A [2]uintptr
		P *int
	}
	type mixed struct {
		C complex64
		B [1]bool
		_ [0]int64
		U uint16
	}
	regs := Regs{Int: 9, Float: 15}
	ip := func(i, off, size int) Piece { return Piece{Loc: Int, Index: i, Offset: off, Size: size} }
	sp := func(i, off, size int) Piece { return Piece{Loc: Int, Index: i, Offset: off, Size: size, Signed: true} }
	pp := func(i, off int) Piece { return Piece{Loc: Int, Index: i, Offset: off, Size: 8, Ptr: true} }
	fp := func(i, off, size int) Piece { return Piece{Loc: Float, Index: i, Offset: off, Size: size} }
	st := func(at, size int) Piece { return Piece{Loc: Stack, Index: at, Size: size} }
	tests := []struct {
		name        string
		fn          any
		regs        Regs
		params, res [][]Piece
		// ResultsOff, ResultBytes, Ints, Floats, ResultInts, ResultFloats
		frame [6]int
	}{
		{
			name:   "scalars",
			fn:     func(int8, float32, unsafe.Pointer, float64) bool { return false },
			regs:   regs,
			params: [][]Piece{{sp(0, 0, 1)}, {fp(0, 0, 4)}, {pp(1, 0)}, {fp(1, 0, 8)}},
			res:    [][]Piece{{ip(0, 0, 1)}},
			frame:  [6]int{0, 0, 2, 2, 1, 0},
		},
		{
			name:   "string, slice and struct",
			fn:     func(string, []byte, pair) (string, error) { return "", nil },
			regs:   regs,
			params: [][]Piece{{pp(0, 0), ip(1, 8, 8)}, {pp(2, 0), ip(3, 8, 8), ip(4, 16, 8)}, {fp(0, 0, 8), sp(5, 8, 4)}},
			res:    [][]Piece{{pp(0, 0), ip(1, 8, 8)}, {pp(2, 0), pp(3, 8)}},
			frame:  [6]int{0, 0, 6, 1, 4, 0},
		},
		{
			name:   "complex, one-element array, zero-sized field",
			fn:     func(mixed, complex128) {},
			regs:   regs,
			params: [][]Piece{{fp(0, 0, 4), fp(1, 4, 4), ip(0, 8, 1), ip(1, 16, 2)}, {fp(2, 0, 8), fp(3, 8, 8)}},
			frame:  [6]int{0, 0, 2, 4, 0, 0},
		},
		{
			// The example of abi-internal.md, with registers R0-R9: a2 and r1
			// do not fit (arrays of length 2), a3 still gets a register.
			name:   "abi-internal.md example",
			fn:     func(uint8, [2]uintptr, uint8) (withArray, string) { return withArray{}, "" },
			regs:   Regs{Int: 10, Float: 10},
			params: [][]Piece{{ip(0, 0, 1)}, {st(0, 16)}, {ip(1, 0, 1)}},
			res:    [][]Piece{{st(16, 24)}, {pp(0, 0), ip(1, 8, 8)}},
			frame:  [6]int{16, 24, 2, 0, 2, 0},
		},
		{
			name: "registers run out: later small values still use them",
			fn:   func(a, b, c, d, e, f, g, h int64, s string, i int32) {},
			regs: regs,
			params: [][]Piece{{sp(0, 0, 8)}, {sp(1, 0, 8)}, {sp(2, 0, 8)}, {sp(3, 0, 8)}, {sp(4, 0, 8)}, {sp(5, 0, 8)},
				{sp(6, 0, 8)}, {sp(7, 0, 8)}, {st(0, 16)}, {sp(8, 0, 4)}},
			frame: [6]int{16, 0, 9, 0, 0, 0},
		},
		{
			name:   "float registers run out; a struct that does not fit whole goes to the stack",
			fn:     func(float64, float64, float64, pair, float32) (float32, pair) { return 0, pair{} },
			regs:   Regs{Int: 2, Float: 3},
			params: [][]Piece{{fp(0, 0, 8)}, {fp(1, 0, 8)}, {fp(2, 0, 8)}, {st(0, 16)}, {st(16, 4)}},
			res:    [][]Piece{{fp(0, 0, 4)}, {fp(1, 0, 8), sp(0, 8, 4)}},
			frame:  [6]int{24, 0, 0, 3, 1, 2},
		},
		{
			name:   "zero-sized values go to the stack",
			fn:     func(struct{}, int16, [0]int64) {},
			regs:   regs,
			params: [][]Piece{{st(0, 0)}, {sp(0, 0, 2)}, {st(0, 0)}},
			frame:  [6]int{0, 0, 1, 0, 0, 0},
		},
	}
	for _, tt := range tests {
		fr, err := Assign(reflect.TypeOf(tt.fn), tt.regs)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		check := func(what string, got []Value, want [][]Piece) {
			if len(got) != len(want) {
				t.Errorf("%s: %d %s, want %d", tt.name, len(got), what, len(want))
				return
			}
			for i := range got {
				if !reflect.DeepEqual(got[i].Pieces, want[i]) {
					t.Errorf("%s: %s %d: %+v, want %+v", tt.name, what, i+1, got[i].Pieces, want[i])
				}
				if got[i].Stack != (want[i][0].Loc == Stack) {
					t.Errorf("%s: %s %d: Stack is %v", tt.name, what, i+1, got[i].Stack)
				}
			}
		}
		check("parameters", fr.Params, tt.params)
		check("results", fr.Results, tt.res)
		if got := [6]int{fr.ResultsOff, fr.ResultBytes, fr.Ints, fr.Floats, fr.ResultInts, fr.ResultFloats}; got != tt.frame {
			t.Errorf("%s: ResultsOff, ResultBytes, Ints, Floats, ResultInts, ResultFloats = %v, want %v", tt.name, got, tt.frame)
		}
	}
	if _, err := Assign(reflect.TypeFor[int](), regs); err == nil {
		t.Error("Assign accepted a non-func type")
	}
}

func TestPointerWords(t *testing.T) {
	type inner struct {
		N int32
		S string
	}
	type outer struct {
		A  [2]inner
		B  [3]int64
		I  any
		Sl []int
	}
	got := PointerWords(reflect.TypeFor[outer]())
	want := []int{8, 32, 72, 80, 88}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("PointerWords = %v, want %v", got, want)
	}
}
