package ffi_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

const callSrc = `
#include <stdint.h>
int call_ii(int (*cb)(int, int), int a, int b) { return cb(a, b); }
long long call_l(long long (*cb)(void)) { return cb(); }
`

func TestQsortBsearch(t *testing.T) {
	libc := openC(t, libcName)
	qsort, err := libc.Sym("qsort")
	if err != nil {
		t.Fatal(err)
	}
	bsearch, err := libc.Sym("bsearch")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	cmp, err := ffi.NewCallback("int (*)(const void *, const void *)", func(a, b unsafe.Pointer) int32 {
		calls++
		x, y := *(*int32)(a), *(*int32)(b)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cmp.Free()
	n := 1_000_000 / stressDiv
	if testing.Short() {
		n = 10_000
	}
	r := rand.New(rand.NewPCG(1, 2))
	data := make([]int32, n)
	for i := range data {
		data[i] = r.Int32() - 1<<30
	}
	want := slices.Clone(data)
	slices.Sort(want)
	var pin runtime.Pinner
	pin.Pin(&data[0])
	defer pin.Unpin()
	purego.SyscallN(qsort, uintptr(unsafe.Pointer(&data[0])), uintptr(n), 4, cmp.Ptr())
	if !slices.Equal(data, want) {
		t.Fatal("qsort with a Go comparator did not sort")
	}
	if calls < n {
		t.Fatalf("comparator called %d times for %d elements", calls, n)
	}
	// The key lives on the heap and is pinned: the callbacks run Go code
	// during bsearch, which may move this goroutine's stack.
	key := new(int32)
	pin.Pin(key)
	base := uintptr(unsafe.Pointer(&data[0]))
	for i := 0; i < n; i++ {
		*key = want[i]
		p, _, _ := purego.SyscallN(bsearch, uintptr(unsafe.Pointer(key)), base, uintptr(n), 4, cmp.Ptr())
		if p < base || p >= base+uintptr(4*n) || data[(p-base)/4] != *key {
			t.Fatalf("bsearch did not find element %d (%d)", i, *key)
		}
	}
	*key = 1 << 30
	if p, _, _ := purego.SyscallN(bsearch, uintptr(unsafe.Pointer(key)), base, uintptr(n), 4, cmp.Ptr()); p != 0 {
		t.Fatal("bsearch found an element that is not there")
	}
}

func TestSetAndFree(t *testing.T) {
	lib := openC(t, ctest.SharedLib(t, callSrc))
	call, _ := lib.Sym("call_ii")
	cb, err := ffi.NewCallback("int (*)(int, int)", func(a, b int32) int32 { return a + b })
	if err != nil {
		t.Fatal(err)
	}
	p := cb.Ptr()
	if r, _, _ := purego.SyscallN(call, p, 3, 4); int32(r) != 7 {
		t.Fatalf("add: got %d", int32(r))
	}
	if err := cb.Set(func(a, b int32) int32 { return a * b }); err != nil {
		t.Fatal(err)
	}
	if cb.Ptr() != p {
		t.Fatal("Set changed the pointer")
	}
	if r, _, _ := purego.SyscallN(call, p, 3, 4); int32(r) != 12 {
		t.Fatalf("after Set: got %d", int32(r))
	}
	if err := cb.Set(func(a, b float64) float64 { return a }); err == nil || !strings.Contains(err.Error(), "parameter 1") {
		t.Fatalf("Set with a mismatched func: err = %v", err)
	}
	if r, _, _ := purego.SyscallN(call, p, 3, 4); int32(r) != 12 {
		t.Fatalf("a failed Set changed behaviour: got %d", int32(r))
	}
	if err := cb.Free(); err != nil {
		t.Fatal(err)
	}
	if err := cb.Free(); !errors.Is(err, ffi.ErrFreed) {
		t.Fatalf("second Free: err = %v, want ErrFreed", err)
	}
	if err := cb.Set(func(a, b int32) int32 { return 0 }); !errors.Is(err, ffi.ErrFreed) {
		t.Fatalf("Set after Free: err = %v, want ErrFreed", err)
	}
}

// TestMillionCallbacks keeps 1,000,000 distinct callbacks alive at once,
// calls each from C, frees them all and creates them again, checking that
// the machine code is reused rather than mapped twice.
func TestMillionCallbacks(t *testing.T) {
	n := 1_000_000 / stressDiv
	if testing.Short() {
		n = 50_000
	}
	lib := openC(t, ctest.SharedLib(t, callSrc))
	call, _ := lib.Sym("call_l")
	round := func() []*ffi.Callback {
		cbs := make([]*ffi.Callback, n)
		for i := range cbs {
			i := i
			cb, err := ffi.NewCallback("long long (*)(void)", func() int64 { return int64(i) })
			if err != nil {
				t.Fatalf("callback %d: %v", i, err)
			}
			cbs[i] = cb
		}
		for i, cb := range cbs {
			if r, _, _ := purego.SyscallN(call, cb.Ptr()); int64(r) != int64(i) {
				t.Fatalf("callback %d returned %d", i, int64(r))
			}
		}
		return cbs
	}
	free := func(cbs []*ffi.Callback) {
		for _, cb := range cbs {
			if err := cb.Free(); err != nil {
				t.Fatal(err)
			}
		}
	}
	cbs := round()
	ptrs := make(map[uintptr]bool, n)
	for _, cb := range cbs {
		ptrs[cb.Ptr()] = true
	}
	if len(ptrs) != n {
		t.Fatalf("%d distinct pointers for %d callbacks", len(ptrs), n)
	}
	free(cbs)
	runtime.GC()
	rss1 := rssBytes(t)
	mapped1 := ffi.CodeBytes()
	cbs = round()
	reused := 0
	for _, cb := range cbs {
		if ptrs[cb.Ptr()] {
			reused++
		}
	}
	free(cbs)
	runtime.GC()
	rss2 := rssBytes(t)
	mapped2 := ffi.CodeBytes()
	t.Logf("RSS after first round %d MiB, after second %d MiB; machine code %d -> %d KiB; %d of %d pointers reused",
		rss1>>20, rss2>>20, mapped1>>10, mapped2>>10, reused, n)
	// Freed slots wait in a quarantine of 16,384 before reuse (so stale
	// pointers are detected), so up to that many fresh slots, and the
	// groups that hold them, may be added in the second round.
	const quarantine = 16 << 10
	if mapped2 > mapped1+2*quarantine*16+(256<<10) {
		t.Errorf("machine code grew from %d to %d bytes: freed slots were not reused", mapped1, mapped2)
	}
	if reused < n-quarantine-1000 {
		t.Errorf("only %d of %d slots reused", reused, n)
	}
	if rss2 > rss1*3/2+(64<<20) {
		t.Errorf("resident memory grew from %d to %d MiB", rss1>>20, rss2>>20)
	}
}

// rssBytes reads the resident set size from /proc/self/status.
func rssBytes(t testing.TB) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}
