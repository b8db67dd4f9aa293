package upcall

import (
	"math"
	"runtime"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/cparse"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

type (
	plainVec struct{ X, Y float64 }
	plainMix struct {
		A int64
		B float64
	}
	plainF32  struct{ X, Y float32 }
	plainI16s struct{ A, B int16 }
)

// TestSmallStructShapes checks which small struct shapes get movers (every
// move a plain load: structs of doubles, 64-bit integers, floats and
// shorts in registers) and which keep invokeSmall (Microsoft x64 passes
// 16-byte structs by reference). Where the frame layout is the same on
// every ABI here, it also runs the callback through dispatch from a frame
// as the entry builds it and checks the result registers. The root
// package's struct callback and conformance tests check every shape
// against C.
func TestSmallStructShapes(t *testing.T) {
	d := math.Float64bits
	win := runtime.GOOS == "windows"
	for _, c := range []struct {
		name, decl string
		fn         any
		movers     bool
		check      bool // run it: arguments gpr, fpr; results retGPR[0], retFPR
		gpr, fpr   [8]uint64
		retGPR     uint64
		retFPR     [2]uint64
	}{
		{"two doubles", "struct { double x, y; } (*)(struct { double x, y; })",
			func(v plainVec) plainVec { return plainVec{v.Y * 2, v.X + 1} },
			!win, !win, [8]uint64{}, [8]uint64{d(1.5), d(4)}, 0, [2]uint64{d(8), d(2.5)}},
		{"a long long and a double, and a long long", "struct { long long a; double b; } (*)(struct { long long a; double b; }, long long)",
			func(v plainMix, n int64) plainMix { return plainMix{v.A + n, v.B / 2} },
			!win, false, [8]uint64{}, [8]uint64{}, 0, [2]uint64{}},
		{"two floats", "struct { float x, y; } (*)(struct { float x, y; })",
			func(v plainF32) plainF32 { return plainF32{v.Y, v.X} },
			true, false, [8]uint64{}, [8]uint64{}, 0, [2]uint64{}},
		{"two shorts in one register", "int (*)(struct { short a, b; })",
			func(v plainI16s) int32 { return int32(v.A) * int32(v.B) },
			true, true, [8]uint64{uint64(uint16(0xfffd)) | 7<<16}, [8]uint64{}, 0xffffffffffffffeb, [2]uint64{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			cb := newTestSlot(t, c.decl, c.fn)
			defer cb.Free()
			b := cb.rec.b.Load()
			if movers, want := b.shape.moverIn != 0, c.movers && fastPathOK && moversOK(); movers != want {
				t.Errorf("movers: %v, want %v", movers, want)
			}
			if !c.check {
				return
			}
			f := &cframe{fpr: c.fpr, slot: uint64(cb.ID), state: *cb.rec.state}
			copy(f.gpr[:], c.gpr[:])
			dispatch(unsafe.Pointer(f))
			// C reads an int result from the low 32 bits of its register.
			if uint32(f.retGPR[0]) != uint32(c.retGPR) || f.retFPR[0] != c.retFPR[0] || f.retFPR[1] != c.retFPR[1] {
				t.Errorf("results gpr %#x, fpr %#x; want %#x, %#x", f.retGPR[0], f.retFPR[:2], c.retGPR, c.retFPR)
			}
		})
	}
}

// newTestSlot parses decl, a C function pointer type, in a fresh scope
// and hands out a slot whose calls run fn.
func newTestSlot(t testing.TB, decl string, fn any) *Slot {
	t.Helper()
	ft, err := cparse.NewScope(ctype.Host()).ParseType(decl)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := NewProto(ft)
	if err != nil {
		t.Fatal(err)
	}
	cb, err := NewSlot(pr, fn)
	if err != nil {
		t.Fatal(err)
	}
	return cb
}
