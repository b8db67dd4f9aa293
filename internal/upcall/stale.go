package upcall

import (
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"
)

// A call through a slot whose callback was freed (or that was never handed
// out) is a stale call: dispatch finds no binding and hands it to staleCall.

var staleHandler atomic.Pointer[func(ptr uintptr, info string)]

// SetStaleHandler installs h to be called when C code calls the pointer of
// a freed callback before its slot has been reused (ffi's
// SetStaleCallbackHandler); nil restores the default, ending the process.
func SetStaleHandler(h func(ptr uintptr, info string)) {
	if h == nil {
		staleHandler.Store(nil)
		return
	}
	staleHandler.Store(&h)
}

// staleCall handles a call through a slot that has no live callback. The
// call returns zero: result registers cleared and, for a result returned in
// memory, the caller's buffer zeroed and its address returned as the
// calling convention requires (in rax on amd64; AAPCS64 returns nothing for
// x8, and x0 is harmless there).
func staleCall(f *cframe, rec *record) {
	clear(f.retGPR[:])
	clear(f.retFPR[:])
	info := fmt.Sprintf("slot %d was never handed out", f.slot)
	ptr := uintptr(0)
	if rec != nil {
		if a, err := slots(); err == nil {
			ptr = a.Addr(uint32(f.slot))
		}
		last := "a callback"
		if s := rec.last.Load(); s != nil {
			last = s.decl
			if p := s.plan; p.SRet {
				buf := *(*unsafe.Pointer)(f.part(p.SRetPart))
				clear(unsafe.Slice((*byte)(buf), p.Func.Result.Size))
				f.retGPR[0] = uint64(uintptr(buf))
			}
		}
		info = fmt.Sprintf("slot %d (generation %d, last %s) was called after Free", f.slot, rec.gen.Load(), last)
	}
	if h := staleHandler.Load(); h != nil {
		(*h)(ptr, info)
		return
	}
	fmt.Fprintf(os.Stderr, "ffi: stale callback pointer %#x called: %s\n", ptr, info)
	os.Exit(2)
}
