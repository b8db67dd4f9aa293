package ffi

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// TestLeafSignatures runs the Bind tests of every kind of signature with
// every binding made a leaf binding: scalars of every width, floats,
// pointers, enums, out parameters, slices, strings both ways, 16 arguments
// spilling to the stack, structs by value (registers and memory results)
// and variadic calls, through the typed fast paths and through reflection,
// from many goroutines at once, and with no allocation on the fast paths.
func TestLeafSignatures(t *testing.T) {
	bindLeafAll = true
	defer func() { bindLeafAll = false }()
	for _, c := range []struct {
		name string
		f    func(*testing.T)
	}{
		{"Scalars", TestBindScalars},
		{"FloatsPointersEnums", TestBindFloatsPointersEnums},
		{"ManyArguments", TestBindManyArguments},
		{"OutParams", TestBindOutParams},
		{"Strings", TestBindStrings},
		{"Structs", TestBindStructs},
		{"Varargs", TestBindVarargs},
		{"Concurrent", TestBindConcurrent},
		{"NoAllocs", TestBindNoAllocs},
	} {
		t.Run(c.name, c.f)
	}
}

func TestLeafConfig(t *testing.T) {
	cfg, err := newBindConfig("f", []Option{Leaf})
	if err != nil || cfg.leaf == nil || *cfg.leaf != "f" {
		t.Fatalf("newBindConfig(Leaf) = %+v, %v", cfg, err)
	}
	if cfg, err := newBindConfig("f", nil); err != nil || cfg.leaf != nil {
		t.Fatalf("newBindConfig() = %+v, %v", cfg, err)
	}
	if again, _ := newBindConfig("f", []Option{Leaf, Leaf}); again.leaf != cfg.leaf && *again.leaf != "f" {
		t.Fatalf("Leaf twice: %+v", again)
	}
}

func TestLeafOptionErrors(t *testing.T) {
	lib := bindLib(t)
	var f func(int32) int32
	err := lib.Bind(&f, "int id_int(int)", Leaf, nil)
	if err == nil || !strings.Contains(err.Error(), "option 2 is nil") || !strings.Contains(err.Error(), "id_int") {
		t.Fatalf("Bind with a nil option: %v", err)
	}
	if f != nil {
		t.Fatal("a failed Bind set the func")
	}
	addr, err := lib.Sym("id_int")
	if err != nil {
		t.Fatal(err)
	}
	s := NewScope()
	if err := s.Bind(&f, addr, "int (*)(int)", Leaf); err != nil {
		t.Fatal(err)
	}
	if got := f(-9); got != -9 {
		t.Fatalf("Scope.Bind with Leaf: id_int(-9) = %d", got)
	}
	if Leaf.String() != "ffi.Leaf" {
		t.Fatalf("Leaf.String() = %q", Leaf.String())
	}
}

// TestLeafCallsBesideCallbacks: goroutines making leaf calls in a loop run
// beside goroutines whose bound C calls call back into Go, on threads that
// have made leaf calls before, so the callback check runs with leaf calls
// active on other threads: no callback is mistaken for one from inside a
// leaf call, and every result is right.
func TestLeafCallsBesideCallbacks(t *testing.T) {
	lib := bindLib(t)
	var leafID func(int64) int64
	if err := lib.Bind(&leafID, "long long id_llong(long long)", Leaf); err != nil {
		t.Fatal(err)
	}
	var apply func(uintptr, int32) int32
	mustBind(t, lib, &apply, "int apply(int (*f)(int), int x)")
	var calls atomic.Int64
	cb, err := NewCallback("int (*)(int)", func(x int32) int32 {
		calls.Add(1)
		return int32(leafID(int64(x))) + 1 // a leaf call from inside a callback is fine
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Free()
	const n = 20000
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := range n {
				v := int64(g)<<40 | int64(i)
				if got := leafID(v); got != v {
					t.Errorf("id_long(%d) = %d", v, got)
					return
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := range n / 10 {
				if got := apply(cb.Ptr(), int32(i)); got != int32(i)+1 {
					t.Errorf("apply(cb, %d) = %d", i, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	if calls.Load() != 4*n/10 {
		t.Errorf("%d callbacks ran, want %d", calls.Load(), 4*n/10)
	}
}

const leafSyncSrc = `
static volatile int flag;
void set_flag(int v) { __atomic_store_n(&flag, v, __ATOMIC_RELEASE); }
int get_flag(void) { return __atomic_load_n(&flag, __ATOMIC_ACQUIRE); }
`

// TestLeafRaceSynchronization: one goroutine writes a Go variable and then
// sets a flag in C with a leaf call; another polls the flag with leaf
// calls and then reads the variable. The C flag orders the two, as it
// would through cgo calls, so the race detector must not report the
// variable: leaf calls make the same release and acquire annotations as
// cgo calls (under -race this test fails without them).
func TestLeafRaceSynchronization(t *testing.T) {
	lib, err := Open(ctest.SharedLib(t, leafSyncSrc, "-O2"))
	if err != nil {
		t.Fatal(err)
	}
	var setFlag func(int32)
	var getFlag func() int32
	if err := lib.Bind(&setFlag, "void set_flag(int)", Leaf); err != nil {
		t.Fatal(err)
	}
	if err := lib.Bind(&getFlag, "int get_flag(void)", Leaf); err != nil {
		t.Fatal(err)
	}
	for round := int32(1); round <= 20; round++ {
		var shared [4]int64 // written by one goroutine, read by another, ordered only by C
		done := make(chan int64)
		go func() {
			for getFlag() != round {
				runtime.Gosched()
			}
			done <- shared[0] + shared[3]
		}()
		shared[0], shared[3] = int64(round), 1000
		setFlag(round)
		if got := <-done; got != int64(round)+1000 {
			t.Fatalf("round %d: read %d", round, got)
		}
	}
}
