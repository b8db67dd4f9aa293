package upcall

import (
	"fmt"
	"reflect"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/leaf"
)

// TestDescribeCallback checks the callback description of the misuse
// message against a live callback and an unknown slot: describeCallback
// reads the slot table with plain loads through its layout, and this test
// notices if that layout changes.
func TestDescribeCallback(t *testing.T) {
	p, err := ProtoOfFunc(reflect.TypeFor[func(int16, float64) int64]())
	if err != nil {
		t.Fatal(err)
	}
	cb, err := NewSlot(p, func(int16, float64) int64 { return 0 })
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	for _, c := range []struct {
		slot uint64
		want string
	}{
		{uint64(cb.ID), fmt.Sprintf("callback long long (*)(short, double) (slot %d)", cb.ID)},
		{1 << 40, fmt.Sprintf("callback of unknown type (slot %d)", uint64(1)<<40)},
	} {
		var f cframe
		f.slot = c.slot
		var m leaf.Msg
		DescribeCallback(&m, unsafe.Pointer(&f))
		if got := m.String(); got != c.want {
			t.Errorf("slot %d: %q, want %q", c.slot, got, c.want)
		}
	}
}
