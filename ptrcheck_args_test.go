package ffi

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"
)

// TestCheckArgPointer covers each kind of argument the call path hands to
// the pointer check (FFICHECK=1 runs it at every call; see
// TestPointerCheckZStream for the wiring).
func TestCheckArgPointer(t *testing.T) {
	type node struct {
		next *node
		val  int
	}
	buf := make([]byte, 8)
	ptrs := []*byte{&buf[0]}
	cb, err := NewCallback("void (*)(void)", func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	tests := []struct {
		name string
		t    reflect.Type
		p    unsafe.Pointer
		want string // in the error, "" for none
	}{
		{"pointer to Go memory holding a Go pointer", reflect.TypeFor[*node](), unsafe.Pointer(&node{next: &node{}}), "node.next holds Go pointer"},
		{"pointer to Go memory without Go pointers", reflect.TypeFor[*node](), unsafe.Pointer(&node{val: 1}), ""},
		{"unsafe.Pointer", reflect.TypeFor[unsafe.Pointer](), unsafe.Pointer(&node{next: &node{}}), "the Go memory of unsafe.Pointer target holds a Go pointer"},
		{"slice", reflect.TypeFor[[]*byte](), unsafe.Pointer(unsafe.SliceData(ptrs)), "*uint8 holds Go pointer"},
		{"byte slice", reflect.TypeFor[[]byte](), unsafe.Pointer(unsafe.SliceData(buf)), ""},
		{"callback", callbackType, unsafe.Pointer(cb), ""},
	}
	for _, tt := range tests {
		err := checkArgPointer(0, tt.t, tt.p)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasSuffix(err.Error(), "[FFICHECK=1]")) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.want)
		}
	}
}
