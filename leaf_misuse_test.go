package ffi_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/bindcall"
	"github.com/seed5ca82032/ffi/internal/leaf"
)

// leafCallII binds call_ii of the misuse fixture with ffi.Leaf, as fnPtr's
// type says: the callback parameter as a uintptr or as a *ffi.Callback.
func leafCallII(fnPtr any) {
	callII, _, _ := mustMisuseLib()
	if err := ffi.Bind(fnPtr, callII, "int call_ii(int (*cb)(int, int), int a, int b)", ffi.Leaf); err != nil {
		panic(err)
	}
}

// leafStubsHere reports whether leaf bindings with a compiled stub run on
// the leaf stub path here (see leafStubs in leaf_test.go).
func leafStubsHere() bool { return leaf.EnterPC() != 0 && !leaf.RaceEnabled }

func addCallback() *ffi.Callback {
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b })
	if err != nil {
		panic(err)
	}
	return cb
}

func init() {
	// C calls a callback from inside a leaf call: a uintptr parameter.
	helpers["leaf-callback-fast"] = func() {
		var callII func(uintptr, int32, int32) int32
		leafCallII(&callII)
		cb := addCallback()
		fmt.Println("before:", callII(cb.Ptr(), 1, 2))
	}
	// The uintptr binding without a compiled stub: fastTrampoline runs its
	// move tables and calls downcall's generic stub through leaf.Call's
	// system-stack half, which records the leaf call.
	helpers["leaf-callback-movetables"] = func() {
		bindcall.SetCompiledStubs(false)
		var callII func(uintptr, int32, int32) int32
		leafCallII(&callII)
		if leafStubsHere() && (!bindcall.OnRegisterPath(callII) || bindcall.OnLeafStub(callII)) {
			fmt.Println("call_ii is not on the register path without a compiled stub")
			os.Exit(1)
		}
		cb := addCallback()
		fmt.Println("before:", callII(cb.Ptr(), 1, 2))
	}
	// The same with a *ffi.Callback parameter.
	helpers["leaf-callback-reflect"] = func() {
		var callII func(*ffi.Callback, int32, int32) int32
		leafCallII(&callII)
		cb := addCallback()
		fmt.Println("before:", callII(cb, 1, 2))
	}
	// A thread created by C calls a callback, whose Go func makes the leaf
	// call that calls back: the leaf call runs on a thread the runtime
	// attached for the callback.
	helpers["leaf-callback-cthread"] = func() {
		var callII func(uintptr, int32, int32) int32
		leafCallII(&callII)
		inner := addCallback()
		outer, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return callII(inner.Ptr(), a, b) })
		if err != nil {
			panic(err)
		}
		_, _, onThread := mustMisuseLib()
		var run func(*ffi.Callback) int32
		if err := ffi.Bind(&run, onThread, "int call_on_thread(int (*cb)(int, int))"); err != nil {
			panic(err)
		}
		fmt.Println("before:", run(outer))
	}
}

// TestLeafCallbackEndsProcess: a callback called from inside a leaf call
// ends the process with exit status 2 and the documented message, naming
// the callback's C type and slot and the bound function, before the
// callback runs and before the runtime notices anything.
//
// The uintptr binding of the fast and cthread helpers is a compiled leaf
// stub that records the leaf call itself (bindcall.OnLeafStub) where
// package leaf has the routine for it, outside the race detector: the
// check is made through that path too; the movetables helper makes the
// same call without a compiled stub.
func TestLeafCallbackEndsProcess(t *testing.T) {
	var callII func(uintptr, int32, int32) int32
	leafCallII(&callII)
	if want := leafStubsHere(); bindcall.OnLeafStub(callII) != want {
		t.Fatalf("call_ii on the leaf stub path: %v, want %v", !want, want)
	}
	for _, mode := range []string{"leaf-callback-fast", "leaf-callback-movetables", "leaf-callback-reflect", "leaf-callback-cthread"} {
		t.Run(mode, func(t *testing.T) {
			code, out := runHelper(t, mode)
			want := "ffi: callback int (*)(int, int) (slot "
			want2 := ") was called from inside the leaf call of call_ii: a C function bound with ffi.Leaf must not call back into Go; bind call_ii without ffi.Leaf"
			if code != 2 || !strings.HasPrefix(out, want) || !strings.HasSuffix(out, want2) || strings.Contains(out, "before:") {
				t.Fatalf("exit %d, output:\n%s\nwant exit 2 and\n%s<n>%s", code, out, want, want2)
			}
		})
	}
}
