//go:build amd64 || arm64

package bindcall

import (
	"reflect"
	"runtime"
	"slices"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi/host"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/cparse"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/leaf"
)

// TestCompileFast checks which bindings the register path takes, and what
// it compiles them to: the moves' count and the extra ops left to Go.
func TestCompileFast(t *testing.T) {
	type vec struct{ X, Y float64 }
	type big struct{ A, B, C int64 }
	win := runtime.GOOS == "windows"
	leafFast := leaf.StubPC() != 0 && !leaf.RaceEnabled
	// Where moves compile, the stub places a slice's pointer itself.
	sliceExtra := 1
	if stubSupported {
		sliceExtra = 0
	}
	// Win64 passes a 16-byte struct by reference and returns it in memory.
	vecArgs, vecRes, vecExtra := 4, 2, 0
	if win {
		vecArgs, vecRes, vecExtra = 0, 0, 6
	}
	for _, c := range []struct {
		name, decl string
		fn         any
		errno      bool
		leaf       bool
		fast       bool
		args, res  int // moves
		extra      int // argument ops run in Go
	}{
		{"add", "int f(int, int)", func(int32, int32) int32 { return 0 }, false, false, true, 2, 1, 0},
		{"hypot", "double f(double, double)", func(float64, float64) float64 { return 0 }, false, false, true, 2, 1, 0},
		{"void", "void f(void *)", func(unsafe.Pointer) {}, false, false, true, 1, 0, 0},
		{"struct vec both ways", "struct vec { double x, y; } f(struct vec, struct vec)", func(vec, vec) vec { return vec{} }, false, false, true, vecArgs, vecRes, vecExtra},
		{"ten arguments", "long long f(long long, long long, long long, long long, long long, long long, long long, long long, double, double)",
			func(a, b, c, d, e, f, g, h int64, x, y float64) int64 { return 0 }, false, false, true, 10, 1, 0},
		{"a string is copied in Go", "size_t f(int, const char *)", func(int32, string) uintptr { return 0 }, false, false, true, 1, 1, 1},
		{"a slice's pointer", "int f(const int *, int)", func([]int32, int32) int32 { return 0 }, false, false, true, 1, 1, sliceExtra},
		{"a leaf call with a slice (the stub's)", "int f(const int *, int)", func([]int32, int32) int32 { return 0 }, false, true, leafFast && stubSupported, 1, 1, 0},
		{"errno goes to the dispatcher", "int f(int)", func(int32) (int32, error) { return 0, nil }, true, false, false, 0, 0, 0},
		{"a string result goes to the dispatcher", "const char *f(int)", func(int32) string { return "" }, false, false, false, 0, 0, 0},
		{"variadic, each sequence of extra arguments with its own stub", "int f(const char *, ...)", func(string, ...any) int32 { return 0 }, false, false, stubSupported, 0, 1, 1},
		{"a variadic leaf call goes to the dispatcher", "int f(const char *, ...)", func(string, ...any) int32 { return 0 }, false, true, false, 0, 0, 0},
		{"seven pointer words go to the dispatcher", "int f(void *, void *, void *, void *, void *, void *, void *)",
			func(a, b, c, d, e, f, g unsafe.Pointer) int32 { return 0 }, false, false, false, 0, 0, 0},
		{"more C stack words than the frame holds go to the dispatcher", "long long f(long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long, long long)",
			func(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, u, v, w int64) int64 { return 0 }, false, false, false, 0, 0, 0},
		{"a leaf call", "int f(int, int)", func(int32, int32) int32 { return 0 }, false, true, leafFast, 2, 1, 0},
		{"a memory result", "struct big { long long a, b, c; } f(int)", func(int32) big { return big{} }, false, false, true, 1, 0, 0},
		{"a leaf call with a memory result (the stub's)", "struct big { long long a, b, c; } f(int)", func(int32) big { return big{} }, false, true, leafFast && stubSupported, 1, 0, 0},
		{"a leaf call with a string goes to the dispatcher", "size_t f(const char *)", func(string) uintptr { return 0 }, false, true, false, 0, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := cparse.NewScope(ctype.Host())
			_, ft, err := sc.ParseDecl(c.decl)
			if err != nil {
				t.Fatal(err)
			}
			g := reflect.TypeOf(c.fn)
			mg := g
			if c.errno {
				mg = reflect.FuncOf([]reflect.Type{g.In(0)}, []reflect.Type{g.Out(0)}, false)
			}
			sig, err := convert.MatchFunc(mg, ft, convert.Options{Dir: convert.Call})
			if err != nil {
				t.Fatal(err)
			}
			plan, err := host.Classify(ft)
			if err != nil {
				t.Fatal(err)
			}
			cfg := Config{Name: c.name, Sig: sig, Plan: plan, Errno: c.errno, Fn: 1, Varargs: host.ClassifyVarargs}
			if c.leaf {
				cfg.Leaf = leaf.Name(c.name)
			}
			st, src, err := newState(g, cfg)
			if err != nil {
				t.Fatal(err)
			}
			fp := compileFast(st, &src)
			if (fp != nil) != c.fast {
				t.Fatalf("register path: %v, want %v", fp != nil, c.fast)
			}
			if fp == nil {
				return
			}
			if len(fp.argMoves) != c.args || len(fp.resMoves) != c.res || len(fp.extra) != c.extra {
				t.Errorf("%d argument moves, %d result moves, %d extra ops; want %d, %d, %d",
					len(fp.argMoves), len(fp.resMoves), len(fp.extra), c.args, c.res, c.extra)
			}
			// Where moves compile (stub.go), every plan runs a compiled
			// stub.
			if want := stubSupported; fp.compiled != want {
				t.Errorf("compiled stub: %v, want %v", fp.compiled, want)
			}
			if fp.compiled && (fp.nargs != 0 || fp.nres != 0) {
				t.Errorf("compiled stub, but the trampoline runs %d argument and %d result moves", fp.nargs, fp.nres)
			}
			// A memory result going to result registers, with no Go-side
			// argument ops, is the stub's alone: no Go-side ops are left.
			if st.args.sret && fp.compiled && len(fp.extra) == 0 && (fp.goOps || !fp.stubSRet) {
				t.Errorf("memory result: Go-side ops %v, stub's %v; want false, true", fp.goOps, fp.stubSRet)
			}
			// A slice is the stub's guarded move, leaving no Go-side op.
			if len(fp.stubOps) > 0 && (!fp.compiled || fp.goOps) {
				t.Errorf("%d slices for the stub, compiled %v, Go-side ops %v", len(fp.stubOps), fp.compiled, fp.goOps)
			}
			// Every register a move or an extra op reads is stored.
			for _, m := range fp.argMoves {
				if n, f := regsUsed(m.from(), 0, 0); n > fp.nint || f > fp.nfloat {
					t.Errorf("move %#x reads a register the trampoline does not store (%d int, %d float stored)", uint64(m), fp.nint, fp.nfloat)
				}
			}
		})
	}
}

// TestStubsShared checks that bindings of one call shape share one
// compiled stub, whatever function they call, and that a leaf call and a
// normal one of the same shape do not; nor do leaf calls of two names
// where the stub records the leaf call itself (and holds the name).
func TestStubsShared(t *testing.T) {
	compile := func(fn uintptr, leafName string) *fastPlan {
		t.Helper()
		sc := cparse.NewScope(ctype.Host())
		_, ft, err := sc.ParseDecl("int f(int, double, void *)")
		if err != nil {
			t.Fatal(err)
		}
		g := reflect.TypeOf(func(int32, float64, unsafe.Pointer) int32 { return 0 })
		sig, err := convert.MatchFunc(g, ft, convert.Options{Dir: convert.Call})
		if err != nil {
			t.Fatal(err)
		}
		plan, err := host.Classify(ft)
		if err != nil {
			t.Fatal(err)
		}
		cfg := Config{Name: "f", Sig: sig, Plan: plan, Fn: fn, Varargs: host.ClassifyVarargs}
		if leafName != "" {
			cfg.Leaf = leaf.Name(leafName)
		}
		st, src, err := newState(g, cfg)
		if err != nil {
			t.Fatal(err)
		}
		fp := compileFast(st, &src)
		if fp == nil || fp.compiled != stubSupported {
			t.Fatalf("leaf %q: register path %v, compiled stub %v; want true, %v", leafName, fp != nil, fp != nil && fp.compiled, stubSupported)
		}
		return fp
	}
	if !stubSupported {
		// The trampoline runs the move tables, and the generic stub calls.
		if fp := compile(0x1000, ""); fp.stubPC != downcall.StubPC() || fp.nargs == 0 {
			t.Errorf("no compiled moves here, but the plan has stub %#x and %d argument moves", fp.stubPC, fp.nargs)
		}
		return
	}
	a, b := compile(0x1000, ""), compile(0x2000, "")
	if a.stubPC != b.stubPC {
		t.Errorf("two functions of one shape: stubs %#x and %#x, want one", a.stubPC, b.stubPC)
	}
	if leaf.StubPC() == 0 || leaf.RaceEnabled {
		return
	}
	l := compile(0x1000, "f")
	if l.stubPC == a.stubPC {
		t.Errorf("a leaf call shares the normal call's stub %#x, which asks for the stack top", a.stubPC)
	}
	if l.leafStub != (leaf.EnterPC() != 0) || a.leafStub {
		t.Errorf("leafStub: %v for the leaf call, %v for the normal one; want %v, false", l.leafStub, a.leafStub, leaf.EnterPC() != 0)
	}
	if l2 := compile(0x2000, "f"); l2.stubPC != l.stubPC {
		t.Errorf("two leaf calls of one shape and name: stubs %#x and %#x, want one", l.stubPC, l2.stubPC)
	}
	if g := compile(0x1000, "g"); (g.stubPC == l.stubPC) == l.leafStub {
		t.Errorf("leaf calls named f and g: stubs %#x and %#x (the stub records the call: %v)", l.stubPC, g.stubPC, l.leafStub)
	}
}

// TestVarargsPlans checks the caches of a variadic binding on the register
// path: a sequence of Go types is classified once, sequences of the same
// promoted C types share one plan (and stub), a sequence with more C stack
// words than the trampoline frame holds has no stub (callVariadic runs
// dispatch's code for it), and past maxVarSeqs sequences of Go types a
// call finds its plan among the promoted ones without building another.
func TestVarargsPlans(t *testing.T) {
	st, _ := variadicState(t)
	var lbuf varLoads
	p8, l8 := st.varPlan([]any{int8(-1), 2.5}, &lbuf)
	if want := []uint8{ldInt8, ldWord}; !slices.Equal(l8, want) {
		t.Errorf("loads of (int8, float64): %v, want %v", l8, want)
	}
	p16, l16 := st.varPlan([]any{int16(-1), float32(2.5)}, &lbuf)
	if want := []uint8{ldInt16, ldFloat32}; !slices.Equal(l16, want) {
		t.Errorf("loads of (int16, float32): %v, want %v", l16, want)
	}
	if p8 != p16 {
		t.Error("(int8, float64) and (int16, float32) promote alike but have two plans")
	}
	if again, _ := st.varPlan([]any{int8(5), 0.5}, &lbuf); again != p8 {
		t.Error("a sequence of Go types seen before was classified again")
	}
	if (p8.stubPC != 0) != stubSupported {
		t.Errorf("stub of (int, double): %#x, want one: %v", p8.stubPC, stubSupported)
	}
	many := make([]any, 40) // past every ABI's registers, and the frame's 12 stack words
	for i := range many {
		many[i] = int64(i)
	}
	if pm, _ := st.varPlan(many, &lbuf); pm.stubPC != 0 || pm.nstack <= fastStackWords {
		t.Errorf("40 extra arguments: %d C stack words, stub %#x; want more than %d and none", pm.nstack, pm.stubPC, fastStackWords)
	}
	// Sequences of 1..maxVarSeqs+4 ints: the sequences of Go types stop
	// at maxVarSeqs; their plans are kept all the same.
	for round := range 2 {
		for n := 1; n <= maxVarSeqs+4; n++ {
			args := make([]any, n)
			for i := range args {
				args[i] = int32(i)
			}
			ap, loads := st.varPlan(args, &lbuf)
			if len(loads) != n || ap.extra == nil || len(ap.extra) != n {
				t.Fatalf("round %d, %d ints: %d loads, %d placements", round, n, len(loads), len(ap.extra))
			}
		}
	}
	st.varMu.Lock()
	nplans := len(st.varCache.plans)
	st.varMu.Unlock()
	if nseqs := len(*st.varCache.seqs.Load()); nseqs != maxVarSeqs {
		t.Errorf("%d sequences of Go types kept, want %d", nseqs, maxVarSeqs)
	}
	// One plan each: (int, double), 40 long longs, and 1..maxVarSeqs+4
	// ints.
	if want := 2 + maxVarSeqs + 4; nplans != want {
		t.Errorf("%d plans built, want %d (one per sequence of promoted types)", nplans, want)
	}
}

// variadicState binds int f(int, ...) for the varargs tests: its state and
// register path (nil where there is none).
func variadicState(t *testing.T) (*state, *fastPlan) {
	t.Helper()
	sc := cparse.NewScope(ctype.Host())
	_, ft, err := sc.ParseDecl("int f(int, ...)")
	if err != nil {
		t.Fatal(err)
	}
	g := reflect.TypeOf(func(int32, ...any) int32 { return 0 })
	sig, err := convert.MatchFunc(g, ft, convert.Options{Dir: convert.Call})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := host.Classify(ft)
	if err != nil {
		t.Fatal(err)
	}
	st, src, err := newState(g, Config{Name: "f", Sig: sig, Plan: plan, Fn: 1, Varargs: host.ClassifyVarargs})
	if err != nil {
		t.Fatal(err)
	}
	fp := compileFast(st, &src)
	if (fp != nil) != stubSupported {
		t.Fatalf("register path %v, want %v", fp != nil, stubSupported)
	}
	st.fast = fp
	return st, fp
}

// TestVarargsCaps checks the bounds of a variadic binding's caches: the
// first maxVarStubs sequences of promoted types get a compiled stub, the
// first maxVarPlans a kept plan, and a new sequence past that gets a plan
// of its own, built for the call and not kept.
func TestVarargsCaps(t *testing.T) {
	st, _ := variadicState(t)
	var lbuf varLoads
	seq := func(i int) []any { // 11 ints or long longs: i's bits
		args := make([]any, 11)
		for j := range args {
			if i>>j&1 == 1 {
				args[j] = int64(j)
			} else {
				args[j] = int32(j)
			}
		}
		return args
	}
	stubs := 0
	for i := range maxVarPlans {
		ap, _ := st.varPlan(seq(i), &lbuf)
		if ap.stubPC != 0 {
			stubs++
		}
	}
	want := 0
	if stubSupported {
		want = maxVarStubs
	}
	if stubs != want {
		t.Errorf("%d sequences with a compiled stub, want %d", stubs, want)
	}
	past, _ := st.varPlan(seq(maxVarPlans), &lbuf)
	again, _ := st.varPlan(seq(maxVarPlans), &lbuf)
	st.varMu.Lock()
	n := len(st.varCache.plans)
	st.varMu.Unlock()
	if n != maxVarPlans || past == again || past.stubPC != 0 || len(past.extra) != 11 {
		t.Errorf("past the cap: %d plans kept (want %d), plans of one sequence shared %v (want false), stub %#x (want none), %d placements",
			n, maxVarPlans, past == again, past.stubPC, len(past.extra))
	}
}
