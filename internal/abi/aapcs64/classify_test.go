package aapcs64

import (
	"errors"
	"slices"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/abitest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

var (
	m     = ctype.LinuxARM64
	decls = abitest.NewDecls(m)
	tInt  = m.Int("int")
	tChar = m.Int("char")
	tShrt = m.Int("short")
	tLong = m.Int("long")
	tFlt  = m.Float()
	tDbl  = m.Double()
	tVoid = m.Void()
	tPtr  = m.Pointer(m.Void())
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func members(ts ...*ctype.Type) []ctype.Member {
	ms := make([]ctype.Member, len(ts))
	for i, t := range ts {
		ms[i] = ctype.Member{Name: string(rune('a' + i)), Type: t}
	}
	return ms
}

func structOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.Declare(false, members(ts...), false, 0))
}

func unionOf(ts ...*ctype.Type) *ctype.Type {
	return must(decls.Declare(true, members(ts...), false, 0))
}

func arrayOf(t *ctype.Type, n int) *ctype.Type { return must(m.Array(t, n)) }

func fn(variadic bool, res *ctype.Type, ps ...*ctype.Type) *ctype.Type {
	params := make([]ctype.Param, len(ps))
	for i, t := range ps {
		params[i].Type = t
	}
	return must(m.Func(res, params, variadic))
}

func funcOf(res *ctype.Type, ps ...*ctype.Type) *ctype.Type { return fn(false, res, ps...) }

func repeat(t *ctype.Type, n int) []*ctype.Type { return slices.Repeat([]*ctype.Type{t}, n) }

func rules(o Options) abitest.Rules {
	r := abitest.Rules{GPR: NumArgGPR, FPR: NumArgFPR, SRetGPR: SRetGPR, Gaps: true, SlotAlign: 8}
	if o.Apple {
		r.SlotAlign = 1
	}
	return r
}

func checkPlan(t testing.TB, p *abi.Plan, o Options) {
	t.Helper()
	if err := abitest.Check(p, rules(o)); err != nil {
		t.Fatalf("%s: %v\nplan: %s", abi.TypeString(p.Func), err, abitest.PlanString(p))
	}
}

func TestClassify(t *testing.T) {
	var (
		ff     = structOf(tFlt, tFlt)
		fff    = structOf(tFlt, tFlt, tFlt)
		dddd   = structOf(tDbl, tDbl, tDbl, tDbl)
		ddd    = structOf(tDbl, tDbl, tDbl)
		dd     = structOf(tDbl, tDbl)
		f4     = structOf(arrayOf(tFlt, 4))
		f5     = structOf(arrayOf(tFlt, 5))
		nested = structOf(tFlt, structOf(tFlt, arrayOf(tFlt, 2)))
		df     = structOf(tDbl, tFlt)
		divT   = structOf(tInt, tInt)
		ldivT  = structOf(tLong, tLong)
		l3     = structOf(tLong, tLong, tLong)
		c3     = structOf(arrayOf(tChar, 3))
		uFI    = unionOf(tFlt, tInt)
		uFF2   = unionOf(tFlt, arrayOf(tFlt, 2))
		bitsF  = must(decls.Declare(false, []ctype.Member{{Name: "a", Type: tInt, BitField: true, BitSize: 3}, {Name: "f", Type: tFlt}}, false, 0))
		zeroBF = must(decls.Declare(false, []ctype.Member{{Name: "a", Type: tFlt}, {Type: tInt, BitField: true}, {Name: "b", Type: tFlt}}, false, 0))
		padded = must(decls.Declare(false, members(tFlt), false, 16)) // {float} aligned(16): padding, not an HFA
		al16   = must(decls.Declare(false, []ctype.Member{{Name: "a", Type: tLong, Aligned: 16}, {Name: "b", Type: tLong}}, false, 0))
		alS16  = must(decls.Declare(false, members(tLong, tLong), false, 16)) // aligned(16) on the struct itself
		empty  = structOf()
		pkCD   = must(decls.Declare(false, members(tChar, tDbl), true, 0))
	)
	std, apple := Options{}, Options{Apple: true}
	tests := []struct {
		name string
		o    Options
		fn   *ctype.Type
		want string
	}{
		{"int(int,int)", std, funcOf(tInt, tInt, tInt), "r=[g0:0/4] a=[g0:0/4][g1:0/4] gpr=2 fpr=0 stack=0"},
		{"double(float,double)", std, funcOf(tDbl, tFlt, tDbl), "r=[f0:0/8] a=[f0:0/4][f1:0/8] gpr=0 fpr=2 stack=0"},
		{"HFA {float,float}", std, funcOf(ff, ff, tFlt), "r=[f0:0/4 f1:4/4] a=[f0:0/4 f1:4/4][f2:0/4] gpr=0 fpr=3 stack=0"},
		{"HFA {float x,y,z}", std, funcOf(fff, fff), "r=[f0:0/4 f1:4/4 f2:8/4] a=[f0:0/4 f1:4/4 f2:8/4] gpr=0 fpr=3 stack=0"},
		{"HFA of 4 doubles (32 bytes, still registers)", std, funcOf(dddd, dddd),
			"r=[f0:0/8 f1:8/8 f2:16/8 f3:24/8] a=[f0:0/8 f1:8/8 f2:16/8 f3:24/8] gpr=0 fpr=4 stack=0"},
		{"HFA {float[4]}", std, funcOf(tVoid, f4), "r=[] a=[f0:0/4 f1:4/4 f2:8/4 f3:12/4] gpr=0 fpr=4 stack=0"},
		{"nested HFA", std, funcOf(tVoid, nested), "r=[] a=[f0:0/4 f1:4/4 f2:8/4 f3:12/4] gpr=0 fpr=4 stack=0"},
		{"{float[5]} is no HFA: by reference", std, funcOf(f5, f5), "r=sret(g8:0/8) a=&[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"{double,float} is no HFA", std, funcOf(df, df), "r=[g0:0/8 g1:8/8] a=[g0:0/8 g1:8/8] gpr=2 fpr=0 stack=0"},
		{"union{float;float[2]} is an HFA", std, funcOf(tVoid, uFF2), "r=[] a=[f0:0/4 f1:4/4] gpr=0 fpr=2 stack=0"},
		{"union{float;int}", std, funcOf(uFI, uFI), "r=[g0:0/4] a=[g0:0/4] gpr=1 fpr=0 stack=0"},
		{"bit-field spoils an HFA", std, funcOf(tVoid, bitsF), "r=[] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"zero-width bit-field in a union does", std, funcOf(tVoid, must(decls.Declare(true, []ctype.Member{{Type: tInt, BitField: true}, {Name: "d", Type: tDbl}}, false, 0))),
			"r=[] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"zero-width bit-field in a struct does not", std, funcOf(tVoid, zeroBF), "r=[] a=[f0:0/4 f1:4/4] gpr=0 fpr=2 stack=0"},
		{"padding spoils an HFA", std, funcOf(tVoid, padded), "r=[] a=[g0:0/8 g1:8/8] gpr=2 fpr=0 stack=0"},
		{"div_t", std, funcOf(divT, tInt, tInt), "r=[g0:0/8] a=[g0:0/4][g1:0/4] gpr=2 fpr=0 stack=0"},
		{"ldiv_t", std, funcOf(ldivT, ldivT), "r=[g0:0/8 g1:8/8] a=[g0:0/8 g1:8/8] gpr=2 fpr=0 stack=0"},
		{"{char[3]}", std, funcOf(c3, c3), "r=[g0:0/3] a=[g0:0/3] gpr=1 fpr=0 stack=0"},
		{"packed {char,double}", std, funcOf(tVoid, pkCD), "r=[] a=[g0:0/8 g1:8/1] gpr=2 fpr=0 stack=0"},
		{"24-byte struct: by reference, sret in x8", std, funcOf(l3, tInt, l3, tDbl),
			"r=sret(g8:0/8) a=[g0:0/4]&[g1:0/8][f0:0/8] gpr=2 fpr=1 stack=0"},
		{"9 ints", std, funcOf(tVoid, repeat(tInt, 9)...),
			"r=[] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4][g4:0/4][g5:0/4][g6:0/4][g7:0/4][s0:0/4] gpr=8 fpr=0 stack=8"},
		{"9 doubles", std, funcOf(tVoid, repeat(tDbl, 9)...),
			"r=[] a=[f0:0/8][f1:0/8][f2:0/8][f3:0/8][f4:0/8][f5:0/8][f6:0/8][f7:0/8][s0:0/8] gpr=0 fpr=8 stack=8"},
		{"HFA that does not fit closes the FP registers", std, funcOf(tVoid, append(repeat(tDbl, 6), ddd, tDbl, tInt)...),
			"r=[] a=[f0:0/8][f1:0/8][f2:0/8][f3:0/8][f4:0/8][f5:0/8][s0:0/24][s24:0/8][g0:0/4] gpr=1 fpr=8 stack=32"},
		{"composite that does not fit closes the GPRs", std, funcOf(tVoid, append(repeat(tInt, 7), ldivT, tInt, tDbl)...),
			"r=[] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4][g4:0/4][g5:0/4][g6:0/4][s0:0/16][s16:0/4][f0:0/8] gpr=8 fpr=1 stack=24"},
		{"16-aligned composite takes an even register pair", std, funcOf(tVoid, tInt, al16, tInt),
			"r=[] a=[g0:0/4][g2:0/8 g3:8/8][g4:0/4] gpr=5 fpr=0 stack=0"},
		{"16-aligned composite on the stack", std, funcOf(tVoid, append(repeat(tLong, 8), tInt, al16)...),
			"r=[] a=[g0:0/8][g1:0/8][g2:0/8][g3:0/8][g4:0/8][g5:0/8][g6:0/8][g7:0/8][s0:0/4][s16:0/16] gpr=8 fpr=0 stack=32"},
		{"aligned attribute on the struct does not count (GCC)", std, funcOf(tVoid, tInt, alS16, tInt),
			"r=[] a=[g0:0/4][g1:0/8 g2:8/8][g3:0/4] gpr=4 fpr=0 stack=0"},
		{"aligned attribute on the struct counts on Apple", apple, funcOf(tVoid, tInt, alS16, tInt),
			"r=[] a=[g0:0/4][g2:0/8 g3:8/8][g4:0/4] gpr=5 fpr=0 stack=0"},
		{"pointer to a by-reference copy on the stack", std, funcOf(tVoid, append(repeat(tLong, 8), l3)...),
			"r=[] a=[g0:0/8][g1:0/8][g2:0/8][g3:0/8][g4:0/8][g5:0/8][g6:0/8][g7:0/8]&[s0:0/8] gpr=8 fpr=0 stack=8"},
		{"empty struct ignored", std, funcOf(empty, empty, tInt), "r=[] a=[][g0:0/4] gpr=1 fpr=0 stack=0"},
		{"dd HFA", std, funcOf(dd, dd), "r=[f0:0/8 f1:8/8] a=[f0:0/8 f1:8/8] gpr=0 fpr=2 stack=0"},

		{"Apple packs stack arguments", apple, funcOf(tVoid, append(repeat(tLong, 8), tInt, tChar, tShrt, tChar, tDbl)...),
			"r=[] a=[g0:0/8][g1:0/8][g2:0/8][g3:0/8][g4:0/8][g5:0/8][g6:0/8][g7:0/8][s0:0/4][s4:0/1][s6:0/2][s8:0/1][f0:0/8] gpr=8 fpr=1 stack=16"},
		{"Apple HFA on the stack at float alignment", apple, funcOf(tVoid, append(append(repeat(tDbl, 8), fff), append(repeat(tLong, 8), tChar)...)...),
			"r=[] a=[f0:0/8][f1:0/8][f2:0/8][f3:0/8][f4:0/8][f5:0/8][f6:0/8][f7:0/8][s0:0/12]" +
				"[g0:0/8][g1:0/8][g2:0/8][g3:0/8][g4:0/8][g5:0/8][g6:0/8][g7:0/8][s12:0/1] gpr=8 fpr=8 stack=16"},
		{"Apple composite on the stack in 8-byte granules", apple, funcOf(tVoid, append(repeat(tLong, 8), tChar, c3, tChar)...),
			"r=[] a=[g0:0/8][g1:0/8][g2:0/8][g3:0/8][g4:0/8][g5:0/8][g6:0/8][g7:0/8][s0:0/1][s8:0/3][s16:0/1] gpr=8 fpr=0 stack=24"},
		{"Apple registers as standard", apple, funcOf(ldivT, tInt, ff, l3), "r=[g0:0/8 g1:8/8] a=[g0:0/4][f0:0/4 f1:4/4]&[g1:0/8] gpr=2 fpr=2 stack=0"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := ClassifyWith(tc.fn, tc.o)
			if err != nil {
				t.Fatalf("Classify(%s): %v", abi.TypeString(tc.fn), err)
			}
			if got := abitest.PlanString(p); got != tc.want {
				t.Errorf("Classify(%s)\n got %s\nwant %s", abi.TypeString(tc.fn), got, tc.want)
			}
			checkPlan(t, p, tc.o)
		})
	}
}

func TestClassifyVarargs(t *testing.T) {
	printf := fn(true, tInt, m.Pointer(tChar))
	ff := structOf(tFlt, tFlt)
	l3 := structOf(tLong, tLong, tLong)
	extra := []*ctype.Type{tDbl, tInt, ff, l3, tPtr}
	tests := []struct {
		o    Options
		want string
	}{
		{Options{}, "r=[g0:0/4] a=[g0:0/8][f0:0/8][g1:0/4][f1:0/4 f2:4/4]&[g2:0/8][g3:0/8] gpr=4 fpr=3 stack=0"},
		{Options{Apple: true}, "r=[g0:0/4] a=[g0:0/8][s0:0/8][s8:0/4][s16:0/8]&[s24:0/8][s32:0/8] gpr=1 fpr=0 stack=40"},
	}
	for _, tc := range tests {
		p, err := ClassifyWith(printf, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		q, err := ClassifyVarargs(p, extra, tc.o)
		if err != nil {
			t.Fatal(err)
		}
		if got := abitest.PlanString(q); got != tc.want {
			t.Errorf("Apple=%v\n got %s\nwant %s", tc.o.Apple, got, tc.want)
		}
		checkPlan(t, q, tc.o)
	}
	p, _ := Classify(funcOf(tInt, tInt))
	if _, err := ClassifyVarargs(p, nil, Options{}); err == nil {
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
		{funcOf(tVoid, m.Incomplete(ctype.Struct, "s")), "incomplete type struct s cannot be passed by value (parameter 1: struct s)"},
	} {
		_, err := Classify(tc.fn)
		var ae *abi.Error
		if err == nil || err.Error() != tc.want || !errors.As(err, &ae) {
			t.Errorf("Classify(%s): error %v, want %q", abi.TypeString(tc.fn), err, tc.want)
		}
	}
}

// FuzzClassify checks that random signatures give self-consistent plans
// under both variants, or an *abi.Error. Seeds: testdata/fuzz/FuzzClassify.
func FuzzClassify(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9, 3, 2, 3, 8, 4, 6})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &abitest.Gen{Next: abitest.ByteSource(data), D: abitest.NewDecls(ctype.LinuxARM64), AllowLD: true}
		o := Options{Apple: g.Pick(2) == 0}
		variadic := g.Pick(4) == 0
		f, err := g.Function(20, variadic)
		if err != nil {
			return
		}
		p, err := ClassifyWith(f, o)
		if err != nil {
			var ae *abi.Error
			if !errors.As(err, &ae) {
				t.Fatalf("error %v is not an *abi.Error", err)
			}
			return
		}
		checkPlan(t, p, o)
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
		if q, err := ClassifyVarargs(p, extra, o); err == nil {
			checkPlan(t, q, o)
		}
	})
}
