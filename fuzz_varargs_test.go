package ffi

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unsafe"
)

// varargValue is one variadic argument of FuzzBindVarargs: the Go value,
// vstore's format letter, and what vstore stores for it.
type varargValue struct {
	v      any
	letter byte
	int    int64
	dbl    float64
}

// varargOf makes the variadic argument that selector k (any byte) and the
// 64-bit value w stand for: every Go type with a C default promotion.
func varargOf(k byte, w uint64, keep *[]*int32) varargValue {
	switch k % 14 {
	case 0:
		return varargValue{v: int8(w), letter: 'i', int: int64(int8(w))}
	case 1:
		return varargValue{v: uint8(w), letter: 'i', int: int64(uint8(w))}
	case 2:
		return varargValue{v: int16(w), letter: 'i', int: int64(int16(w))}
	case 3:
		return varargValue{v: uint16(w), letter: 'i', int: int64(uint16(w))}
	case 4:
		return varargValue{v: int32(w), letter: 'i', int: int64(int32(w))}
	case 5:
		return varargValue{v: uint32(w), letter: 'u', int: int64(uint32(w))}
	case 6:
		return varargValue{v: int64(w), letter: 'l', int: int64(w)}
	case 7:
		return varargValue{v: uint64(w), letter: 'l', int: int64(w)}
	case 8:
		return varargValue{v: w&1 == 1, letter: 'i', int: int64(w & 1)}
	case 9:
		f := float32(int32(w)) / 8
		return varargValue{v: f, letter: 'd', dbl: float64(f)}
	case 10:
		f := math.Float64frombits(w &^ (0x7ff << 52)) // finite
		return varargValue{v: f, letter: 'd', dbl: f}
	case 11:
		s := strings.Repeat("s", int(w%300))
		return varargValue{v: s, letter: 's', int: int64(len(s))}
	case 12:
		p := new(int32)
		*keep = append(*keep, p)
		return varargValue{v: unsafe.Pointer(p), letter: 'p', int: int64(uintptr(unsafe.Pointer(p)))}
	}
	return varargValue{v: nil, letter: 'p'}
}

// FuzzBindVarargs calls vstore with sequences of variadic arguments of
// every promotable Go type, in registers and on the stack: short sequences
// on the register path's compiled stubs, long ones past its frame's stack
// words through the dispatcher's code, and checks what C read. Its seeds
// run in every test run; TestBindVarargsRandom adds random sequences.
func FuzzBindVarargs(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13})
	f.Add([]byte{10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 9, 9, 9})
	f.Add([]byte("long sequence of mixed promotable arguments, past every frame"))
	f.Add([]byte{})
	lib := bindLib(f)
	var vstore func(*int64, *float64, string, ...any) int32
	mustBind(f, lib, &vstore, "int vstore(long long *ints, double *dbls, const char *fmt, ...)")
	f.Fuzz(func(t *testing.T, data []byte) {
		checkVstore(t, vstore, data)
	})
}

// TestBindVarargsRandom runs FuzzBindVarargs's check on random sequences.
func TestBindVarargsRandom(t *testing.T) {
	lib := bindLib(t)
	var vstore func(*int64, *float64, string, ...any) int32
	mustBind(t, lib, &vstore, "int vstore(long long *ints, double *dbls, const char *fmt, ...)")
	seed := rand.Uint64()
	r := rand.New(rand.NewPCG(seed, 1))
	for i := range 500 {
		data := make([]byte, r.IntN(65))
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		if !checkVstore(t, vstore, data) {
			t.Fatalf("sequence %d of seed %d: %v", i, seed, data)
		}
	}
}

func checkVstore(t *testing.T, vstore func(*int64, *float64, string, ...any) int32, data []byte) bool {
	t.Helper()
	if len(data) > 64 {
		data = data[:64]
	}
	var keep []*int32
	args := make([]any, len(data))
	var fmtb []byte
	var wantI []int64
	var wantD []float64
	for j, k := range data {
		w := uint64(k)*0x9E3779B97F4A7C15 ^ uint64(j)<<40
		a := varargOf(k, w, &keep)
		args[j] = a.v
		fmtb = append(fmtb, a.letter)
		if a.letter == 'd' {
			wantD = append(wantD, a.dbl)
		} else {
			wantI = append(wantI, a.int)
		}
	}
	ints := make([]int64, 65)
	dbls := make([]float64, 65)
	n := vstore(&ints[0], &dbls[0], string(fmtb), args...)
	ok := int(n) == len(data)
	for j, w := range wantI {
		ok = ok && ints[j] == w
	}
	for j, w := range wantD {
		ok = ok && math.Float64bits(dbls[j]) == math.Float64bits(w)
	}
	if !ok {
		t.Errorf("vstore(%q, %v): read %d, ints %v (want %v), doubles %v (want %v)", fmtb, args, n, ints[:len(wantI)], wantI, dbls[:len(wantD)], wantD)
	}
	return ok
}
