package ffi

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/seed5ca82032/ffi/internal/bindcall"
	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/leaf"
)

// leafStubs reports whether compiled leaf stubs record their leaf call
// themselves here, so that leaf bindings on the register path run through
// bindcall's leafTrampoline: where package leaf has a record routine for
// them, and not under the race detector (whose leaf calls go through
// leaf.Call, which tells it about the call).
var leafStubs = leaf.EnterPC() != 0 && !leaf.RaceEnabled

// TestLeafStubPath: leaf bindings of scalars, floats, 16 arguments
// spilling to the stack, a struct in registers and a struct returned in
// memory run through leafTrampoline and a compiled stub that records the
// leaf call itself (where leafStubs says so; a normal binding never
// does), with the right results.
func TestLeafStubPath(t *testing.T) {
	if runtime.GOOS == "linux" && (runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64") && !leaf.RaceEnabled && !leafStubs {
		t.Fatal("no leaf record routine for compiled stubs on " + runtime.GOOS + "/" + runtime.GOARCH)
	}
	testLeafPaths(t, true)
}

// TestLeafMoveTables: without compiled stubs (no encoder or no executable
// memory), the bindings of TestLeafStubPath stay on the register path
// (but the memory result, which only a stub takes), where fastTrampoline
// runs their move tables and calls downcall's generic stub through
// leaf.Call's system-stack half, with the right results.
func TestLeafMoveTables(t *testing.T) {
	bindcall.SetCompiledStubs(false)
	defer bindcall.SetCompiledStubs(true)
	testLeafPaths(t, false)
}

func testLeafPaths(t *testing.T, compiled bool) {
	lib := bindLib(t)
	if err := Cdef(`struct pt { int x, y; }; struct big { long long a, b, c; };`); err != nil {
		t.Fatal(err)
	}
	var addF func(float32, float32) float32
	var idLL, idLLNormal func(int64) int64
	var ints16 func(int8, int16, int32, int64, uint8, uint16, uint32, uint64, int64, int32, int16, int8, int64, uint32, int32, int64) int64
	var ptAdd func(pt, pt) pt
	var bigMake func(int64) big
	for _, b := range []struct {
		fn   any
		decl string
		opts []Option
	}{
		{&addF, "float add_floats(float a, float b)", []Option{Leaf}},
		{&idLL, "long long id_llong(long long)", []Option{Leaf}},
		{&idLLNormal, "long long id_llong(long long)", nil},
		{&ints16, `long long ints16(char a, short b, int c, long long d, unsigned char e, unsigned short f,
			unsigned g, unsigned long long h, long long i, int j, short k, char l, long long m, unsigned n, int o, long long p)`, []Option{Leaf}},
		{&ptAdd, "struct pt pt_add(struct pt a, struct pt b)", []Option{Leaf}},
		{&bigMake, "struct big big_make(long long x)", []Option{Leaf}},
	} {
		if err := lib.Bind(b.fn, b.decl, b.opts...); err != nil {
			t.Fatal(err)
		}
	}
	for name, f := range map[string]any{"add_floats": addF, "id_llong": idLL, "ints16": ints16, "pt_add": ptAdd, "big_make": bigMake} {
		stubPath, regPath := bindcall.OnLeafStub(f), bindcall.OnRegisterPath(f)
		if compiled && stubPath != leafStubs {
			t.Errorf("%s: on the leaf stub path: %v, want %v", name, stubPath, leafStubs)
		}
		if !compiled && (stubPath || regPath != (leafStubs && name != "big_make")) {
			t.Errorf("%s without compiled stubs: leaf stub path %v, register path %v", name, stubPath, regPath)
		}
	}
	if bindcall.OnLeafStub(idLLNormal) {
		t.Error("a binding without Leaf runs on the leaf stub path")
	}
	if got := addF(1.5, -0.25); got != 1.25 {
		t.Errorf("add_floats = %v", got)
	}
	if got := idLL(-1 << 62); got != -1<<62 {
		t.Errorf("id_llong = %d", got)
	}
	if got := ints16(1, -2, 3, -4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, -16); got != 1+2+3+4+5-6+7-8+9-10+11-12+13-14+15+16 {
		t.Errorf("ints16 = %d", got)
	}
	if got := ptAdd(pt{1, -2}, pt{40, 100}); got != (pt{41, 98}) {
		t.Errorf("pt_add = %+v", got)
	}
	if got := bigMake(1 << 40); got != (big{1 << 40, 2 << 40, 3 << 40}) {
		t.Errorf("big_make = %+v", got)
	}
}

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
