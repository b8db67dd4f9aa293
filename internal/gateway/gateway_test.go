package gateway

import (
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"
)

func target(unsafe.Pointer) {}

func TestCrosscall2Linked(t *testing.T) {
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		t.Skip("the gateway is written for amd64 and arm64 only so far")
	}
	pc := Crosscall2()
	if pc == 0 {
		t.Fatal("crosscall2 is not linked")
	}
	// On Windows the pointer is a syscall.NewCallback trampoline, which
	// TestCrosscallRunsFn calls.
	if f := runtime.FuncForPC(pc); runtime.GOOS != "windows" && (f == nil || !strings.Contains(f.Name(), "crosscall2")) {
		t.Fatalf("Crosscall2() = %#x is not crosscall2 (%v)", pc, f)
	}
}

func TestFuncPCIsTheCodePointer(t *testing.T) {
	pc := FuncPC(target)
	if want := reflect.ValueOf(target).Pointer(); pc != want {
		t.Fatalf("FuncPC = %#x, want %#x", pc, want)
	}
	if f := runtime.FuncForPC(pc); f == nil || !strings.HasSuffix(f.Name(), "gateway.target") {
		t.Fatalf("FuncPC points into %v", f)
	}
}
