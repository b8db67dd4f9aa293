package upcall

import (
	"math"
	"reflect"
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/goabi"
)

// fastPathOK reports whether calling Go funcs through erased func types
// delivers their arguments and results correctly on this toolchain: Go's
// register ABI as the erased calls assume it (fastPathWorks) and the
// general invokers with the register model of package goabi
// (generalPathWorks). It is decided once at start-up by calling real funcs
// of mixed shapes. (Movers have their own probe, moversOK, run at the
// first callback that can use them.)
var fastPathOK = fastPathWorks() && generalPathWorks(archGoInts, archGoFloats)

// erasedFunc is a call loading amd64's 9 integer and 15 floating-point
// argument registers, the general call's (callgo.go) without a block: Go's
// register ABI (ABIInternal on amd64 and arm64) assigns integer-class and
// float-class words to two register sequences independently, in order,
// so a func using at most 9 integer and 15 floating-point argument
// registers receives exactly the registers a call of this type loads; the
// extra ones are ignored by the callee, and its results are in the result
// registers of the same classes. fastPathWorks calls real funcs through
// it.
type erasedFunc func(i0, i1, i2, i3, i4, i5, i6, i7, i8 uint64,
	f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, f12, f13, f14 float64) (uint64, float64)

// eraseFunc reinterprets the func value fn as an erasedFunc.
func eraseFunc(fn any) erasedFunc {
	var e erasedFunc
	*(*unsafe.Pointer)(unsafe.Pointer(&e)) = funcValue(fn)
	return e
}

//go:noinline
func fastProbeMixed(a int8, x float32, b uint16, y float64, c int32, p unsafe.Pointer, d bool, e int64, f uint64) float64 {
	s := float64(a) + float64(x) + float64(b) + y + float64(c) + float64(uintptr(p)) + float64(e) + float64(f)
	if d {
		s = -s
	}
	return s
}

//go:noinline
func fastProbeSmall(a uint16, x float32, b int8) int16 {
	return int16(a)*100 + int16(x*10) + int16(b)
}

//go:noinline
func fastProbeInts(a, b, c, d, e, f, g, h, i int32) int32 {
	return a - b + c - d + e - f + g - h + i*1000
}

//go:noinline
func fastProbeFloats(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o float32) float32 {
	return a + 2*b + 3*c + 4*d + 5*e + 6*f + 7*g + 8*h + 9*i + 10*j + 11*k + 12*l + 13*m + 14*n + 15*o
}

func fastPathWorks() bool {
	f32 := func(v float32) float64 { return math.Float64frombits(uint64(math.Float32bits(v))) }
	neg8 := int8(-3)
	// ints in order: a b c p d e f (then two ignored); floats: x y.
	_, r := eraseFunc(fastProbeMixed)(uint64(neg8), 7, 1000, 0, 1, 8, 1<<40, 99, 99,
		f32(0.5), 2.25, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if r != fastProbeMixed(-3, 0.5, 7, 2.25, 1000, nil, true, 8, 1<<40) {
		return false
	}
	// A short erased shape (as invokeSmall's): exactly the callee's own
	// register count.
	small := fastProbeSmall
	fv := (*[2]unsafe.Pointer)(unsafe.Pointer(&small))[0]
	si, _ := (*(*func(uint64, uint64, float64) (uint64, float64))(unsafe.Pointer(&fv)))(0xdead_0000_0005, uint64(neg8), f32(2.5))
	if int16(si) != fastProbeSmall(5, 2.5, -3) {
		return false
	}
	m9 := uint64(0xffffffff_00000000)
	ri, _ := eraseFunc(fastProbeInts)(m9|1, m9|2, m9|3, m9|4, m9|5, m9|6, m9|7, m9|8, m9|9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
	if int32(ri) != fastProbeInts(1, 2, 3, 4, 5, 6, 7, 8, 9) {
		return false
	}
	var fs [15]float64
	for i := range fs {
		fs[i] = f32(float32(i + 1))
	}
	_, rf := eraseFunc(fastProbeFloats)(0, 0, 0, 0, 0, 0, 0, 0, 0, fs[0], fs[1], fs[2], fs[3], fs[4], fs[5], fs[6], fs[7], fs[8], fs[9], fs[10], fs[11], fs[12], fs[13], fs[14])
	return math.Float32frombits(uint32(math.Float64bits(rf))) == fastProbeFloats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
}

// The general path's probes: register-assigned structs mixing the two
// classes (the small erased call, and the full one), stack-assigned
// arguments and results, scalars past the last register, a string, and a
// block larger than the func's own.
type (
	probeS1 struct {
		X float32
		Y int16
		Z float64
		P *byte
	}
	probeS2 struct {
		D [1]float64
		E bool
	}
	probeR1 struct {
		A float64
		B int8
		C float32
		D uint64
	}
	probeS3 struct {
		C [3]byte
		D int32
	}
	probeS4 struct{ A [2]int64 }
	probeR2 struct {
		R [3]int32
		S float32
	}
	probeBig struct{ A [40]uint32 }
	probeF5  struct{ A, B, C, D, E float32 }
	probeR4  struct {
		P, Q, R int64
		S       float64
	}
	probeR3 struct {
		A, B uint8
		D    int32
	}
)

//go:noinline
func probeRegs(a int8, s probeS1, b uint32, c probeS2) probeR1 {
	r := probeR1{A: s.Z*2 + c.D[0], B: a - 1, C: s.X * 3, D: uint64(b)<<8 | uint64(s.Y)&0xff}
	if c.E {
		r.D |= 1 << 63
	}
	if s.P != nil {
		r.A += float64(*s.P)
	}
	return r
}

//go:noinline
func probeStack(p probeS3, x float64, q probeS4, n int16, s string) probeR2 {
	return probeR2{R: [3]int32{int32(p.C[0]) + p.D, int32(q.A[0] - q.A[1]), int32(n) + int32(len(s)) + int32(s[0])}, S: float32(x) * 2}
}

// probeWord has a one-word block of stack-assigned arguments before
// stack-assigned results.
//
//go:noinline
func probeWord(p probeS3) probeR2 {
	return probeR2{R: [3]int32{int32(p.C[0]), int32(p.C[2]) << 8, p.D - 1}, S: float32(p.C[1])}
}

//go:noinline
func probeMany(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p int64, x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15 float32) float32 {
	return float32(a-b+c-d+e-f+g-h+i-j+k*100+l*3-m*5+n*7-o*11+p*13) + x0 + 2*x1 + 3*x2 + 4*x3 + 5*x4 + 6*x5 + 7*x6 + 8*x7 + 9*x8 + 10*x9 + 11*x10 + 12*x11 + 13*x12 + 14*x13 + 15*x14 + 16*x15
}

//go:noinline
func probeWide(a, b, c, d, e, f, g int32, x probeF5) probeR4 {
	return probeR4{P: int64(a-b) << 33, Q: int64(c*d + e), R: int64(f - g), S: float64(x.A + 2*x.B + 3*x.C + 4*x.D + 5*x.E)}
}

//go:noinline
func probeBlock(big probeBig, x int32) probeR3 {
	return probeR3{A: byte(big.A[0]), B: byte(big.A[39]), D: int32(big.A[20]) - x}
}

// memorySig is the signature of Go func type ft (with one result) as a C
// function taking every argument on the stack, in order at 8-byte aligned
// offsets, and returning its result through a buffer (the address in the
// first integer register).
func memorySig(ft reflect.Type) (*convert.Sig, *abi.Plan) {
	sig := &convert.Sig{Go: ft}
	plan := &abi.Plan{SRet: true, SRetPart: abi.Part{Loc: abi.GPR, Index: 0, Size: 8}}
	off := 0
	for i := range ft.NumIn() {
		t := ft.In(i)
		off = (off + 7) &^ 7
		sig.Params = append(sig.Params, convert.Value{Kind: convert.Memory, Go: t, Size: int(t.Size())})
		plan.Args = append(plan.Args, abi.Value{Parts: []abi.Part{{Loc: abi.Stack, Index: off, Size: int(t.Size())}}})
		off += int(t.Size())
	}
	rt := ft.Out(0)
	sig.Result = &convert.Value{Kind: convert.Memory, Go: rt, Size: int(rt.Size())}
	return sig, plan
}

// generalPathWorks calls each probe through the general invoker chosen for
// it by the register model with ni integer and nf floating-point
// registers, with every argument in memory as a C caller would place it on
// the stack and the result returned through a buffer, and compares the
// result with a direct call.
func generalPathWorks(ni, nf int) bool {
	b := byte(5)
	calls := [][]any{
		{probeRegs, int8(-7), probeS1{X: 1.5, Y: -300, Z: 2.25, P: &b}, uint32(0xabcdef), probeS2{D: [1]float64{0.5}, E: true}},
		{probeStack, probeS3{C: [3]byte{200, 1, 2}, D: -40}, 3.5, probeS4{A: [2]int64{1 << 40, 7}}, int16(-9), "probe"},
		{probeWord, probeS3{C: [3]byte{7, 8, 9}, D: 1 << 20}},
		{probeMany, int64(1), int64(2), int64(3), int64(4), int64(5), int64(6), int64(7), int64(8), int64(9), int64(10), int64(11),
			int64(12), int64(13), int64(14), int64(15), int64(16),
			float32(1), float32(2), float32(3), float32(4), float32(5), float32(6), float32(7), float32(8),
			float32(9), float32(10), float32(11), float32(12), float32(13), float32(14), float32(15), float32(16)},
		{probeBlock, probeBig{A: [40]uint32{0: 0x1ff, 20: 1000, 39: 0x77}}, int32(-3)},
		{probeWide, int32(-1), int32(2), int32(-3), int32(4), int32(-5), int32(6), int32(-7), probeF5{1, 2, 3, 4, 5}},
	}
	for _, c := range calls {
		if !probeGeneral(c[0], c[1:], ni, nf) {
			return false
		}
	}
	return true
}

func probeGeneral(fn any, args []any, ni, nf int) bool {
	ft := reflect.TypeOf(fn)
	sig, plan := memorySig(ft)
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		in[i] = reflect.ValueOf(a)
	}
	off := 0
	if n := len(plan.Args); n > 0 {
		off = plan.Args[n-1].Parts[0].Index + plan.Args[n-1].Parts[0].Size
	}
	rt := ft.Out(0)
	gf, err := goabi.Assign(ft, goabi.Regs{Int: ni, Float: nf})
	if err != nil {
		return false
	}
	if gf.Ints > goInts || gf.Floats > goFloats || gf.ResultInts > goInts || gf.ResultFloats > goFloats {
		return true // not a shape the general path takes (a model of more registers than callGo loads)
	}
	sh, ok := compileGeneral(sig, plan, gf, false)
	if !ok {
		return false
	}
	inv := sh.inv
	// The C side: arguments in a heap block, the result buffer on the heap.
	stack := make([]uint64, off/8+1)
	for i, a := range in {
		reflect.NewAt(a.Type(), unsafe.Add(unsafe.Pointer(&stack[0]), plan.Args[i].Parts[0].Index)).Elem().Set(a)
	}
	res := reflect.New(rt)
	f := &cframe{stackArgs: unsafe.Pointer(&stack[0])}
	f.gpr[0] = uint64(uintptr(res.UnsafePointer()))
	bd := &binding{fnv: funcValue(fn), fn: fn, shape: sh}
	inv(bd, f)
	runtime.KeepAlive(stack)
	want := reflect.ValueOf(fn).Call(in)[0]
	return f.retGPR[0] == uint64(uintptr(res.UnsafePointer())) && res.Elem().Interface() == want.Interface()
}
