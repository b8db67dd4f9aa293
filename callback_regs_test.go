package ffi_test

import (
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// calleeSavedSrc keeps known values in the registers the C convention
// says a callee preserves (x19-x28 on arm64; rbx and r12-r15 on x86-64,
// which both System V and Microsoft x64 preserve), calls cb, and returns
// how many of them changed.
const calleeSavedSrc = `
int keep_regs(int (*cb)(int)) {
#if defined(__aarch64__)
	register long r19 __asm__("x19") = 0x1919; register long r20 __asm__("x20") = 0x2020;
	register long r21 __asm__("x21") = 0x2121; register long r22 __asm__("x22") = 0x2222;
	register long r23 __asm__("x23") = 0x2323; register long r24 __asm__("x24") = 0x2424;
	register long r25 __asm__("x25") = 0x2525; register long r26 __asm__("x26") = 0x2626;
	register long r27 __asm__("x27") = 0x2727; register long r28 __asm__("x28") = 0x2828;
	__asm__ volatile("" : "+r"(r19), "+r"(r20), "+r"(r21), "+r"(r22), "+r"(r23), "+r"(r24), "+r"(r25), "+r"(r26), "+r"(r27), "+r"(r28));
	int r = cb(7);
	__asm__ volatile("" : "+r"(r19), "+r"(r20), "+r"(r21), "+r"(r22), "+r"(r23), "+r"(r24), "+r"(r25), "+r"(r26), "+r"(r27), "+r"(r28));
	return (r != 8) + (r19 != 0x1919) + (r20 != 0x2020) + (r21 != 0x2121) + (r22 != 0x2222) + (r23 != 0x2323) +
		(r24 != 0x2424) + (r25 != 0x2525) + (r26 != 0x2626) + (r27 != 0x2727) + (r28 != 0x2828);
#elif defined(__x86_64__)
	register long rbx __asm__("rbx") = 0xb0b0; register long r12 __asm__("r12") = 0x1212;
	register long r13 __asm__("r13") = 0x1313; register long r14 __asm__("r14") = 0x1414;
	register long r15 __asm__("r15") = 0x1515;
	__asm__ volatile("" : "+r"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
	int r = cb(7);
	__asm__ volatile("" : "+r"(rbx), "+r"(r12), "+r"(r13), "+r"(r14), "+r"(r15));
	return (r != 8) + (rbx != 0xb0b0) + (r12 != 0x1212) + (r13 != 0x1313) + (r14 != 0x1414) + (r15 != 0x1515);
#else
#error "no callee-saved register list for this target"
#endif
}
`

// TestCallbackPreservesCalleeSaved: C keeps values in the registers its
// convention says a callee preserves, across a call of a Callback (the
// slot stub, the entry, the leaf-call guard and the runtime's C-to-Go
// path). A clobbered one (arm64's x27, which Go assembly uses as a scratch
// register, was) corrupts whatever C kept there.
func TestCallbackPreservesCalleeSaved(t *testing.T) {
	lib, err := ffi.Open(ctest.SharedLib(t, calleeSavedSrc, "-O2"))
	if err != nil {
		t.Fatal(err)
	}
	var keep func(cb *ffi.Callback) int32
	if err := lib.Bind(&keep, "int keep_regs(int (*cb)(int))"); err != nil {
		t.Fatal(err)
	}
	cb, err := ffi.NewCallback("int (*)(int)", func(x int32) int32 { return x + 1 })
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	for i := range 100 {
		if n := keep(cb); n != 0 {
			t.Fatalf("call %d: %d callee-saved registers (or the result) changed across the callback", i, n)
		}
	}
}
