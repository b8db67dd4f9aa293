package ffi_test

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// The ABI conformance generator: random C signatures (0-20 parameters of
// every scalar type and of random structs and unions, random results) are
// written out as C, compiled with cc -O2, and every value is checked bit for
// bit in both directions: C calling a Go callback, and Go calling C through
// Bind. Run more, or reproduce a failure, with
//
//	go test -run 'TestConformance$' -conformance.seed=S -conformance.n=N .
var (
	confSeed = flag.Uint64("conformance.seed", 0, "seed of the generated signatures (0: from the clock)")
	confN    = flag.Int("conformance.n", 0, "number of generated signatures (0: 2000, or $FFI_CONFORMANCE_N)")
)

const confBatch = 250

// cScalar is a C scalar type and the Go type that matches it exactly.
type cScalar struct {
	c  string
	gt reflect.Type
}

var confScalars = []cScalar{
	{"char", reflect.TypeFor[int8]()},
	{"signed char", reflect.TypeFor[int8]()},
	{"unsigned char", reflect.TypeFor[uint8]()},
	{"short", reflect.TypeFor[int16]()},
	{"unsigned short", reflect.TypeFor[uint16]()},
	{"int", reflect.TypeFor[int32]()},
	{"unsigned int", reflect.TypeFor[uint32]()},
	{"long", reflect.TypeFor[cLong]()},
	{"unsigned long", reflect.TypeFor[cULong]()},
	{"long long", reflect.TypeFor[int64]()},
	{"unsigned long long", reflect.TypeFor[uint64]()},
	{"_Bool", reflect.TypeFor[bool]()},
	{"float", reflect.TypeFor[float32]()},
	{"double", reflect.TypeFor[float64]()},
	{"void *", reflect.TypeFor[uintptr]()}, // uintptr: random addresses must not look like Go pointers
}

// confType is a generated C type: a scalar, a struct or a union, with the
// Go type of the same layout.
type confType struct {
	c      string // C spelling ("int", "struct cf_1_2")
	goT    reflect.Type
	def    string // C definition for aggregates
	fields []confField
	union  bool
	scalar *cScalar
}

type confField struct {
	name string
	t    *confType
	n    int // array length; 0 for no array
}

type confGen struct {
	r      *rand.Rand
	prefix string
	nagg   int
	defs   []string // aggregate definitions, dependencies first
}

func (g *confGen) scalar() *confType {
	s := &confScalars[g.r.IntN(len(confScalars))]
	return &confType{c: s.c, goT: s.gt, scalar: s}
}

// aggregate makes a random struct (or union) of 1-6 members.
func (g *confGen) aggregate(depth int) *confType {
	g.nagg++
	name := fmt.Sprintf("%s_%d", g.prefix, g.nagg)
	if depth < 2 && g.r.IntN(6) == 0 {
		return g.union(name)
	}
	t := &confType{c: "struct " + name}
	var gf []reflect.StructField
	var body strings.Builder
	for i, n := 0, 1+g.r.IntN(6); i < n; i++ {
		f := confField{name: fmt.Sprintf("f%d", i)}
		switch k := g.r.IntN(10); {
		case k == 0 && depth < 2:
			f.t = g.aggregate(depth + 1)
		case k == 1:
			f.t, f.n = g.scalar(), 1+g.r.IntN(4)
		default:
			f.t = g.scalar()
		}
		ft := f.t.goT
		if f.n > 0 {
			ft = reflect.ArrayOf(f.n, ft)
			fmt.Fprintf(&body, " %s %s[%d];", f.t.c, f.name, f.n)
		} else {
			fmt.Fprintf(&body, " %s %s;", f.t.c, f.name)
		}
		gf = append(gf, reflect.StructField{Name: "F" + strconv.Itoa(i), Type: ft})
		t.fields = append(t.fields, f)
	}
	t.goT = reflect.StructOf(gf)
	t.def = fmt.Sprintf("struct %s {%s };", name, body.String())
	g.defs = append(g.defs, t.def)
	return t
}

// union makes a union of scalars; its Go type is an array of unsigned
// integers of the union's alignment, covering all its bytes.
func (g *confGen) union(name string) *confType {
	t := &confType{c: "union " + name, union: true}
	var body strings.Builder
	size := 1
	for i, n := 0, 1+g.r.IntN(4); i < n; i++ {
		s := g.scalar()
		size = max(size, int(s.goT.Size()))
		fmt.Fprintf(&body, " %s f%d;", s.c, i)
		t.fields = append(t.fields, confField{name: fmt.Sprintf("f%d", i), t: s})
	}
	elem := map[int]reflect.Type{1: reflect.TypeFor[uint8](), 2: reflect.TypeFor[uint16](), 4: reflect.TypeFor[uint32](), 8: reflect.TypeFor[uint64]()}[size]
	t.goT = reflect.ArrayOf(1, elem)
	t.def = fmt.Sprintf("union %s {%s };", name, body.String())
	g.defs = append(g.defs, t.def)
	return t
}

func (g *confGen) valueType() *confType {
	if g.r.IntN(3) == 0 {
		return g.aggregate(0)
	}
	return g.scalar()
}

// fill sets every leaf of v to a random value: full-width integers, 0/1
// bools, finite floats, all bytes of unions.
func (g *confGen) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			g.fill(v.Field(i))
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			g.fill(v.Index(i))
		}
	case reflect.Bool:
		v.SetBool(g.r.IntN(2) == 1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(float32(g.r.NormFloat64() * 1000)))
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(g.r.Uint64()))
	default:
		v.SetUint(g.r.Uint64())
	}
}

// confSig is one generated signature with its constant values.
type confSig struct {
	params []*confType
	result *confType // nil: void
	args   []reflect.Value
	ret    reflect.Value
}

func (s *confSig) cDecl(name string) string {
	var ps []string
	for i, p := range s.params {
		ps = append(ps, fmt.Sprintf("%s p%d", p.c, i))
	}
	if len(ps) == 0 {
		ps = []string{"void"}
	}
	res := "void"
	if s.result != nil {
		res = s.result.c
	}
	return fmt.Sprintf("%s %s(%s)", res, name, strings.Join(ps, ", "))
}

func (s *confSig) goFunc() reflect.Type {
	in := make([]reflect.Type, len(s.params))
	for i, p := range s.params {
		in[i] = p.goT
	}
	var out []reflect.Type
	if s.result != nil {
		out = []reflect.Type{s.result.goT}
	}
	return reflect.FuncOf(in, out, false)
}

// cBytes spells the bytes of a Go value as a C array initializer.
func cBytes(v reflect.Value) string {
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	b := unsafe.Slice((*byte)(p.UnsafePointer()), v.Type().Size())
	var s []string
	for _, c := range b {
		s = append(s, strconv.Itoa(int(c)))
	}
	if len(s) == 0 {
		return "0"
	}
	return strings.Join(s, ",")
}

// cEq writes a C expression comparing every leaf of a and b (of type t):
// padding is never compared.
func cEq(t *confType, a, b string) string {
	switch {
	case t.scalar != nil:
		return fmt.Sprintf("(%s == %s)", a, b)
	case t.union:
		return fmt.Sprintf("(memcmp(&%s, &%s, sizeof %s) == 0)", a, b, a)
	}
	var parts []string
	for _, f := range t.fields {
		if f.n == 0 {
			parts = append(parts, cEq(f.t, a+"."+f.name, b+"."+f.name))
			continue
		}
		for k := 0; k < f.n; k++ {
			parts = append(parts, cEq(f.t, fmt.Sprintf("%s.%s[%d]", a, f.name, k), fmt.Sprintf("%s.%s[%d]", b, f.name, k)))
		}
	}
	return "(" + strings.Join(parts, " && ") + ")"
}

func (g *confGen) signature() *confSig {
	s := &confSig{}
	for i, n := 0, g.r.IntN(21); i < n; i++ {
		s.params = append(s.params, g.valueType())
	}
	if g.r.IntN(8) != 0 {
		s.result = g.valueType()
	}
	for _, p := range s.params {
		v := reflect.New(p.goT).Elem()
		g.fill(v)
		s.args = append(s.args, v)
	}
	if s.result != nil {
		s.ret = reflect.New(s.result.goT).Elem()
		g.fill(s.ret)
	}
	return s
}

// cSource writes the C side of a batch: for signature i, a caller
// call_i(cb) that calls a callback with the constant arguments and checks
// its result, and a callee callee_i(...) that checks its arguments (counting
// mismatches in conf_bad) and returns the constant result.
func cSource(defs []string, sigs []*confSig) string {
	var b strings.Builder
	b.WriteString("#include <string.h>\n#include <stdbool.h>\nint conf_bad;\nint conf_take_bad(void) { int n = conf_bad; conf_bad = 0; return n; }\n")
	for _, d := range defs {
		b.WriteString(d + "\n")
	}
	for i, s := range sigs {
		var decl strings.Builder
		for k, p := range s.params {
			fmt.Fprintf(&decl, "\tstatic const unsigned char a%d_b[] = {%s};\n\t%s a%d; memcpy(&a%d, a%d_b, sizeof a%d);\n", k, cBytes(s.args[k]), p.c, k, k, k, k)
		}
		if s.result != nil {
			fmt.Fprintf(&decl, "\tstatic const unsigned char r_b[] = {%s};\n\t%s want; memcpy(&want, r_b, sizeof want);\n", cBytes(s.ret), s.result.c)
		}
		var args []string
		for k := range s.params {
			args = append(args, fmt.Sprintf("a%d", k))
		}
		// caller
		fmt.Fprintf(&b, "int call_%d(%s) {\n%s", i, s.cDecl("(*cb)"), decl.String())
		if s.result != nil {
			fmt.Fprintf(&b, "\t%s got = cb(%s);\n\treturn %s;\n}\n", s.result.c, strings.Join(args, ", "), cEq(s.result, "got", "want"))
		} else {
			fmt.Fprintf(&b, "\tcb(%s);\n\treturn 1;\n}\n", strings.Join(args, ", "))
		}
		// callee
		fmt.Fprintf(&b, "%s {\n%s", s.cDecl(fmt.Sprintf("callee_%d", i)), decl.String())
		for k, p := range s.params {
			fmt.Fprintf(&b, "\tif (!%s) conf_bad++;\n", cEq(p, fmt.Sprintf("p%d", k), fmt.Sprintf("a%d", k)))
		}
		if s.result != nil {
			b.WriteString("\treturn want;\n")
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// runConformance generates n signatures from seed and checks them.
func runConformance(t *testing.T, seed uint64, n int) {
	for start := 0; start < n; start += confBatch {
		count := min(confBatch, n-start)
		g := &confGen{r: rand.New(rand.NewPCG(seed, uint64(start))), prefix: fmt.Sprintf("cf%d_%d", seed, start)}
		sigs := make([]*confSig, count)
		for i := range sigs {
			sigs[i] = g.signature()
		}
		if err := ffi.Cdef(strings.Join(g.defs, "\n")); err != nil {
			t.Fatalf("seed %d batch %d: Cdef of the generated types: %v", seed, start, err)
		}
		lib := openC(t, ctest.SharedLib(t, cSource(g.defs, sigs), "-O2"))
		var takeBad func() int32
		if err := lib.Bind(&takeBad, "int conf_take_bad(void)"); err != nil {
			t.Fatal(err)
		}
		failed := 0
		for i, s := range sigs {
			if err := checkConfSig(lib, i, s, takeBad); err != nil {
				t.Errorf("seed %d, signature %d: %s\n  %v\n  reproduce: go test -run 'TestConformance$' -conformance.seed=%d -conformance.n=%d .",
					seed, start+i, s.cDecl("f"), err, seed, start+i+1)
				if failed++; failed > 10 {
					t.FailNow()
				}
			}
		}
	}
}

func checkConfSig(lib *ffi.Library, i int, s *confSig, takeBad func() int32) error {
	ft := s.goFunc()
	// C -> Go: the callback checks what it receives.
	var got []reflect.Value
	fn := reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		got = append(got[:0], args...)
		if s.result != nil {
			return []reflect.Value{s.ret}
		}
		return nil
	})
	cb, err := ffi.NewCallback(s.cDecl("(*)"), fn.Interface())
	if err != nil {
		return fmt.Errorf("NewCallback: %v", err)
	}
	defer cb.Free()
	caller, err := lib.Sym(fmt.Sprintf("call_%d", i))
	if err != nil {
		return err
	}
	var call func(*ffi.Callback) int32
	if err := ffi.Bind(&call, caller, "int (*)(void *)"); err != nil {
		return err
	}
	if call(cb) != 1 {
		return fmt.Errorf("C -> Go: C saw a wrong result")
	}
	if len(got) != len(s.args) {
		return fmt.Errorf("C -> Go: the callback ran with %d arguments", len(got))
	}
	for k := range got {
		if !reflect.DeepEqual(got[k].Interface(), s.args[k].Interface()) {
			return fmt.Errorf("C -> Go: argument %d is %#v, want %#v", k+1, got[k], s.args[k])
		}
	}
	// Go -> C: the callee checks what it receives.
	callee := reflect.New(ft)
	if err := lib.Bind(callee.Interface(), s.cDecl(fmt.Sprintf("callee_%d", i))); err != nil {
		return fmt.Errorf("Bind: %v", err)
	}
	res := callee.Elem().Call(s.args)
	if bad := takeBad(); bad != 0 {
		return fmt.Errorf("Go -> C: %d arguments arrived wrong in C", bad)
	}
	if s.result != nil && !reflect.DeepEqual(res[0].Interface(), s.ret.Interface()) {
		return fmt.Errorf("Go -> C: result is %#v, want %#v", res[0], s.ret)
	}
	return nil
}

func TestConformance(t *testing.T) {
	n := *confN
	if n == 0 {
		n = 2000
		if v, err := strconv.Atoi(os.Getenv("FFI_CONFORMANCE_N")); err == nil && v > 0 {
			n = v
		}
		n /= stressDiv
	}
	seed := *confSeed
	if seed == 0 {
		if v, err := strconv.ParseUint(os.Getenv("FFI_CONFORMANCE_SEED"), 10, 64); err == nil && v > 0 {
			seed = v
		} else {
			seed = uint64(time.Now().UnixNano()) & math.MaxInt32
		}
	}
	t.Logf("conformance: %d signatures from seed %d (reproduce: -conformance.seed=%d -conformance.n=%d)", n, seed, seed, n)
	runConformance(t, seed, n)
}

// confScalar returns the scalar type spelled c.
func confScalar(c string) *confType {
	for i := range confScalars {
		if confScalars[i].c == c {
			return &confType{c: c, goT: confScalars[i].gt, scalar: &confScalars[i]}
		}
	}
	panic("no scalar " + c)
}

// defStruct defines a struct from (C type, array length) members.
func (g *confGen) defStruct(name string, members ...confField) *confType {
	t := &confType{c: "struct " + name}
	var gf []reflect.StructField
	var body strings.Builder
	for i, f := range members {
		f.name = fmt.Sprintf("f%d", i)
		ft := f.t.goT
		if f.n > 0 {
			ft = reflect.ArrayOf(f.n, ft)
			fmt.Fprintf(&body, " %s %s[%d];", f.t.c, f.name, f.n)
		} else {
			fmt.Fprintf(&body, " %s %s;", f.t.c, f.name)
		}
		gf = append(gf, reflect.StructField{Name: "F" + strconv.Itoa(i), Type: ft})
		t.fields = append(t.fields, f)
	}
	t.goT = reflect.StructOf(gf)
	t.def = fmt.Sprintf("struct %s {%s };", name, body.String())
	g.defs = append(g.defs, t.def)
	return t
}

// TestConformanceCorpus checks hand-picked hard cases in both directions.
func TestConformanceCorpus(t *testing.T) {
	g := &confGen{r: rand.New(rand.NewPCG(7, 7)), prefix: "corpus"}
	f := func(c string) confField { return confField{t: confScalar(c)} }
	arr := func(c string, n int) confField { return confField{t: confScalar(c), n: n} }
	divT := g.defStruct("corpus_div_t", f("int"), f("int"))
	ldivT := g.defStruct("corpus_ldiv_t", f("long"), f("long"))
	timespec := g.defStruct("corpus_timespec", f("long"), f("long"))
	ff := g.defStruct("corpus_ff", f("float"), f("float"))
	fff := g.defStruct("corpus_fff", f("float"), f("float"), f("float"))
	dd := g.defStruct("corpus_dd", f("double"), f("double"))
	fi := g.defStruct("corpus_fi", f("float"), f("int"))
	c3 := g.defStruct("corpus_c3", arr("char", 3))
	b17 := g.defStruct("corpus_b17", arr("char", 17))
	b24 := g.defStruct("corpus_b24", f("long"), f("double"), f("int"))
	i3 := g.defStruct("corpus_i3", f("char"), arr("int", 3))
	nested := g.defStruct("corpus_nested", confField{t: g.defStruct("corpus_inner", f("float"))}, f("double"))
	var u *confType
	{
		u = &confType{c: "union corpus_u", union: true, goT: reflect.ArrayOf(1, reflect.TypeFor[uint32]()),
			fields: []confField{{name: "f0", t: confScalar("float")}, {name: "f1", t: confScalar("int")}}}
		u.def = "union corpus_u { float f0; int f1; };"
		g.defs = append(g.defs, u.def)
	}
	ints := func(n int) []*confType {
		var ps []*confType
		for i := 0; i < n; i++ {
			ps = append(ps, confScalar("int"))
		}
		return ps
	}
	doubles := func(n int) []*confType {
		var ps []*confType
		for i := 0; i < n; i++ {
			ps = append(ps, confScalar("double"))
		}
		return ps
	}
	cases := []struct {
		params []*confType
		result *confType
	}{
		{[]*confType{confScalar("int"), confScalar("int")}, divT},
		{[]*confType{confScalar("long"), confScalar("long")}, ldivT},
		{[]*confType{timespec, timespec}, timespec},
		{[]*confType{ff, ff}, ff},
		{[]*confType{fff, confScalar("int")}, fff},
		{[]*confType{dd, dd}, dd},
		{[]*confType{fi, ff, fi}, fi},
		{[]*confType{c3, c3}, c3},
		{[]*confType{b17, confScalar("int")}, b17},
		{[]*confType{b24, b24}, b24},
		{[]*confType{i3}, i3},
		{[]*confType{nested, nested}, nested},
		{[]*confType{u, u, confScalar("float")}, u},
		{append(ints(7), dd, fi), dd},                   // registers run out: all-or-nothing
		{append(doubles(8), dd, confScalar("int")), dd}, // no XMM left for {double,double}
		{append(ints(6), confScalar("double")), b24},    // sret shifts the integer registers
		{append(ints(5), fi), fi},                       // {float,int} needs a GPR and an XMM: 1 GPR left
	}
	var sigs []*confSig
	for _, c := range cases {
		s := &confSig{params: c.params, result: c.result}
		for _, p := range s.params {
			v := reflect.New(p.goT).Elem()
			g.fill(v)
			s.args = append(s.args, v)
		}
		if s.result != nil {
			s.ret = reflect.New(s.result.goT).Elem()
			g.fill(s.ret)
		}
		sigs = append(sigs, s)
	}
	if err := ffi.Cdef(strings.Join(g.defs, "\n")); err != nil {
		t.Fatal(err)
	}
	lib := openC(t, ctest.SharedLib(t, cSource(g.defs, sigs), "-O2"))
	var takeBad func() int32
	if err := lib.Bind(&takeBad, "int conf_take_bad(void)"); err != nil {
		t.Fatal(err)
	}
	for i, s := range sigs {
		if err := checkConfSig(lib, i, s, takeBad); err != nil {
			t.Errorf("%s: %v", s.cDecl("f"), err)
		}
	}
	// long double is refused with a clear error, in a struct too.
	if err := ffi.Cdef("struct corpus_ld { long double v; };"); err != nil {
		t.Fatal(err)
	}
	type ld struct{ V [16]byte }
	for _, c := range []struct {
		decl string
		fn   any
	}{
		{"long double (*)(long double)", func(float64) float64 { return 0 }},
		{"void (*)(struct corpus_ld)", func(ld) {}},
		{"struct corpus_ld (*)(void)", func() ld { return ld{} }},
	} {
		if _, err := ffi.NewCallback(c.decl, c.fn); err == nil || !strings.Contains(err.Error(), "long double") {
			t.Errorf("NewCallback(%q): %v, want a long double error", c.decl, err)
		}
		fn := reflect.New(reflect.TypeOf(c.fn))
		if err := ffi.Bind(fn.Interface(), 1, c.decl); err == nil || !strings.Contains(err.Error(), "long double") {
			t.Errorf("Bind(%q): %v, want a long double error", c.decl, err)
		}
	}
}
