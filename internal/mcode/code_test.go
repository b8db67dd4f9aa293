package mcode

import (
	"testing"
	"unsafe"
)

// TestPlaceShares: code of the same bytes is placed once, at one address;
// other bytes get another; both hold their bytes.
func TestPlaceShares(t *testing.T) {
	a := []byte{0xc3, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77}
	b := []byte{0xc3, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x78}
	pa, err := Place(a)
	if err != nil {
		t.Fatal(err)
	}
	pa2, err := Place(append([]byte(nil), a...))
	if err != nil {
		t.Fatal(err)
	}
	pb, err := Place(b)
	if err != nil {
		t.Fatal(err)
	}
	if pa != pa2 {
		t.Errorf("the same code placed at %#x and %#x", pa, pa2)
	}
	if pb == pa {
		t.Errorf("different code placed at the same address %#x", pa)
	}
	for _, c := range []struct {
		addr uintptr
		code []byte
	}{{pa, a}, {pb, b}} {
		if got := unsafe.Slice((*byte)(ptrAt(c.addr)), len(c.code)); string(got) != string(c.code) {
			t.Errorf("%#x holds % x, want % x", c.addr, got, c.code)
		}
	}
	if _, err := Place(nil); err == nil {
		t.Error("Place(nil) placed no code without an error")
	}
}
