package win64

import (
	"errors"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/abitest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

var (
	m     = ctype.WindowsAMD64
	decls = abitest.NewDecls(m)
	tInt  = m.Int("int")
	tChar = m.Int("char")
	tShrt = m.Int("short")
	tLL   = m.Int("long long")
	tFlt  = m.Float()
	tDbl  = m.Double()
	tVoid = m.Void()
	tBool = m.Bool()
	tPtr  = m.Pointer(m.Void())
)

var winRules = abitest.Rules{GPR: NumRegSlots, FPR: NumRegSlots, SRetGPR: -1, SlotAlign: 8, StackBase: ShadowSize, Shared: true}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func structOf(ts ...*ctype.Type) *ctype.Type {
	ms := make([]ctype.Member, len(ts))
	for i, t := range ts {
		ms[i] = ctype.Member{Name: string(rune('a' + i)), Type: t}
	}
	return must(decls.Declare(false, ms, false, 0))
}

func fn(variadic bool, res *ctype.Type, ps ...*ctype.Type) *ctype.Type {
	params := make([]ctype.Param, len(ps))
	for i, t := range ps {
		params[i].Type = t
	}
	return must(m.Func(res, params, variadic))
}

func funcOf(res *ctype.Type, ps ...*ctype.Type) *ctype.Type { return fn(false, res, ps...) }

func checkPlan(t testing.TB, p *abi.Plan) {
	t.Helper()
	if err := abitest.Check(p, winRules); err != nil {
		t.Fatalf("%s: %v\nplan: %s", abi.TypeString(p.Func), err, abitest.PlanString(p))
	}
}

func TestClassify(t *testing.T) {
	var (
		ff  = structOf(tFlt, tFlt)              // 8 bytes: an integer
		c3  = structOf(must(m.Array(tChar, 3))) // 3 bytes: by reference
		s2  = structOf(tShrt)                   // 2 bytes
		iii = structOf(tInt, tInt, tInt)        // 12 bytes
		dd  = structOf(tDbl, tDbl)              // 16 bytes
		u4  = must(decls.Declare(true, []ctype.Member{{Name: "f", Type: tFlt}, {Name: "i", Type: tInt}}, false, 0))
		e0  = structOf() // 0 bytes (GNU C)
	)
	tests := []struct {
		name string
		fn   *ctype.Type
		want string
	}{
		{"int(int,int)", funcOf(tInt, tInt, tInt), "r=[g0:0/4] a=[g0:0/4][g1:0/4] gpr=2 fpr=2 stack=32"},
		{"void(void)", funcOf(tVoid), "r=[] a= gpr=0 fpr=0 stack=32"},
		{"slots shared by position", funcOf(tDbl, tInt, tDbl, tInt, tDbl, tInt, tDbl),
			"r=[f0:0/8] a=[g0:0/4][f1:0/8][g2:0/4][f3:0/8][s32:0/4][s40:0/8] gpr=4 fpr=4 stack=48"},
		{"scalars", funcOf(tBool, tBool, tChar, tShrt, tLL, tPtr, tFlt),
			"r=[g0:0/1] a=[g0:0/1][g1:0/1][g2:0/2][g3:0/8][s32:0/8][s40:0/4] gpr=4 fpr=4 stack=48"},
		{"{float,float} is an 8-byte integer", funcOf(ff, ff, tFlt), "r=[g0:0/8] a=[g0:0/8][f1:0/4] gpr=2 fpr=2 stack=32"},
		{"{short}", funcOf(s2, s2), "r=[g0:0/2] a=[g0:0/2] gpr=1 fpr=1 stack=32"},
		{"union{float;int}", funcOf(u4, u4), "r=[g0:0/4] a=[g0:0/4] gpr=1 fpr=1 stack=32"},
		{"{char[3]} by reference, returned in memory", funcOf(c3, c3, tInt),
			"r=sret(g0:0/8) a=&[g1:0/8][g2:0/4] gpr=3 fpr=3 stack=32"},
		{"12-byte struct", funcOf(tVoid, iii, tDbl), "r=[] a=&[g0:0/8][f1:0/8] gpr=2 fpr=2 stack=32"},
		{"{double,double} returned in memory", funcOf(dd, tDbl, dd), "r=sret(g0:0/8) a=[f1:0/8]&[g2:0/8] gpr=3 fpr=3 stack=32"},
		{"sret pushes the fourth argument to the stack", funcOf(dd, tInt, tInt, tInt, tInt),
			"r=sret(g0:0/8) a=[g1:0/4][g2:0/4][g3:0/4][s32:0/4] gpr=4 fpr=4 stack=40"},
		{"by reference on the stack", funcOf(tVoid, tInt, tInt, tInt, tInt, iii, ff),
			"r=[] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4]&[s32:0/8][s40:0/8] gpr=4 fpr=4 stack=48"},
		{"empty struct: by reference, returned in no register (MinGW)", funcOf(e0, tInt, e0, tInt),
			"r=[] a=[g0:0/4]&[g1:0/8][g2:0/4] gpr=3 fpr=3 stack=32"},
		{"array parameter decays", funcOf(tVoid, must(m.Array(tDbl, 4))), "r=[] a=[g0:0/8] gpr=1 fpr=1 stack=32"},
		{"variadic: fixed part only", fn(true, tInt, tPtr, tDbl), "r=[g0:0/4] a=[g0:0/8][f1:0/8] gpr=2 fpr=2 stack=32"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Classify(tc.fn)
			if err != nil {
				t.Fatalf("Classify(%s): %v", abi.TypeString(tc.fn), err)
			}
			if got := abitest.PlanString(p); got != tc.want {
				t.Errorf("Classify(%s)\n got %s\nwant %s", abi.TypeString(tc.fn), got, tc.want)
			}
			checkPlan(t, p)
		})
	}
}

func TestClassifyVarargs(t *testing.T) {
	p, err := Classify(fn(true, tInt, tPtr))
	if err != nil {
		t.Fatal(err)
	}
	q, err := ClassifyVarargs(p, []*ctype.Type{tDbl, tInt, tDbl, tDbl, structOf(tInt, tInt, tInt)})
	if err != nil {
		t.Fatal(err)
	}
	want := "r=[g0:0/4] a=[g0:0/8][g1:0/8 f1:0/8][g2:0/4][g3:0/8 f3:0/8][s32:0/8]&[s40:0/8] gpr=4 fpr=4 stack=48"
	if got := abitest.PlanString(q); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	checkPlan(t, q)
	// Continuing from a plan that already uses the stack.
	p, _ = Classify(fn(true, tVoid, tInt, tInt, tInt, tInt, tInt))
	q, err = ClassifyVarargs(p, []*ctype.Type{tDbl})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := abitest.PlanString(q), "r=[] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4][s32:0/4][s40:0/8] gpr=4 fpr=4 stack=48"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	np, _ := Classify(funcOf(tInt))
	if _, err := ClassifyVarargs(np, nil); err == nil {
		t.Error("ClassifyVarargs accepted a non-variadic plan")
	}
}

func TestClassifyErrors(t *testing.T) {
	ld := m.LongDouble()
	for _, tc := range []struct {
		fn   *ctype.Type
		want string
	}{
		{funcOf(tVoid, tInt, ld), "long double is not supported by this ABI (parameter 2: long double)"},
		{funcOf(ld), "long double is not supported by this ABI (result: long double)"},
	} {
		_, err := Classify(tc.fn)
		var ae *abi.Error
		if err == nil || err.Error() != tc.want || !errors.As(err, &ae) {
			t.Errorf("Classify(%s): error %v, want %q", abi.TypeString(tc.fn), err, tc.want)
		}
	}
}

// FuzzClassify checks that random signatures give self-consistent plans
// or an *abi.Error. Seeds: testdata/fuzz/FuzzClassify.
func FuzzClassify(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 7, 1, 8, 2, 8, 1, 8, 2, 8, 4, 5, 9, 0, 4, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &abitest.Gen{Next: abitest.ByteSource(data), D: abitest.NewDecls(ctype.WindowsAMD64), AllowLD: true}
		variadic := g.Pick(4) == 0
		fnt, err := g.Function(20, variadic)
		if err != nil {
			return
		}
		p, err := Classify(fnt)
		if err != nil {
			var ae *abi.Error
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is not an *abi.Error", err)
			}
			return
		}
		checkPlan(t, p)
		if !variadic {
			return
		}
		var extra []*ctype.Type
		for n := g.Pick(8); n > 0; n-- {
			et, err := g.Value(0)
			if err != nil {
				return
			}
			extra = append(extra, et)
		}
		if q, err := ClassifyVarargs(p, extra); err == nil {
			checkPlan(t, q)
		}
	})
}
