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
	type pair struct {
		p *node
		_ int
	}
	buf := make([]byte, 8)
	cb, err := NewCallback("void (*)(void)", func() {})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	tests := []struct {
		name string
		arg  any
		want string // in the error, "" for none
	}{
		{"pointer to Go memory holding a Go pointer", &node{next: &node{}}, "node.next holds Go pointer"},
		{"pointer to Go memory without Go pointers", &node{val: 1}, ""},
		{"unsafe.Pointer", unsafe.Pointer(&node{next: &node{}}), "the Go memory of unsafe.Pointer target holds a Go pointer"},
		{"slice", []*byte{&buf[0]}, "*uint8 holds Go pointer"},
		{"byte slice", buf, ""},
		{"empty slice", []*byte{}, ""},
		{"struct by value", pair{p: &node{next: &node{}}}, "*pair.p.next holds Go pointer"},
		{"callback", cb, ""},
		{"string", "text", ""},
		{"integer", 42, ""},
	}
	for _, tt := range tests {
		x := reflect.ValueOf(tt.arg)
		for _, v := range []reflect.Value{x, reflect.ValueOf([]any{tt.arg}).Index(0)} { // fixed and variadic
			err := checkArgPointer(v)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("%s (%s): error %v, want %q", tt.name, v.Kind(), err, tt.want)
			}
		}
	}
	msg := mustPanic(t, func() {
		checkArgPointers("f", []reflect.Value{reflect.ValueOf(1), reflect.ValueOf(&node{next: &node{}})})
	})
	if !strings.HasPrefix(msg, "ffi: call f: argument 2 (*ffi.node): node.next holds Go pointer 0x") || !strings.HasSuffix(msg, "[FFICHECK=1]") {
		t.Errorf("panic %q", msg)
	}
}
