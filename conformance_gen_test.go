package ffi_test

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// The conformance generator (TestConformance in conformance_test.go runs
// it). A signature has 0-20 parameters and maybe a result, each a C scalar
// or an aggregate of at most 64 bytes: structs of scalars, arrays and
// nested aggregates (arrays of structs too), structs with bit-fields
// (unnamed and zero-width ones too), unions of scalars, arrays, structs and
// packed structs (sometimes with an aligned attribute; inside unions, the
// only place Go can hold them), enums (packed ones included),
// const-qualified parameters, every C pointer spelling against
// unsafe.Pointer, Go pointers and uintptr, Go int and uint for any C
// integer (checked as C converts: extended on the way in, truncated on the
// way out, with garbage in the high bits of what Go sends), and
// float/double leaves with every bit pattern that matters (NaN payloads,
// signalling NaNs, -0, infinities, subnormals, full mantissas).
//
// It is target-neutral: the signedness of plain char comes from the C
// compiler, the size of long from the target's data model, and the C
// source uses only what GCC and Clang accept for every supported target.
//
// Every value is compared bit for bit, under a mask that the C compiler
// computes for each aggregate (every byte and bit-field bit of every
// member, no padding), on both sides: in C with the mask, in Go with the
// same mask fetched from the library.

// confScalar is a C scalar type and the Go type that holds it exactly.
type confScalar struct {
	c      string
	gt     reflect.Type
	signed bool
	kind   byte // 'i' integer, 'b' _Bool, 'f' float, 'd' double, 'p' pointer, 'e' enum
}

var (
	tInt8    = reflect.TypeFor[int8]()
	tUint8   = reflect.TypeFor[uint8]()
	tInt16   = reflect.TypeFor[int16]()
	tUint16  = reflect.TypeFor[uint16]()
	tInt32   = reflect.TypeFor[int32]()
	tUint32  = reflect.TypeFor[uint32]()
	tInt64   = reflect.TypeFor[int64]()
	tUint64  = reflect.TypeFor[uint64]()
	tUintptr = reflect.TypeFor[uintptr]()
	tUnsafe  = reflect.TypeFor[unsafe.Pointer]()
	// long and unsigned long are 8 bytes on LP64 targets, 4 on Windows.
	tLong, tULong = longTypes(ctype.Host().LongSize)
)

func longTypes(size int) (reflect.Type, reflect.Type) {
	if size == 4 {
		return tInt32, tUint32
	}
	return tInt64, tUint64
}

// confEnums are defined in every batch: a signed and an unsigned int enum and
// a packed (one byte) enum.
var confEnums = `enum we_s { WE_S_NEG = -5, WE_S_POS = 7 };
enum we_u { WE_U_BIG = 3000000000u };
enum __attribute__((packed)) we_p { WE_P_A = 1, WE_P_B = 200 };
typedef void (*wfn_t)(void);
`

var confScalars = []confScalar{
	{"char", tInt8, true, 'i'}, // signed or not: confGen.charSigned
	{"signed char", tInt8, true, 'i'},
	{"unsigned char", tUint8, false, 'i'},
	{"short", tInt16, true, 'i'},
	{"unsigned short", tUint16, false, 'i'},
	{"int", tInt32, true, 'i'},
	{"unsigned int", tUint32, false, 'i'},
	{"long", tLong, true, 'i'},
	{"unsigned long", tULong, false, 'i'},
	{"long long", tInt64, true, 'i'},
	{"unsigned long long", tUint64, false, 'i'},
	{"_Bool", reflect.TypeFor[bool](), false, 'b'},
	{"float", reflect.TypeFor[float32](), true, 'f'},
	{"float", reflect.TypeFor[float32](), true, 'f'},
	{"double", reflect.TypeFor[float64](), true, 'd'},
	{"double", reflect.TypeFor[float64](), true, 'd'},
	{"void *", tUintptr, false, 'p'},
	{"char *", tUnsafe, false, 'p'},
	{"int *", reflect.TypeFor[*int32](), false, 'p'},
	{"const double *", reflect.TypeFor[*float64](), false, 'p'},
	{"wfn_t", tUnsafe, false, 'p'},
	{"enum we_s", tInt32, true, 'e'},
	{"enum we_u", tUint32, false, 'e'},
	{"enum we_p", tUint8, false, 'e'},
}

// confLastSize is the size of xlast, where the C checks leave the bytes they
// compared last (for failure messages).
const confLastSize = 1024

// confBitTypes are the declared types of bit-fields.
var confBitTypes = []string{"char", "unsigned char", "short", "unsigned short", "int", "unsigned int", "long", "unsigned long", "long long", "unsigned long long"}

type confKind byte

const (
	scalarKind confKind = iota
	structKind
	unionKind
)

// confType is a generated C type.
type confType struct {
	kind    confKind
	c       string // spelling: "int", "struct ws_3"
	sc      *confScalar
	fields  []confField
	packed  bool
	aligned int  // __attribute__((aligned(N))) on the type, 0 if none
	opaque  bool // held by a Go type of the same size and alignment only
	id      int  // aggregate number (mask function xm_<id>)
	goT     reflect.Type
	size    int
	align   int
}

// confField is a member: a plain member, an array of n, or a bit-field.
type confField struct {
	name  string // "" for an unnamed bit-field
	t     *confType
	n     int // array length, 0 for none
	bits  int // bit-field width
	isBit bool
}

// confGen generates the types and signatures of one batch.
type confGen struct {
	r       *rand.Rand
	aggs    []*confType // every aggregate, dependencies first
	special int         // 1 in special float leaves gets a special bit pattern
	shapes  uint64      // seed of the shapes of opaque Go types (per aggregate)
	// charSigned: plain char is signed for the C compiler (on x86-64,
	// not on arm64 Linux).
	charSigned bool
}

func (g *confGen) pick(n int) int { return g.r.IntN(n) }

func (g *confGen) scalar() *confType {
	s := &confScalars[g.pick(len(confScalars))]
	return &confType{kind: scalarKind, c: s.c, sc: s}
}

func scalarNamed(c string) *confType {
	for i := range confScalars {
		if confScalars[i].c == c {
			return &confType{kind: scalarKind, c: c, sc: &confScalars[i]}
		}
	}
	panic("no scalar " + c)
}

func (g *confGen) addAgg(t *confType, kw string) *confType {
	t.id = len(g.aggs)
	t.c = fmt.Sprintf("%s w%s_%d", kw, kw[:1], t.id)
	t.nameFields()
	g.aggs = append(g.aggs, t)
	return t
}

// member makes a random member for an aggregate at depth.
func (g *confGen) member(depth int) confField {
	switch k := g.pick(12); {
	case k == 0 && depth < 2:
		f := confField{t: g.aggregate(depth + 1)}
		if g.pick(3) == 0 {
			f.n = 1 + g.pick(3)
		}
		return f
	case k == 1:
		return confField{t: g.scalar(), n: 1 + g.pick(4)}
	default:
		return confField{t: g.scalar()}
	}
}

// maxAggSize bounds the size of generated aggregates.
const maxAggSize = 64

// aggregate makes a random struct or union of 1-6 members, of at most
// maxAggSize bytes.
func (g *confGen) aggregate(depth int) *confType {
	for {
		n := len(g.aggs)
		t := g.anyAggregate(depth)
		if t.est() <= maxAggSize {
			return t
		}
		g.aggs = g.aggs[:n] // too big: drop it and what it defined
	}
}

// est is an upper bound of the size of t.
func (t *confType) est() int {
	if t.sc != nil {
		return int(t.sc.gt.Size())
	}
	size := 0
	for _, f := range t.fields {
		fs := f.t.est() * max(f.n, 1)
		if t.kind == unionKind {
			size = max(size, fs)
		} else {
			size += fs + 7
		}
	}
	if t.aligned > 0 {
		size += t.aligned
	}
	return size
}

func (g *confGen) anyAggregate(depth int) *confType {
	switch k := g.pick(10); {
	case k < 2:
		return g.union(depth)
	case k < 4:
		return g.bitStruct()
	}
	t := &confType{kind: structKind}
	for i, n := 0, 1+g.pick(6); i < n; i++ {
		t.fields = append(t.fields, g.member(depth))
	}
	return g.addAgg(t, "struct")
}

// bitStruct makes a struct mixing bit-fields (unnamed and zero-width ones
// too) with plain scalar members.
func (g *confGen) bitStruct() *confType {
	t := &confType{kind: structKind, opaque: true}
	named := false
	for i, n := 0, 1+g.pick(6); i < n; i++ {
		if g.pick(3) == 0 {
			t.fields = append(t.fields, confField{t: g.scalar()})
			continue
		}
		bt := scalarNamed(confBitTypes[g.pick(len(confBitTypes))])
		w := 1 + g.pick(int(bt.sc.gt.Size())*8)
		f := confField{t: bt, bits: w, isBit: true}
		if g.pick(6) == 0 {
			f.name = "-" // unnamed: padding bits
			if g.pick(2) == 0 {
				f.bits = 0
			}
		} else {
			named = true
		}
		t.fields = append(t.fields, f)
	}
	if !named {
		t.fields = append(t.fields, confField{t: scalarNamed("int"), bits: 1 + g.pick(31), isBit: true})
	}
	return g.addAgg(t, "struct")
}

// union makes a union of scalars, arrays, structs and packed structs.
func (g *confGen) union(depth int) *confType {
	t := &confType{kind: unionKind, opaque: true}
	for i, n := 0, 1+g.pick(4); i < n; i++ {
		if g.pick(4) == 0 {
			t.fields = append(t.fields, confField{t: g.packedStruct()})
			continue
		}
		t.fields = append(t.fields, g.member(depth))
	}
	return g.addAgg(t, "union")
}

// packedStruct makes a packed struct of scalars, sometimes with an aligned
// attribute on the type or on a member. It may only appear inside unions.
func (g *confGen) packedStruct() *confType {
	t := &confType{kind: structKind, opaque: true, packed: true}
	for i, n := 0, 1+g.pick(5); i < n; i++ {
		f := confField{t: g.scalar()}
		if g.pick(6) == 0 {
			f.n = 1 + g.pick(3)
		}
		t.fields = append(t.fields, f)
	}
	if g.pick(4) == 0 {
		t.aligned = 1 << g.pick(4)
	}
	return g.addAgg(t, "struct")
}

// def is the C definition of aggregate t.
func (t *confType) def() string {
	var b strings.Builder
	kw, tag, _ := strings.Cut(t.c, " ")
	b.WriteString(kw)
	if t.packed {
		b.WriteString(" __attribute__((packed))")
	}
	if t.aligned > 0 {
		fmt.Fprintf(&b, " __attribute__((aligned(%d)))", t.aligned)
	}
	b.WriteString(" " + tag + " {")
	for _, f := range t.fields {
		switch {
		case f.isBit && f.name == "-":
			fmt.Fprintf(&b, " %s :%d;", f.t.c, f.bits)
		case f.isBit:
			fmt.Fprintf(&b, " %s %s :%d;", f.t.c, f.name, f.bits)
		case f.n > 0:
			fmt.Fprintf(&b, " %s %s[%d];", f.t.c, f.name, f.n)
		default:
			fmt.Fprintf(&b, " %s %s;", f.t.c, f.name)
		}
	}
	b.WriteString(" };")
	return b.String()
}

// name gives the members their names once the type is complete.
func (t *confType) nameFields() {
	for i := range t.fields {
		if t.fields[i].name != "-" {
			t.fields[i].name = "f" + strconv.Itoa(i)
		}
	}
}

// confSlot is one value crossing the boundary: a parameter or a result.
type confSlot struct {
	t     *confType
	c     string       // spelling in the declaration (maybe const-qualified)
	goT   reflect.Type // Go type in the func type (t.goT, or int/uint)
	cb    []byte       // the bytes C sends and expects
	recv  []byte       // the bytes Go must receive
	send  []byte       // the bytes Go sends
	mask  []byte       // compare recv under this mask (nil: all bits)
	asInt bool         // Go int/uint for a C integer
}

// confSig is one generated signature.
type confSig struct {
	params []*confSlot
	result *confSlot // nil: void
}

func (s *confSig) decl(name string) string {
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

func (s *confSig) funcType() reflect.Type {
	var in, out []reflect.Type
	for _, p := range s.params {
		in = append(in, p.goT)
	}
	if s.result != nil {
		out = append(out, s.result.goT)
	}
	return reflect.FuncOf(in, out, false)
}

func (g *confGen) valueType() *confType {
	if g.pick(3) == 0 {
		return g.aggregate(0)
	}
	return g.scalar()
}

func (g *confGen) slot(t *confType, param bool) *confSlot {
	s := &confSlot{t: t, c: t.c}
	if param && g.pick(10) == 0 {
		s.c = "const " + t.c
	}
	if t.sc != nil && t.sc.kind == 'i' && g.pick(6) == 0 {
		s.asInt = true
	}
	return s
}

// signature makes a random signature (types only; values come once the
// layouts are known).
func (g *confGen) signature() *confSig {
	s := &confSig{}
	for i, n := 0, g.pick(21); i < n; i++ {
		s.params = append(s.params, g.slot(g.valueType(), true))
	}
	if g.pick(8) != 0 {
		s.result = g.slot(g.valueType(), false)
	}
	return s
}

// layout is what the batch's Scope says about the aggregates.
type layout interface {
	Sizeof(string) (int, error)
	Alignof(string) (int, error)
}

// goTypes gives every aggregate its Go type: a struct of the same layout,
// or for opaque ones a Go type of the same size and alignment.
func (g *confGen) goTypes(sc layout) error {
	for _, t := range g.aggs {
		size, err := sc.Sizeof(t.c)
		if err != nil {
			return err
		}
		align, err := sc.Alignof(t.c)
		if err != nil {
			return err
		}
		t.size, t.align = size, align
		if t.opaque {
			// A stream per aggregate: the shapes do not depend on how
			// many signatures the batch has.
			t.goT = opaqueType(rand.New(rand.NewPCG(g.shapes, uint64(t.id))), size, align)
			continue
		}
		var fs []reflect.StructField
		for i, f := range t.fields {
			ft := goTypeOf(f.t)
			if f.n > 0 {
				ft = reflect.ArrayOf(f.n, ft)
			}
			fs = append(fs, reflect.StructField{Name: "F" + strconv.Itoa(i), Type: ft})
		}
		t.goT = reflect.StructOf(fs)
	}
	return nil
}

func goTypeOf(t *confType) reflect.Type {
	if t.sc != nil {
		return t.sc.gt
	}
	return t.goT
}

// opaqueType returns a Go type of the given size and alignment, of one of
// several shapes.
func opaqueType(r *rand.Rand, size, align int) reflect.Type {
	unit := map[int]reflect.Type{1: tUint8, 2: tUint16, 4: tUint32, 8: tUint64}[align]
	if unit == nil || size%align != 0 {
		// Not expressible in Go: the test reports the mismatch Bind finds.
		return reflect.ArrayOf(size, tUint8)
	}
	switch k := r.IntN(3); {
	case size == align && k == 0:
		return unit
	case size > align && k == 1:
		return reflect.StructOf([]reflect.StructField{
			{Name: "Lo", Type: unit},
			{Name: "Hi", Type: reflect.ArrayOf(size-align, tUint8)},
		})
	}
	return reflect.ArrayOf(size/align, unit)
}

// values fills every slot of s with random bytes that are valid for its
// type, and works out what each side must see.
func (g *confGen) values(s *confSig) {
	for _, sl := range s.slots() {
		t := sl.t
		size := int(goTypeOf(t).Size())
		sl.cb = make([]byte, size)
		g.fill(t, sl.cb)
		switch {
		case sl.asInt:
			var x uint64
			switch size {
			case 1:
				x = uint64(sl.cb[0])
			case 2:
				x = uint64(binary.LittleEndian.Uint16(sl.cb))
			case 4:
				x = uint64(binary.LittleEndian.Uint32(sl.cb))
			default:
				x = binary.LittleEndian.Uint64(sl.cb)
			}
			signed := t.sc.signed
			if t.sc.c == "char" {
				signed = g.charSigned
			}
			if signed && size < 8 && x>>(size*8-1)&1 == 1 {
				x |= ^uint64(0) << (size * 8)
			}
			sl.recv = binary.LittleEndian.AppendUint64(nil, x)
			if size < 8 {
				x ^= g.r.Uint64() << (size * 8) // C drops these bits
			}
			sl.send = binary.LittleEndian.AppendUint64(nil, x)
			if g.pick(2) == 0 {
				sl.goT = reflect.TypeFor[int]()
			} else {
				sl.goT = reflect.TypeFor[uint]()
			}
		default:
			sl.goT = goTypeOf(t)
			sl.recv, sl.send = sl.cb, sl.cb
		}
	}
}

// fill writes random bytes for a value of type t into b.
func (g *confGen) fill(t *confType, b []byte) {
	if t.sc == nil {
		// Aggregates: random bytes everywhere, then valid leaves where a
		// leaf has constraints. Bit-field structs and unions of scalars
		// only need bytes; plain struct members are filled per field.
		for i := range b {
			b[i] = byte(g.r.Uint32())
		}
		g.fixLeaves(t, b)
		return
	}
	g.fillScalar(t.sc, b)
}

// fixLeaves makes the leaves of plain struct t valid: _Bool 0 or 1, float
// patterns chosen with care. Opaque aggregates keep their random bytes
// except for _Bool members of packed structs and unions' bool members,
// whose bytes C only ever copies.
func (g *confGen) fixLeaves(t *confType, b []byte) {
	if t.opaque {
		return
	}
	off := 0
	for _, f := range t.fields {
		ft := goTypeOf(f.t)
		a := ft.Align()
		off = (off + a - 1) / a * a
		n := max(f.n, 1)
		for k := 0; k < n; k++ {
			sub := b[off : off+int(ft.Size())]
			if f.t.sc != nil {
				g.fillScalar(f.t.sc, sub)
			} else {
				g.fixLeaves(f.t, sub)
			}
			off += int(ft.Size())
		}
	}
}

// fillScalar writes a random valid value of scalar s into b.
func (g *confGen) fillScalar(s *confScalar, b []byte) {
	switch s.kind {
	case 'b':
		b[0] = byte(g.pick(2))
	case 'f':
		binary.LittleEndian.PutUint32(b, g.f32())
	case 'd':
		binary.LittleEndian.PutUint64(b, g.f64())
	case 'p':
		// Addresses no Go heap can hold (non-canonical on amd64), so that
		// Go pointer types may carry them; sometimes nil.
		var p uint64
		if g.pick(8) != 0 {
			p = g.r.Uint64()&0x7fff_ffff_ffff_fff8 | 0x0000_8000_0000_0000
		}
		binary.LittleEndian.PutUint64(b, p)
	default:
		x := g.r.Uint64()
		for i := range b {
			b[i] = byte(x >> (8 * i))
		}
	}
}

// f32 returns a float's bits: often a special pattern.
func (g *confGen) f32() uint32 {
	sign := uint32(g.pick(2)) << 31
	x := g.r.Uint32()
	switch g.pick(g.special) {
	case 0:
		return sign // ±0
	case 1:
		return sign | 0x7f80_0000 // ±Inf
	case 2:
		return sign | 0x7fc0_0000 | x&0x3f_ffff // quiet NaN with payload
	case 3:
		return sign | 0x7f80_0000 | (x&0x3f_ffff | 1) // signalling NaN
	case 4:
		return sign | x&0x7f_ffff // subnormal
	}
	return sign | uint32(1+g.pick(254))<<23 | x&0x7f_ffff
}

// f64 returns a double's bits: often a special pattern.
func (g *confGen) f64() uint64 {
	sign := uint64(g.pick(2)) << 63
	x := g.r.Uint64()
	const exp = 0x7ff0_0000_0000_0000
	const frac = 0x000f_ffff_ffff_ffff
	switch g.pick(g.special) {
	case 0:
		return sign
	case 1:
		return sign | exp
	case 2:
		return sign | exp | 1<<51 | x&(frac>>1)
	case 3:
		return sign | exp | (x&(frac>>1) | 1)
	case 4:
		return sign | x&frac
	}
	return sign | uint64(1+g.pick(2046))<<52 | x&frac
}

// cSource writes the C side of a batch: the type definitions, a mask
// table per aggregate (xmk_<id>, filled when the library loads), a layout
// table, and per signature a
// caller call_<i>(cb) that calls a callback with the constant arguments and
// returns 1 if the result is right, and a callee callee_<i>(...) that
// records in a bit set which of its arguments arrived wrong and returns
// the constant result.
func cSource(g *confGen, sigs []*confSig) string {
	var b strings.Builder
	b.WriteString("#include <string.h>\n#include <stddef.h>\n#include <stdbool.h>\n")
	b.WriteString(confEnums)
	fmt.Fprintf(&b, `unsigned long long xbad;
unsigned char xlast[%d];
unsigned long long xtake_bad(void) { unsigned long long n = xbad; xbad = 0; return n; }
static void xor_into(unsigned char *m, const void *s, size_t n) { const unsigned char *p = s; for (size_t i = 0; i < n; i++) m[i] |= p[i]; }
static __attribute__((noinline)) int xeq(const void *a, const void *b, const unsigned char *m, size_t n) {
	memcpy(xlast, a, n < sizeof xlast ? n : sizeof xlast);
	const unsigned char *p = a, *q = b;
	for (size_t i = 0; i < n; i++) if ((p[i] ^ q[i]) & (m ? m[i] : 0xff)) return 0;
	return 1;
}
`, confLastSize)
	for _, t := range g.aggs {
		b.WriteString(t.def() + "\n")
	}
	for _, t := range g.aggs {
		fmt.Fprintf(&b, "unsigned char xmk_%d[sizeof(%s)];\n", t.id, t.c)
		fmt.Fprintf(&b, "static __attribute__((optimize(\"O0\"))) void xm_%d(unsigned char *m) {\n", t.id)
		for _, f := range t.fields {
			switch {
			case f.isBit && f.name == "-":
			case f.isBit:
				fmt.Fprintf(&b, "\t{ %s s; memset(&s, 0, sizeof s); s.%s = 0; s.%s--; xor_into(m, &s, sizeof s); }\n", t.c, f.name, f.name)
			case f.t.sc != nil:
				fmt.Fprintf(&b, "\tmemset(m + offsetof(%s, %s), 0xff, sizeof(((%s *)0)->%s));\n", t.c, f.name, t.c, f.name)
			default:
				fmt.Fprintf(&b, "\tfor (int k = 0; k < %d; k++) xm_%d(m + offsetof(%s, %s) + k * sizeof(%s));\n", max(f.n, 1), f.t.id, t.c, f.name, f.t.c)
			}
		}
		b.WriteString("}\n")
	}
	b.WriteString("static __attribute__((constructor, optimize(\"O0\"))) void xinit(void) {\n")
	for _, t := range g.aggs {
		fmt.Fprintf(&b, "\txm_%d(xmk_%d);\n", t.id, t.id)
	}
	b.WriteString("}\n")
	b.WriteString("void xlayout(unsigned long long *out) {\n")
	for i, t := range g.aggs {
		fmt.Fprintf(&b, "\tout[%d] = sizeof(%s); out[%d] = _Alignof(%s);\n", 2*i, t.c, 2*i+1, t.c)
	}
	b.WriteString("}\n")
	maskArg := func(t *confType) string {
		if t.sc != nil {
			return "0"
		}
		return fmt.Sprintf("xmk_%d", t.id)
	}
	for i, s := range sigs {
		for k, p := range s.params {
			fmt.Fprintf(&b, "static const unsigned char c%d_%d[] = {%s};\n", i, k, byteList(p.cb))
		}
		if s.result != nil {
			fmt.Fprintf(&b, "static const unsigned char c%d_r[] = {%s};\n", i, byteList(s.result.cb))
		}
		var consts strings.Builder
		var args []string
		for k, p := range s.params {
			fmt.Fprintf(&consts, "\t%s a%d; memcpy(&a%d, c%d_%d, sizeof a%d);\n", p.t.c, k, k, i, k, k)
			args = append(args, fmt.Sprintf("a%d", k))
		}
		// caller
		fmt.Fprintf(&b, "int call_%d(%s) {\n%s", i, s.decl("(*cb)"), consts.String())
		if s.result != nil {
			fmt.Fprintf(&b, "\t%s got = cb(%s);\n\treturn xeq(&got, c%d_r, %s, sizeof got);\n}\n", s.result.t.c, strings.Join(args, ", "), i, maskArg(s.result.t))
		} else {
			fmt.Fprintf(&b, "\tcb(%s);\n\treturn 1;\n}\n", strings.Join(args, ", "))
		}
		// callee
		fmt.Fprintf(&b, "%s {\n", s.decl(fmt.Sprintf("callee_%d", i)))
		for k, p := range s.params {
			fmt.Fprintf(&b, "\tif (!xeq(&p%d, c%d_%d, %s, sizeof p%d)) xbad |= 1ull << %d;\n", k, i, k, maskArg(p.t), k, k)
		}
		if s.result != nil {
			fmt.Fprintf(&b, "\t%s want; memcpy(&want, c%d_r, sizeof want);\n\treturn want;\n", s.result.t.c, i)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

func byteList(b []byte) string {
	if len(b) == 0 {
		return "0"
	}
	var s []string
	for _, c := range b {
		s = append(s, strconv.Itoa(int(c)))
	}
	return strings.Join(s, ",")
}

// valueOf builds a Go value of type t from its bytes.
func valueOf(t reflect.Type, b []byte) reflect.Value {
	v := reflect.New(t)
	copy(unsafe.Slice((*byte)(v.UnsafePointer()), t.Size()), b)
	return v.Elem()
}

// bytesOf returns the bytes of a Go value.
func bytesOf(v reflect.Value) []byte {
	p := reflect.New(v.Type())
	p.Elem().Set(v)
	return append([]byte(nil), unsafe.Slice((*byte)(p.UnsafePointer()), v.Type().Size())...)
}

// maskedEqual compares a and b under mask m (nil: every bit).
func maskedEqual(a, b, m []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		mk := byte(0xff)
		if m != nil {
			mk = m[i]
		}
		if (a[i]^b[i])&mk != 0 {
			return false
		}
	}
	return true
}

// newScopeFor makes a Scope holding the batch's types.
func newScopeFor(g *confGen) (*ffi.Scope, string, error) {
	var defs strings.Builder
	defs.WriteString(confEnums)
	for _, t := range g.aggs {
		defs.WriteString(t.def() + "\n")
	}
	sc := ffi.NewScope()
	return sc, defs.String(), sc.Cdef(defs.String())
}
