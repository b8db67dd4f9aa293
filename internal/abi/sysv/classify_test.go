package sysv

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// classifyCase is a signature with its expected plan (see planString).
type classifyCase struct {
	name string
	fn   *ctype.Type
	want string
}

// classifyCases are hand-picked hard cases; TestAgainstCC also checks
// every one of them against the C compiler.
func classifyCases() []classifyCase {
	var (
		divT     = structOf(tInt, tInt)                 // div_t
		ldivT    = structOf(tLong, tLong)               // ldiv_t, struct timespec
		ff       = structOf(tFlt, tFlt)                 // CGPoint-style float pair
		dd       = structOf(tDbl, tDbl)                 // struct {double x, y;}
		fi       = structOf(tFlt, tInt)                 // mixed in one eightbyte
		c3       = structOf(arrayOf(tChar, 3))          // {char[3]}
		c17      = structOf(arrayOf(tChar, 17))         // 17 bytes: MEMORY
		l3       = structOf(tLong, tLong, tLong)        // 24 bytes: MEMORY
		fff      = structOf(tFlt, tFlt, tFlt)           // 12 bytes: SSE, SSE(4)
		uFI      = unionOf(tFlt, tInt)                  // INTEGER
		uFD      = unionOf(tFlt, tDbl)                  // SSE
		uDL      = unionOf(tDbl, tLong)                 // INTEGER
		pkCD     = packedOf(tChar, tDbl)                // misaligned double: MEMORY
		pkCS     = packedOf(tChar, tShort)              // misaligned short: MEMORY
		pkSSI    = packedOf(tShort, tShort, tInt)       // packed but aligned: INTEGER
		dl       = structOf(tDbl, tLong)                // SSE, INTEGER
		ld       = structOf(tLong, tDbl)                // INTEGER, SSE
		empty    = structOf()                           // GNU C: size 0, ignored
		nested   = structOf(tFlt, structOf(tFlt, tFlt)) // {float, {float, float}}
		arrD2    = structOf(arrayOf(tDbl, 2))           // {double[2]}
		iF3      = structOf(tInt, arrayOf(tFlt, 3))     // INTEGER, SSE
		flexD    = structOf(tInt, arrayOf(tDbl, -1))    // {int n; double d[];}
		uNested  = unionOf(structOf(tFlt, tFlt), tDbl)  // SSE
		cd       = structOf(tChar, tDbl)                // INTEGER, SSE
		bitsF    = structM([]ctype.Member{{Name: "a", Type: tUint, BitField: true, BitSize: 3}, {Name: "b", Type: tUint, BitField: true, BitSize: 5}, {Name: "f", Type: tFlt}}, false, 0)
		bitsOnly = structM([]ctype.Member{{Name: "a", Type: tUint, BitField: true, BitSize: 31}, {Name: "b", Type: tUint, BitField: true, BitSize: 31}, {Name: "c", Type: tUint, BitField: true, BitSize: 31}}, false, 0)
		// {char; {unsigned char f0:8; short :16;}}: GCC makes the
		// unnamed short:16 a plain short, misaligned at byte 3 (an
		// unnamed bit-field does not align its struct): MEMORY. A named
		// one aligns the inner struct; a :16 at an odd bit position, or a
		// packed one, stays a bit-field; a pragma-packed struct is not
		// "packed" for this.
		uShort16 = structOf(tChar, structM([]ctype.Member{{Name: "f0", Type: m.Int("unsigned char"), BitField: true, BitSize: 8}, {Type: tShort, BitField: true, BitSize: 16}}, false, 0))
		nShort16 = structOf(tChar, structM([]ctype.Member{{Name: "f0", Type: m.Int("unsigned char"), BitField: true, BitSize: 8}, {Name: "x", Type: tShort, BitField: true, BitSize: 16}}, false, 0))
		oddInt16 = structOf(tChar, structM([]ctype.Member{{Name: "c", Type: tChar}, {Type: tInt, BitField: true, BitSize: 16}}, false, 0))
		pkShort  = structOf(tChar, structM([]ctype.Member{{Name: "c", Type: tChar}, {Name: "d", Type: tChar}, {Name: "x", Type: tShort, BitField: true, BitSize: 16}}, true, 0))
		al16     = structM([]ctype.Member{{Name: "a", Type: tLong}}, false, 16) // 16 bytes, 2nd eightbyte padding
		al32     = structM([]ctype.Member{{Name: "a", Type: tLong}}, false, 32) // 32 bytes: MEMORY, 32-aligned on the stack
	)
	return []classifyCase{
		{"int(int,int)", funcOf(tInt, tInt, tInt), "r=[g0:0/4] a=[g0:0/4][g1:0/4] gpr=2 fpr=0 stack=0"},
		{"void(void)", funcOf(tVoid), "r=[] a= gpr=0 fpr=0 stack=0"},
		{"scalars", funcOf(tBool, tBool, tChar, tShort, tLong, tPtr, tFlt, tDbl),
			"r=[g0:0/1] a=[g0:0/1][g1:0/1][g2:0/2][g3:0/8][g4:0/8][f0:0/4][f1:0/8] gpr=5 fpr=2 stack=0"},
		{"double result", funcOf(tDbl, tInt), "r=[f0:0/8] a=[g0:0/4] gpr=1 fpr=0 stack=0"},
		{"float result", funcOf(tFlt), "r=[f0:0/4] a= gpr=0 fpr=0 stack=0"},
		{"div_t div(int,int)", funcOf(divT, tInt, tInt), "r=[g0:0/8] a=[g0:0/4][g1:0/4] gpr=2 fpr=0 stack=0"},
		{"ldiv_t ldiv(long,long)", funcOf(ldivT, tLong, tLong), "r=[g0:0/8 g1:8/8] a=[g0:0/8][g1:0/8] gpr=2 fpr=0 stack=0"},
		{"int(struct timespec, int)", funcOf(tInt, ldivT, tInt), "r=[g0:0/4] a=[g0:0/8 g1:8/8][g2:0/4] gpr=3 fpr=0 stack=0"},
		{"{float,float}", funcOf(ff, ff, tFlt), "r=[f0:0/8] a=[f0:0/8][f1:0/4] gpr=0 fpr=2 stack=0"},
		{"{double,double}", funcOf(dd, dd), "r=[f0:0/8 f1:8/8] a=[f0:0/8 f1:8/8] gpr=0 fpr=2 stack=0"},
		{"{float,int}", funcOf(fi, fi), "r=[g0:0/8] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"{char[3]}", funcOf(c3, c3), "r=[g0:0/3] a=[g0:0/3] gpr=1 fpr=0 stack=0"},
		{"17-byte struct", funcOf(tVoid, c17, tInt), "r=[] a=[s0:0/17][g0:0/4] gpr=1 fpr=0 stack=24"},
		{"17-byte result", funcOf(c17, tInt), "r=sret(g0:0/8) a=[g1:0/4] gpr=2 fpr=0 stack=0"},
		{"24-byte struct", funcOf(tVoid, tInt, l3, tDbl), "r=[] a=[g0:0/4][s0:0/24][f0:0/8] gpr=1 fpr=1 stack=24"},
		{"{float,float,float}", funcOf(fff, fff), "r=[f0:0/8 f1:8/4] a=[f0:0/8 f1:8/4] gpr=0 fpr=2 stack=0"},
		{"union{float;int}", funcOf(uFI, uFI), "r=[g0:0/4] a=[g0:0/4] gpr=1 fpr=0 stack=0"},
		{"union{float;double}", funcOf(uFD, uFD), "r=[f0:0/8] a=[f0:0/8] gpr=0 fpr=1 stack=0"},
		{"union{double;long}", funcOf(uDL, uDL), "r=[g0:0/8] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"union{{float,float};double}", funcOf(tVoid, uNested), "r=[] a=[f0:0/8] gpr=0 fpr=1 stack=0"},
		{"packed misaligned double", funcOf(pkCD, pkCD, tInt), "r=sret(g0:0/8) a=[s0:0/9][g1:0/4] gpr=2 fpr=0 stack=16"},
		{"packed misaligned short", funcOf(tVoid, pkCS), "r=[] a=[s0:0/3] gpr=0 fpr=0 stack=8"},
		{"packed aligned", funcOf(pkSSI, pkSSI), "r=[g0:0/8] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"{double,long}", funcOf(dl, dl), "r=[f0:0/8 g0:8/8] a=[f0:0/8 g0:8/8] gpr=1 fpr=1 stack=0"},
		{"{long,double} result", funcOf(ld, tDbl, tInt), "r=[g0:0/8 f0:8/8] a=[f0:0/8][g0:0/4] gpr=1 fpr=1 stack=0"},
		{"{char,double}", funcOf(tVoid, cd), "r=[] a=[g0:0/8 f0:8/8] gpr=1 fpr=1 stack=0"},
		{"empty struct", funcOf(empty, empty, tInt, empty), "r=[] a=[][g0:0/4][] gpr=1 fpr=0 stack=0"},
		{"nested float pair", funcOf(nested, nested), "r=[f0:0/8 f1:8/4] a=[f0:0/8 f1:8/4] gpr=0 fpr=2 stack=0"},
		{"{double[2]}", funcOf(tVoid, arrD2), "r=[] a=[f0:0/8 f1:8/8] gpr=0 fpr=2 stack=0"},
		{"{int, float[3]}", funcOf(tVoid, iF3), "r=[] a=[g0:0/8 f0:8/8] gpr=1 fpr=1 stack=0"},
		{"flexible member", funcOf(flexD, flexD), "r=[g0:0/8] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"bit-fields and float", funcOf(tVoid, bitsF), "r=[] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"bit-fields only", funcOf(bitsOnly, bitsOnly), "r=[g0:0/8 g1:8/4] a=[g0:0/8 g1:8/4] gpr=2 fpr=0 stack=0"},
		{"unnamed short:16 misaligned", funcOf(tVoid, tInt, uShort16), "r=[] a=[g0:0/4][s0:0/5] gpr=1 fpr=0 stack=8"},
		{"named short:16", funcOf(tVoid, tInt, nShort16), "r=[] a=[g0:0/4][g1:0/6] gpr=2 fpr=0 stack=0"},
		{"int:16 at an odd bit", funcOf(tVoid, tInt, oddInt16), "r=[] a=[g0:0/4][g1:0/4] gpr=2 fpr=0 stack=0"},
		{"packed short:16", funcOf(tVoid, tInt, pkShort), "r=[] a=[g0:0/4][g1:0/5] gpr=2 fpr=0 stack=0"},
		{"aligned(16) {long}", funcOf(al16, al16), "r=[g0:0/8] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"aligned(16) on stack", funcOf(tVoid, append(repeat(tInt, 7), al16, tInt)...),
			"r=[] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4][g4:0/4][g5:0/4][s0:0/4][s16:0/16][s32:0/4] gpr=6 fpr=0 stack=40"},
		{"aligned(32) on stack", funcOf(tVoid, append(repeat(tInt, 7), al32, tInt)...),
			"r=[] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4][g4:0/4][g5:0/4][s0:0/4][s32:0/32][s64:0/4] gpr=6 fpr=0 stack=72"},
		{"7 ints", funcOf(tInt, repeat(tInt, 7)...),
			"r=[g0:0/4] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4][g4:0/4][g5:0/4][s0:0/4] gpr=6 fpr=0 stack=8"},
		{"9 doubles", funcOf(tDbl, repeat(tDbl, 9)...),
			"r=[f0:0/8] a=[f0:0/8][f1:0/8][f2:0/8][f3:0/8][f4:0/8][f5:0/8][f6:0/8][f7:0/8][s0:0/8] gpr=0 fpr=8 stack=8"},
		{"10 ints and 10 doubles interleaved", funcOf(tVoid,
			tInt, tDbl, tInt, tDbl, tInt, tDbl, tInt, tDbl, tInt, tDbl,
			tInt, tDbl, tInt, tDbl, tInt, tDbl, tInt, tDbl, tInt, tDbl),
			"r=[] a=[g0:0/4][f0:0/8][g1:0/4][f1:0/8][g2:0/4][f2:0/8][g3:0/4][f3:0/8][g4:0/4][f4:0/8]" +
				"[g5:0/4][f5:0/8][s0:0/4][f6:0/8][s8:0/4][f7:0/8][s16:0/4][s24:0/8][s32:0/4][s40:0/8] gpr=6 fpr=8 stack=48"},
		{"mixed 16+16 byte structs", funcOf(tVoid, dl, ldivT, dd, dl, ldivT),
			"r=[] a=[f0:0/8 g0:8/8][g1:0/8 g2:8/8][f1:0/8 f2:8/8][f3:0/8 g3:8/8][g4:0/8 g5:8/8] gpr=6 fpr=4 stack=0"},
		{"struct does not fit in the remaining GPRs", funcOf(tVoid, tInt, tInt, tInt, tInt, tInt, ldivT, tInt, ldivT),
			"r=[] a=[g0:0/4][g1:0/4][g2:0/4][g3:0/4][g4:0/4][s0:0/16][g5:0/4][s16:0/16] gpr=6 fpr=0 stack=32"},
		{"struct does not fit in the remaining XMMs", funcOf(tVoid, append(repeat(tDbl, 7), dd, tDbl, dl)...),
			"r=[] a=[f0:0/8][f1:0/8][f2:0/8][f3:0/8][f4:0/8][f5:0/8][f6:0/8][s0:0/16][f7:0/8][s16:0/16] gpr=0 fpr=8 stack=32"},
		{"mixed struct needs both files", funcOf(tVoid, append(repeat(tLong, 6), dl, tDbl)...),
			"r=[] a=[g0:0/8][g1:0/8][g2:0/8][g3:0/8][g4:0/8][g5:0/8][s0:0/16][f0:0/8] gpr=6 fpr=1 stack=16"},
		{"sret shifts rdi", funcOf(l3, repeat(tLong, 6)...),
			"r=sret(g0:0/8) a=[g1:0/8][g2:0/8][g3:0/8][g4:0/8][g5:0/8][s0:0/8] gpr=6 fpr=0 stack=8"},
		{"sret with a struct that no longer fits", funcOf(l3, tLong, tLong, tLong, tLong, ldivT, tLong),
			"r=sret(g0:0/8) a=[g1:0/8][g2:0/8][g3:0/8][g4:0/8][s0:0/16][g5:0/8] gpr=6 fpr=0 stack=16"},
		{"array parameter decays", funcOf(tVoid, arrayOf(tDbl, 4), tDbl), "r=[] a=[g0:0/8][f0:0/8] gpr=1 fpr=1 stack=0"},
		{"function parameter decays", funcOf(tVoid, funcOf(tInt, tInt)), "r=[] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
		{"pointer to function accepted", m.Pointer(funcOf(tInt, tInt)), "r=[g0:0/4] a=[g0:0/4] gpr=1 fpr=0 stack=0"},
		{"variadic: fixed part only", variadicOf(tInt, m.Pointer(tChar)), "r=[g0:0/4] a=[g0:0/8] gpr=1 fpr=0 stack=0"},
	}
}

func TestClassify(t *testing.T) {
	tests := classifyCases()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Classify(tc.fn)
			if err != nil {
				t.Fatalf("Classify(%s): %v", abi.TypeString(tc.fn), err)
			}
			if got := planString(p); got != tc.want {
				t.Errorf("Classify(%s)\n got %s\nwant %s", abi.TypeString(tc.fn), got, tc.want)
			}
			checkPlan(t, p)
		})
	}
}

func TestClassifyVarargs(t *testing.T) {
	printf := variadicOf(tInt, m.Pointer(tChar))
	p, err := Classify(printf)
	if err != nil {
		t.Fatal(err)
	}
	q, err := ClassifyVarargs(p, []*ctype.Type{tDbl, tInt, tDbl, structOf(tDbl, tDbl)})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := planString(q), "r=[g0:0/4] a=[g0:0/8][f0:0/8][g1:0/4][f1:0/8][f2:0/8 f3:8/8] gpr=2 fpr=4 stack=0"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	checkPlan(t, q)
	if len(p.Args) != 1 || p.NumFPR != 0 {
		t.Errorf("ClassifyVarargs modified its input: %s", planString(p))
	}

	// Continues the stack too, and a struct that no longer fits goes there.
	q, err = ClassifyVarargs(p, append(repeat(tLong, 4), structOf(tLong, tLong), tLong, tLong))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := planString(q), "r=[g0:0/4] a=[g0:0/8][g1:0/8][g2:0/8][g3:0/8][g4:0/8][s0:0/16][g5:0/8][s16:0/8] gpr=6 fpr=0 stack=24"; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}

	if _, err := ClassifyVarargs(p, []*ctype.Type{tLD}); err == nil || err.Error() != "long double is not supported by this ABI (parameter 2: long double)" {
		t.Errorf("long double vararg: err = %v", err)
	}
	np, _ := Classify(funcOf(tInt, tInt))
	if _, err := ClassifyVarargs(np, nil); err == nil {
		t.Error("ClassifyVarargs accepted a non-variadic plan")
	}
}

func TestClassifyErrors(t *testing.T) {
	withLD := must(m.Struct("wld", []ctype.Member{{Name: "x", Type: tInt}, {Name: "in", Type: structOf(tDbl, tLD)}}, false, 0))
	incomplete := m.Incomplete(ctype.Struct, "opaque")
	voidParam := &ctype.Type{Kind: ctype.Func, Result: tVoid, Params: []ctype.Param{{Type: tVoid}}}
	named := must(m.Func(tVoid, []ctype.Param{{Name: "n", Type: tInt}, {Name: "v", Type: tLD}}, false))
	tests := []struct {
		fn   *ctype.Type
		want string
	}{
		{funcOf(tVoid, tInt, tLD), "long double is not supported by this ABI (parameter 2: long double)"},
		{named, `long double is not supported by this ABI (parameter 2 "v": long double)`},
		{funcOf(tLD, tInt), "long double is not supported by this ABI (result: long double)"},
		{funcOf(tVoid, withLD), "long double is not supported by this ABI (parameter 1: struct wld, field in.b)"},
		{funcOf(withLD), "long double is not supported by this ABI (result: struct wld, field in.b)"},
		{funcOf(tVoid, tInt, tInt, incomplete), "incomplete type struct opaque cannot be passed by value (parameter 3: struct opaque)"},
		{voidParam, "void is not a parameter type (parameter 1: void)"},
		{tInt, "abi: int is not a function type"},
	}
	for _, tc := range tests {
		_, err := Classify(tc.fn)
		if err == nil {
			t.Errorf("Classify(%s) succeeded, want error %q", abi.TypeString(tc.fn), tc.want)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("Classify(%s)\n got error %q\nwant error %q", abi.TypeString(tc.fn), err, tc.want)
		}
		if !strings.Contains(err.Error(), "(") && tc.fn.Kind == ctype.Func {
			t.Errorf("error %q does not name a position", err)
		}
	}
}
