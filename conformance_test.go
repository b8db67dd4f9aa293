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

// The ABI conformance test: random C signatures from the generator in
// conformance_gen_test.go are compiled with the C compiler ($CC, see
// internal/ctest) and every value is checked bit for bit in both
// directions, C calling a Go callback and Go calling C through Bind. A
// default run checks 2,000 signatures (a tenth under the race detector);
// size a run, reproduce it, or check one signature alone with
//
//	go test -run 'TestConformance$' -conformance.n=N -conformance.seed=S .
//	go test -run 'TestConformance$' -conformance.seed=S -conformance.only=K .
//
// ($FFI_CONFORMANCE_N and $FFI_CONFORMANCE_SEED set the same defaults.)
var (
	confSeed = flag.Uint64("conformance.seed", 0, "seed of the generated signatures (0: $FFI_CONFORMANCE_SEED, else from the clock)")
	confN    = flag.Int("conformance.n", 0, "number of generated signatures (0: $FFI_CONFORMANCE_N, else 2000)")
	confOnly = flag.Int("conformance.only", -1, "check only the signature of this index")
)

// confBatchSize signatures share one C library.
const confBatchSize = 200

// confDefault is the number of signatures of a default run.
const confDefault = 2000

func TestConformance(t *testing.T) {
	n := *confN
	if n == 0 {
		n = confDefault
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
	charSigned := ctest.CharSigned(t)
	if k := *confOnly; k >= 0 {
		t.Logf("conformance: signature %d of seed %d", k, seed)
		runBatch(t, seed, k/confBatchSize*confBatchSize, confBatchSize, k, charSigned, &confStats{})
		return
	}
	t.Logf("conformance: %d signatures from seed %d (reproduce: -conformance.seed=%d -conformance.n=%d)", n, seed, seed, n)
	failed := 0
	var st confStats
	for start := 0; start < n && failed <= 10; start += confBatchSize {
		failed += runBatch(t, seed, start, min(confBatchSize, n-start), -1, charSigned, &st)
	}
	t.Logf("checked: %d signatures, %d params, %d aggregates (%d unions, %d with bit-fields, %d packed), %d Go int/uint, %d results in memory",
		n, st.params, st.aggs, st.unions, st.bits, st.packed, st.asInt, st.sret)
}

// confStats counts what a run covered.
type confStats struct{ params, aggs, unions, bits, packed, asInt, sret int }

func (st *confStats) add(g *confGen, sigs []*confSig) {
	for _, a := range g.aggs {
		st.aggs++
		switch {
		case a.kind == unionKind:
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

// runBatch generates and checks the batch of count signatures starting at
// index start (only one of them if only >= 0); it returns the number of
// failures.
func runBatch(t *testing.T, seed uint64, start, count, only int, charSigned bool, st *confStats) int {
	t.Helper()
	g := &confGen{r: rand.New(rand.NewPCG(seed, uint64(start))), special: 12, shapes: seed ^ uint64(start)<<32, charSigned: charSigned}
	sigs := make([]*confSig, count)
	for i := range sigs {
		sigs[i] = g.signature()
	}
	b, err := buildBatch(g, sigs, func(i int) *rand.Rand { return rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15, uint64(start+i))) })
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
			t.Errorf("seed %d, signature %d: %s\n%s  %v\n  reproduce: go test -run 'TestConformance$' -conformance.seed=%d -conformance.only=%d .",
				seed, start+i, s.decl("f"), sigDefs(s), err, seed, start+i)
			if failed++; failed > 10 {
				break
			}
		}
	}
	return failed
}

// confBatch is a compiled batch.
type confBatch struct {
	g       *confGen
	sc      *ffi.Scope
	lib     *ffi.Library
	masks   map[int][]byte
	takeBad func() uint64
	last    []byte // what the last caller got from the callback
}

// buildBatch defines the batch's types in a new Scope, gives them Go types,
// fills the values (rng(i) for signature i), compiles the C side and loads
// the masks; it checks the layouts the Scope computed against the C
// compiler's.
func buildBatch(g *confGen, sigs []*confSig, rng func(int) *rand.Rand) (*confBatch, error) {
	sc, defs, err := newScopeFor(g)
	if err != nil {
		return nil, fmt.Errorf("Cdef of the generated types: %v\n%s", err, defs)
	}
	if err := g.goTypes(sc); err != nil {
		return nil, err
	}
	for i, s := range sigs {
		vg := &confGen{r: rng(i), special: g.special, charSigned: g.charSigned}
		vg.values(s)
	}
	so, err := ctest.Build(cSource(g, sigs), "-O2")
	if err != nil {
		return nil, err
	}
	lib, err := ffi.Open(so)
	if err != nil {
		return nil, err
	}
	b := &confBatch{g: g, sc: sc, lib: lib, masks: map[int][]byte{}}
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
	b.last = unsafe.Slice(*(**byte)(unsafe.Pointer(&last)), confLastSize)
	return b, nil
}

func (s *confSig) slots() []*confSlot {
	all := append([]*confSlot{}, s.params...)
	if s.result != nil {
		all = append(all, s.result)
	}
	return all
}

// check runs signature i in both directions.
func (b *confBatch) check(i int, s *confSig) error {
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
func sigDefs(s *confSig) string {
	var out []string
	seen := map[*confType]bool{}
	var walk func(t *confType)
	walk = func(t *confType) {
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

// TestConformanceCorpus checks hand-picked hard cases in both directions,
// with float leaves mostly special (signalling and quiet NaNs, -0,
// infinities, subnormals), and that long double is refused.
func TestConformanceCorpus(t *testing.T) {
	g := &confGen{r: rand.New(rand.NewPCG(11, 11)), special: 6, charSigned: ctest.CharSigned(t)}
	agg := func(t *confType, kw string) *confType { return g.addAgg(t, kw) }
	S := func(fs ...confField) *confType { return agg(&confType{kind: structKind, fields: fs}, "struct") }
	BS := func(fs ...confField) *confType {
		return agg(&confType{kind: structKind, fields: fs, opaque: true}, "struct")
	}
	P := func(aligned int, fs ...confField) *confType {
		return agg(&confType{kind: structKind, fields: fs, opaque: true, packed: true, aligned: aligned}, "struct")
	}
	U := func(fs ...confField) *confType {
		return agg(&confType{kind: unionKind, fields: fs, opaque: true}, "union")
	}
	F := func(c string) confField { return confField{t: scalarNamed(c)} }
	A := func(c string, n int) confField { return confField{t: scalarNamed(c), n: n} }
	B := func(c string, bits int) confField { return confField{t: scalarNamed(c), bits: bits, isBit: true} }
	Pad := func(c string, bits int) confField {
		return confField{name: "-", t: scalarNamed(c), bits: bits, isBit: true}
	}
	M := func(t *confType, n int) confField { return confField{t: t, n: n} }
	T := scalarNamed
	rep := func(t *confType, n int) []*confType {
		var ts []*confType
		for range n {
			ts = append(ts, t)
		}
		return ts
	}
	cat := func(parts ...[]*confType) []*confType {
		var ts []*confType
		for _, p := range parts {
			ts = append(ts, p...)
		}
		return ts
	}
	one := func(ts ...*confType) []*confType { return ts }

	f1 := S(F("float"))
	ll := S(F("long"), F("long"))
	dd := S(F("double"), F("double"))
	fff := S(F("float"), F("float"), F("float"))
	big := S(A("double", 8)) // 64 bytes
	l3 := S(F("long"), F("long"), F("long"))
	ff := S(F("float"), F("float"))
	fi := S(F("float"), F("int"))
	b24 := S(F("long"), F("double"), F("int"))
	empty := S()
	packedEnum := "enum we_p"
	cases := []struct {
		name   string
		params []*confType
		result *confType
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
		{"div_t", one(T("int"), T("int")), S(F("int"), F("int")), false},
		{"ldiv_t, timespec", one(ll, ll), ll, false},
		{"{float, float}", one(ff, ff), ff, false},
		{"{float, float, float} and int", one(fff, T("int")), fff, false},
		{"{double, double}", one(dd, dd), dd, false},
		{"{float, int}", one(fi, ff, fi), fi, false},
		{"char[3]", one(S(A("char", 3)), S(A("char", 3))), S(A("char", 3)), false},
		{"char[17] (memory)", one(S(A("char", 17)), T("int")), S(A("char", 17)), false},
		{"{long, double, int} (memory)", one(b24, b24), b24, false},
		{"{char, int[3]}", one(S(F("char"), A("int", 3))), S(F("char"), A("int", 3)), false},
		{"{struct{float}, double}", one(S(M(f1, 0), F("double")), S(M(f1, 0), F("double"))), S(M(f1, 0), F("double")), false},
		{"union{float; int}", one(U(F("float"), F("int")), U(F("float"), F("int")), T("float")), U(F("float"), F("int")), false},
		{"registers run out: all or nothing", cat(rep(T("int"), 7), one(dd, fi)), dd, false},
		{"no vector register left for {double, double}", cat(rep(T("double"), 8), one(dd, T("int"))), dd, false},
		{"the result pointer shifts the integer registers", cat(rep(T("int"), 6), one(T("double"))), b24, false},
		{"{float, int} needs one of each, one integer register left", cat(rep(T("int"), 5), one(fi)), fi, false},
	}
	var sigs []*confSig
	for _, c := range cases {
		s := &confSig{}
		for _, p := range c.params {
			s.params = append(s.params, &confSlot{t: p, c: p.c, asInt: c.asInt && p.sc != nil && p.sc.kind == 'i'})
		}
		if c.result != nil {
			s.result = &confSlot{t: c.result, c: c.result.c, asInt: c.asInt && c.result.sc != nil && c.result.sc.kind == 'i'}
		}
		sigs = append(sigs, s)
	}
	b, err := buildBatch(g, sigs, func(i int) *rand.Rand { return rand.New(rand.NewPCG(12, uint64(i))) })
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sigs {
		if err := b.check(i, s); err != nil {
			t.Errorf("%s: %s\n%s  %v", cases[i].name, s.decl("f"), sigDefs(s), err)
		}
	}
	// long double is refused with a clear error, in a struct too.
	sc := ffi.NewScope()
	if err := sc.Cdef("struct corpus_ld { long double v; };"); err != nil {
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
		if _, err := sc.NewCallback(c.decl, c.fn); err == nil || !strings.Contains(err.Error(), "long double") {
			t.Errorf("NewCallback(%q): %v, want a long double error", c.decl, err)
		}
		fn := reflect.New(reflect.TypeOf(c.fn))
		if err := sc.Bind(fn.Interface(), 1, c.decl); err == nil || !strings.Contains(err.Error(), "long double") {
			t.Errorf("Bind(%q): %v, want a long double error", c.decl, err)
		}
	}
}

// TestConformanceDetects makes sure the checks can fail: one flipped
// bit in a value, in each direction, is reported.
func TestConformanceDetects(t *testing.T) {
	g := &confGen{r: rand.New(rand.NewPCG(13, 13)), special: 12, charSigned: ctest.CharSigned(t)}
	st := g.addAgg(&confType{kind: structKind, fields: []confField{{t: scalarNamed("float")}, {t: scalarNamed("char")}, {t: scalarNamed("double")}}}, "struct")
	s := &confSig{params: []*confSlot{{t: st, c: st.c}, {t: scalarNamed("int"), c: "int"}}, result: &confSlot{t: st, c: st.c}}
	b, err := buildBatch(g, []*confSig{s}, func(int) *rand.Rand { return rand.New(rand.NewPCG(14, 14)) })
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
		slot *confSlot
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
