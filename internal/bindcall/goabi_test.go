package bindcall

import (
	"reflect"
	"testing"
	"unsafe"
)

// TestGoAssign checks the placement of Go parameters and results against
// the rules and the worked example of cmd/compile/abi-internal.md.
func TestGoAssign(t *testing.T) {
	type pair struct {
		X float64
		Y int32
	}
	type withArray struct {
		A [2]uintptr
		P *int
	}
	regs := GoRegs{Int: 9, Float: 15}
	ip := func(i, off, size int) GoPiece { return GoPiece{Loc: GoInt, Index: i, Offset: off, Size: size} }
	pp := func(i, off int) GoPiece { return GoPiece{Loc: GoInt, Index: i, Offset: off, Size: 8, Ptr: true} }
	fp := func(i, off, size int) GoPiece { return GoPiece{Loc: GoFloat, Index: i, Offset: off, Size: size} }
	sp := func(at, size int) GoPiece { return GoPiece{Loc: GoStack, Index: at, Size: size} }
	tests := []struct {
		name          string
		fn            any
		regs          GoRegs
		params, res   [][]GoPiece
		stack         []bool
		resultsOffset int
	}{
		{
			name:   "scalars",
			fn:     func(int8, float32, unsafe.Pointer, float64) bool { return false },
			regs:   regs,
			params: [][]GoPiece{{ip(0, 0, 1)}, {fp(0, 0, 4)}, {pp(1, 0)}, {fp(1, 0, 8)}},
			res:    [][]GoPiece{{ip(0, 0, 1)}},
		},
		{
			name:   "string, slice and struct",
			fn:     func(string, []byte, pair) (string, error) { return "", nil },
			regs:   regs,
			params: [][]GoPiece{{pp(0, 0), ip(1, 8, 8)}, {pp(2, 0), ip(3, 8, 8), ip(4, 16, 8)}, {fp(0, 0, 8), ip(5, 8, 4)}},
			res:    [][]GoPiece{{pp(0, 0), ip(1, 8, 8)}, {pp(2, 0), pp(3, 8)}},
		},
		{
			// The example of abi-internal.md, with registers R0-R9: a2 and r1
			// do not fit (arrays of length 2), a3 still gets a register.
			name:          "abi-internal.md example",
			fn:            func(uint8, [2]uintptr, uint8) (withArray, string) { return withArray{}, "" },
			regs:          GoRegs{Int: 10, Float: 10},
			params:        [][]GoPiece{{ip(0, 0, 1)}, {sp(0, 16)}, {ip(1, 0, 1)}},
			res:           [][]GoPiece{{sp(16, 24)}, {pp(0, 0), ip(1, 8, 8)}},
			resultsOffset: 16,
		},
		{
			name: "registers run out: later small values still use them",
			fn:   func(a, b, c, d, e, f, g, h int64, s string, i int32) {},
			regs: regs,
			params: [][]GoPiece{{ip(0, 0, 8)}, {ip(1, 0, 8)}, {ip(2, 0, 8)}, {ip(3, 0, 8)}, {ip(4, 0, 8)}, {ip(5, 0, 8)},
				{ip(6, 0, 8)}, {ip(7, 0, 8)}, {sp(0, 16)}, {ip(8, 0, 4)}},
			resultsOffset: 16,
		},
		{
			name:          "zero-sized values go to the stack",
			fn:            func(struct{}, int16, [0]int64) {},
			regs:          regs,
			params:        [][]GoPiece{{sp(0, 0)}, {ip(0, 0, 2)}, {sp(0, 0)}},
			resultsOffset: 0,
		},
	}
	for _, tt := range tests {
		params, results, resOff, err := GoAssign(reflect.TypeOf(tt.fn), tt.regs)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		check := func(what string, got []GoValue, want [][]GoPiece) {
			if len(got) != len(want) {
				t.Errorf("%s: %d %s, want %d", tt.name, len(got), what, len(want))
				return
			}
			for i := range got {
				if !reflect.DeepEqual(got[i].Pieces, want[i]) {
					t.Errorf("%s: %s %d: %+v, want %+v", tt.name, what, i+1, got[i].Pieces, want[i])
				}
			}
		}
		check("parameters", params, tt.params)
		check("results", results, tt.res)
		if resOff != tt.resultsOffset {
			t.Errorf("%s: results at stack offset %d, want %d", tt.name, resOff, tt.resultsOffset)
		}
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
