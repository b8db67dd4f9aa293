package ffi_test

import (
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// TestConformanceWide runs the wide generator (conformance_gen_test.go).
// It shares -conformance.seed and -conformance.n with TestConformance; one
// signature reproduces alone with -conformance.only=K:
//
//	go test -run 'TestConformanceWide$' -conformance.seed=S -conformance.n=N .
//	go test -run 'TestConformanceWide$' -conformance.seed=S -conformance.only=K .
var confOnly = flag.Int("conformance.only", -1, "check only this signature index of TestConformanceWide")

// wideBatch signatures share one C library.
const wideBatch = 200

// wideDefault is the number of signatures of a default run (the machine
// running CI also runs the 2,000 of TestConformance).
const wideDefault = 500

func TestConformanceWide(t *testing.T) {
	n := *confN
	if n == 0 {
		n = wideDefault
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
	if k := *confOnly; k >= 0 {
		t.Logf("conformance (wide): signature %d of seed %d", k, seed)
		runWide(t, seed, k/wideBatch*wideBatch, wideBatch, k, &wStats{})
		return
	}
	t.Logf("conformance (wide): %d signatures from seed %d (reproduce: -conformance.seed=%d -conformance.n=%d)", n, seed, seed, n)
	failed := 0
	var st wStats
	for start := 0; start < n && failed <= 10; start += wideBatch {
		failed += runWide(t, seed, start, min(wideBatch, n-start), -1, &st)
	}
	t.Logf("checked: %d params, %d aggregates (%d unions, %d with bit-fields, %d packed), %d Go int/uint, %d results in memory",
		st.params, st.aggs, st.unions, st.bits, st.packed, st.asInt, st.sret)
}

// wStats counts what a run covered.
type wStats struct{ params, aggs, unions, bits, packed, asInt, sret int }

func (st *wStats) add(g *wGen, sigs []*wSig) {
	for _, a := range g.aggs {
		st.aggs++
		switch {
		case a.kind == wUnionKind:
			st.unions++
		case a.packed:
			st.packed++
		case a.opaque:
			st.bits++
		}
	}
	for _, s := range sigs {
		st.params += len(s.params)
		for _, sl := range s.slots() {
			if sl.asInt {
				st.asInt++
			}
		}
		if s.result != nil && s.result.t.sc == nil && s.result.t.size > 16 {
			st.sret++
		}
	}
}

// runWide generates and checks the batch of count signatures starting at
// index start (only one of them if only >= 0); it returns the number of
// failures.
func runWide(t *testing.T, seed uint64, start, count, only int, st *wStats) int {
	t.Helper()
	g := &wGen{r: rand.New(rand.NewPCG(seed, uint64(start))), special: 12, shapes: seed ^ uint64(start)<<32}
	sigs := make([]*wSig, count)
	for i := range sigs {
		sigs[i] = g.signature()
	}
	b, err := buildWide(g, sigs, func(i int) *rand.Rand { return rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, uint64(start+i))) })
	if err != nil {
		t.Errorf("seed %d, batch at %d: %v", seed, start, err)
		return 1
	}
	st.add(g, sigs)
	failed := 0
	for i, s := range sigs {
		if only >= 0 && start+i != only {
			continue
		}
		if err := b.check(i, s); err != nil {
			t.Errorf("seed %d, signature %d: %s\n%s  %v\n  reproduce: go test -run 'TestConformanceWide$' -conformance.seed=%d -conformance.only=%d .",
				seed, start+i, s.decl("f"), sigDefs(s), err, seed, start+i)
			if failed++; failed > 10 {
				break
			}
		}
	}
	return failed
}

// wBatch is a compiled batch.
type wBatch struct {
	g       *wGen
	sc      *ffi.Scope
	lib     *ffi.Library
	masks   map[int][]byte
	takeBad func() uint64
	last    []byte // what the last caller got from the callback
}

// buildWide defines the batch's types in a new Scope, gives them Go types,
// fills the values (rng(i) for signature i), compiles the C side and loads
// the masks; it checks the layouts the Scope computed against the C
// compiler's.
func buildWide(g *wGen, sigs []*wSig, rng func(int) *rand.Rand) (*wBatch, error) {
	sc, defs, err := newScopeFor(g)
	if err != nil {
		return nil, fmt.Errorf("Cdef of the generated types: %v\n%s", err, defs)
	}
	if err := g.goTypes(sc); err != nil {
		return nil, err
	}
	for i, s := range sigs {
		vg := &wGen{r: rng(i), special: g.special}
		vg.values(s)
	}
	so, err := ctest.Build(wSource(g, sigs), "-O2")
	if err != nil {
		return nil, err
	}
	lib, err := ffi.Open(so)
	if err != nil {
		return nil, err
	}
	b := &wBatch{g: g, sc: sc, lib: lib, masks: map[int][]byte{}}
	var voidp func(unsafe.Pointer)
	bindSym := func(name string) error {
		addr, err := lib.Sym(name)
		if err != nil {
			return err
		}
		return ffi.Bind(&voidp, addr, "void (*)(void *)")
	}
	if len(g.aggs) > 0 {
		lay := make([]uint64, 2*len(g.aggs))
		if err := bindSym("xlayout"); err != nil {
			return nil, err
		}
		voidp(unsafe.Pointer(&lay[0]))
		var bad []string
		for i, t := range g.aggs {
			if int(lay[2*i]) != t.size || int(lay[2*i+1]) != t.align {
				bad = append(bad, fmt.Sprintf("%s: Scope size %d align %d, cc size %d align %d", t.def(), t.size, t.align, lay[2*i], lay[2*i+1]))
			}
		}
		if bad != nil {
			return nil, fmt.Errorf("layouts differ from the C compiler's:\n\t%s", strings.Join(bad, "\n\t"))
		}
		for _, t := range g.aggs {
			m, err := lib.Sym(fmt.Sprintf("xmk_%d", t.id))
			if err != nil {
				return nil, err
			}
			b.masks[t.id] = append([]byte(nil), unsafe.Slice(*(**byte)(unsafe.Pointer(&m)), t.size)...)
		}
	}
	for _, s := range sigs {
		for _, sl := range s.slots() {
			if sl.t.sc == nil && !sl.asInt {
				sl.mask = b.masks[sl.t.id]
			}
		}
	}
	if err := lib.Bind(&b.takeBad, "unsigned long long xtake_bad(void)"); err != nil {
		return nil, err
	}
	last, err := lib.Sym("xlast")
	if err != nil {
		return nil, err
	}
	// A C address held as a uintptr; vet cannot know it is not Go memory.
	b.last = unsafe.Slice(*(**byte)(unsafe.Pointer(&last)), wLastSize)
	return b, nil
}

func (s *wSig) slots() []*wSlot {
	all := append([]*wSlot{}, s.params...)
	if s.result != nil {
		all = append(all, s.result)
	}
	return all
}

// check runs signature i in both directions.
func (b *wBatch) check(i int, s *wSig) error {
	ft := s.funcType()
	var errs []string
	// C -> Go: the callback checks what it receives.
	ran := false
	fn := reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		ran = true
		for k, a := range args {
			p := s.params[k]
			if got := bytesOf(a); !maskedEqual(got, p.recv, p.mask) {
				errs = append(errs, fmt.Sprintf("C -> Go: argument %d (%s) is % x, want % x%s", k+1, p.c, got, p.recv, maskNote(p.mask)))
			}
		}
		if s.result != nil {
			return []reflect.Value{valueOf(s.result.goT, s.result.send)}
		}
		return nil
	})
	cb, err := b.sc.NewCallback(s.decl("(*)"), fn.Interface())
	if err != nil {
		return fmt.Errorf("NewCallback(%v): %v", ft, err)
	}
	defer cb.Free()
	caller, err := b.lib.Sym(fmt.Sprintf("call_%d", i))
	if err != nil {
		return err
	}
	var call func(*ffi.Callback) int32
	if err := ffi.Bind(&call, caller, "int (*)(void *)"); err != nil {
		return err
	}
	if call(cb) != 1 {
		n := int(goTypeOf(s.result.t).Size())
		errs = append(errs, fmt.Sprintf("C -> Go: C got the result % x, want % x%s", b.last[:n], s.result.cb, maskNote(s.result.mask)))
	}
	if !ran {
		errs = append(errs, "C -> Go: the callback did not run")
	}
	// Go -> C: the callee checks what it receives.
	callee, err := b.lib.Sym(fmt.Sprintf("callee_%d", i))
	if err != nil {
		return err
	}
	fv := reflect.New(ft)
	if err := b.sc.Bind(fv.Interface(), callee, s.decl(fmt.Sprintf("callee_%d", i))); err != nil {
		return fmt.Errorf("Bind(%v): %v", ft, err)
	}
	var args []reflect.Value
	for _, p := range s.params {
		args = append(args, valueOf(p.goT, p.send))
	}
	res := fv.Elem().Call(args)
	if bad := b.takeBad(); bad != 0 {
		for k, p := range s.params {
			if bad>>k&1 == 1 {
				errs = append(errs, fmt.Sprintf("Go -> C: argument %d (%s) arrived wrong in C (sent % x, C wants % x%s)", k+1, p.c, p.send, p.cb, maskNote(p.mask)))
			}
		}
	}
	if s.result != nil {
		if got := bytesOf(res[0]); !maskedEqual(got, s.result.recv, s.result.mask) {
			errs = append(errs, fmt.Sprintf("Go -> C: result is % x, want % x%s", got, s.result.recv, maskNote(s.result.mask)))
		}
	}
	if errs != nil {
		return fmt.Errorf("Go func %v:\n\t%s", ft, strings.Join(errs, "\n\t"))
	}
	return nil
}

func maskNote(m []byte) string {
	if m == nil {
		return ""
	}
	return fmt.Sprintf(" under mask % x", m)
}

// sigDefs spells the definitions of the aggregates signature s uses,
// dependencies first.
func sigDefs(s *wSig) string {
	var out []string
	seen := map[*wType]bool{}
	var walk func(t *wType)
	walk = func(t *wType) {
		if t.sc != nil || seen[t] {
			return
		}
		seen[t] = true
		for _, f := range t.fields {
			walk(f.t)
		}
		out = append(out, "  "+t.def()+"\n")
	}
	for _, sl := range s.slots() {
		walk(sl.t)
	}
	return strings.Join(out, "")
}

// TestConformanceWideCorpus checks hand-picked hard cases of the wide type
// space in both directions, with float leaves mostly special (signalling
// and quiet NaNs, -0, infinities, subnormals).
func TestConformanceWideCorpus(t *testing.T) {
	g := &wGen{r: rand.New(rand.NewPCG(11, 11)), special: 6}
	agg := func(t *wType, kw string) *wType { return g.addAgg(t, kw) }
	S := func(fs ...wField) *wType { return agg(&wType{kind: wStructKind, fields: fs}, "struct") }
	BS := func(fs ...wField) *wType { return agg(&wType{kind: wStructKind, fields: fs, opaque: true}, "struct") }
	P := func(aligned int, fs ...wField) *wType {
		return agg(&wType{kind: wStructKind, fields: fs, opaque: true, packed: true, aligned: aligned}, "struct")
	}
	U := func(fs ...wField) *wType { return agg(&wType{kind: wUnionKind, fields: fs, opaque: true}, "union") }
	F := func(c string) wField { return wField{t: scalarNamed(c)} }
	A := func(c string, n int) wField { return wField{t: scalarNamed(c), n: n} }
	B := func(c string, bits int) wField { return wField{t: scalarNamed(c), bits: bits, isBit: true} }
	Pad := func(c string, bits int) wField { return wField{name: "-", t: scalarNamed(c), bits: bits, isBit: true} }
	M := func(t *wType, n int) wField { return wField{t: t, n: n} }
	T := scalarNamed
	rep := func(t *wType, n int) []*wType {
		var ts []*wType
		for range n {
			ts = append(ts, t)
		}
		return ts
	}
	cat := func(parts ...[]*wType) []*wType {
		var ts []*wType
		for _, p := range parts {
			ts = append(ts, p...)
		}
		return ts
	}
	one := func(ts ...*wType) []*wType { return ts }

	f1 := S(F("float"))
	packedEnum := "enum we_p"
	if runtime.GOOS == "windows" {
		packedEnum = "enum we_u" // no packed enums in Microsoft's C
	}
	ll := S(F("long"), F("long"))
	dd := S(F("double"), F("double"))
	fff := S(F("float"), F("float"), F("float"))
	big := S(A("double", 8)) // 64 bytes
	l3 := S(F("long"), F("long"), F("long"))
	empty := S()
	cases := []struct {
		name   string
		params []*wType
		result *wType
		asInt  bool // integer parameters and result as Go int/uint
	}{
		{"special floats, fast path", one(T("float"), T("float"), T("double")), T("float"), false},
		{"special floats, 8+ in XMM", rep(T("float"), 12), T("double"), false},
		{"struct{float}", one(f1, T("double"), f1), f1, false},
		{"bit-fields with a float", one(BS(B("int", 3), B("int", 5), F("float"))), BS(B("int", 3), B("int", 5), F("float")), false},
		{"40+24-bit fields", one(BS(B("unsigned long long", 40), B("unsigned long long", 24)), T("int")), BS(B("unsigned long long", 40), B("unsigned long long", 24)), false},
		{"zero-width bit-field", one(BS(F("char"), Pad("int", 0), F("char"))), BS(F("char"), Pad("int", 0), F("char")), false},
		{"float and a 1-bit field share an eightbyte", one(BS(F("float"), B("unsigned int", 1)), T("float")), BS(F("float"), B("unsigned int", 1)), false},
		{"long long:1 then double", one(BS(B("long long", 1), F("double"))), BS(B("long long", 1), F("double")), false},
		{"padding bits", one(BS(B("unsigned char", 2), Pad("unsigned char", 3), B("unsigned char", 2))), T("int"), false},
		{"union{float[2]; double}", one(U(A("float", 2), F("double")), T("float")), U(A("float", 2), F("double")), false},
		{"union{struct{float,float}; long}", one(U(M(S(F("float"), F("float")), 0), F("long"))), U(M(S(F("float"), F("float")), 0), F("long")), false},
		{"union{float; double}", one(U(F("float"), F("double")), U(A("char", 3))), U(F("float"), F("double")), false},
		{"union of a misaligned packed struct (memory)", one(U(M(P(0, F("char"), F("int")), 0)), T("int")), U(M(P(0, F("char"), F("int")), 0)), false},
		{"union of an aligned packed struct (registers)", one(U(M(P(0, F("int"), F("int")), 0)), T("double")), U(M(P(0, F("int"), F("int")), 0)), false},
		{"union of a packed aligned(8) struct", one(U(M(P(8, F("char"), F("double")), 0))), U(M(P(8, F("char"), F("double")), 0)), false},
		{"float beside union{int; float}", one(S(F("float"), M(U(F("int"), F("float")), 0))), S(F("float"), M(U(F("int"), F("float")), 0)), false},
		{"array of structs", one(S(M(f1, 2), F("double"))), S(M(f1, 2), F("double")), false},
		{"char[9]", one(S(A("char", 9)), T("char")), S(A("char", 9)), false},
		{"float[4]", one(S(A("float", 4))), S(A("float", 4)), false},
		{"{double, float} and {float, double}", one(S(F("double"), F("float")), S(F("float"), F("double"))), S(F("float"), F("double")), false},
		{"{short, char}", one(S(F("short"), F("char")), S(F("short"), F("char"))), S(F("short"), F("char")), false},
		{"_Bool members", one(S(F("_Bool"), F("_Bool"), F("_Bool"), F("float"))), S(F("_Bool"), F("float")), false},
		{"pointers in a struct", one(S(F("int *"), F("const double *"), F("wfn_t"), F("char *"))), S(F("void *"), F("int *")), false},
		{"empty struct (GNU C)", one(T("int"), empty, T("int")), empty, false},
		{"5 ints, {long,long} to memory, long in r9", cat(rep(T("int"), 5), one(ll, T("long"))), T("long"), false},
		{"7 doubles, {double,double} to memory, double in xmm7", cat(rep(T("double"), 7), one(dd, T("double"))), T("double"), false},
		{"7 doubles, {float,float,float} to memory, float in xmm7", cat(rep(T("double"), 7), one(fff, T("float"))), fff, false},
		{"sret: 5 longs, {long,long} to the stack, int", cat(rep(T("long"), 5), one(ll, T("int"))), l3, false},
		{"64 bytes and 19 more", cat(one(big), rep(T("double"), 9), rep(T("int"), 6), one(dd, ll, T("char"), T("float"))), big, false},
		{"20 {float,float}", rep(S(F("float"), F("float")), 20), S(F("float"), F("float")), false},
		{"Go int/uint for every integer width", one(T("unsigned char"), T("signed char"), T("unsigned short"), T("short"), T("unsigned int"), T("int"), T("long"), T("unsigned long")), T("short"), true},
		{"Go int/uint result from unsigned char", one(T("char")), T("unsigned char"), true},
		{"enums", one(T(packedEnum), T("enum we_s"), T("enum we_u"), T(packedEnum)), T(packedEnum), false},
	}
	if runtime.GOOS == "windows" {
		// An empty struct is a GNU C extension: MinGW makes it 0 bytes,
		// the Microsoft model (no such struct in its C) 4.
		for i, c := range cases {
			if c.name == "empty struct (GNU C)" {
				cases = slices.Delete(cases, i, i+1)
				break
			}
		}
		g.aggs = slices.DeleteFunc(g.aggs, func(t *wType) bool { return t == empty })
	}
	var sigs []*wSig
	for _, c := range cases {
		s := &wSig{}
		for _, p := range c.params {
			s.params = append(s.params, &wSlot{t: p, c: p.c, asInt: c.asInt && p.sc != nil && p.sc.kind == 'i'})
		}
		if c.result != nil {
			s.result = &wSlot{t: c.result, c: c.result.c, asInt: c.asInt && c.result.sc != nil && c.result.sc.kind == 'i'}
		}
		sigs = append(sigs, s)
	}
	b, err := buildWide(g, sigs, func(i int) *rand.Rand { return rand.New(rand.NewPCG(12, uint64(i))) })
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sigs {
		if err := b.check(i, s); err != nil {
			t.Errorf("%s: %s\n%s  %v", cases[i].name, s.decl("f"), sigDefs(s), err)
		}
	}
}

// TestConformanceWideDetects makes sure the checks can fail: one flipped
// bit in a value, in each direction, is reported.
func TestConformanceWideDetects(t *testing.T) {
	g := &wGen{r: rand.New(rand.NewPCG(13, 13)), special: 12}
	st := g.addAgg(&wType{kind: wStructKind, fields: []wField{{t: scalarNamed("float")}, {t: scalarNamed("char")}, {t: scalarNamed("double")}}}, "struct")
	s := &wSig{params: []*wSlot{{t: st, c: st.c}, {t: scalarNamed("int"), c: "int"}}, result: &wSlot{t: st, c: st.c}}
	b, err := buildWide(g, []*wSig{s}, func(int) *rand.Rand { return rand.New(rand.NewPCG(14, 14)) })
	if err != nil {
		t.Fatal(err)
	}
	if err := b.check(0, s); err != nil {
		t.Fatalf("unchanged: %v", err)
	}
	// flip changes one bit that the mask compares, in a copy.
	flip := func(v, mask []byte) []byte {
		v = append([]byte(nil), v...)
		for i := range v {
			if mask == nil || mask[i] != 0 {
				v[i] ^= 1
				return v
			}
		}
		t.Fatal("nothing to flip")
		return nil
	}
	for _, c := range []struct {
		what string
		slot *wSlot
		recv bool
		want string
	}{
		{"argument Go receives", s.params[0], true, "C -> Go: argument 1"},
		{"argument Go sends", s.params[1], false, "Go -> C: argument 2"},
		{"result Go returns", s.result, false, "C -> Go: C got the result"},
		{"result Go receives", s.result, true, "Go -> C: result"},
	} {
		old := *c.slot
		if c.recv {
			c.slot.recv = flip(c.slot.recv, c.slot.mask)
		} else {
			c.slot.send = flip(c.slot.send, c.slot.mask)
		}
		err := b.check(0, s)
		*c.slot = old
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s changed: %v, want an error with %q", c.what, err, c.want)
		}
	}
}
