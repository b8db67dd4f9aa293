package bindcall

import (
	"math"
	"reflect"
	"runtime"
	"sync"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// The trampoline depends on Go's internal register ABI, which may change
// between Go releases. Before the first binding, selfTest binds funcs of
// mixed shapes (register and stack arguments of both classes, pointer
// words, results in both register files) to an "echo" call that runs no C
// but reflects the Frame dispatch built, and checks every value. A failure
// makes Bind return an error instead of calling C with wrong arguments.

// Call modes of a state.
const (
	modeCall uint8 = iota // downcall.CallLocal: C may block and call back
	modeLeaf              // downcall.CallLeaf
	modeEcho              // no C call: echo(f) (the self-test)
)

// echo fills the result registers from the argument words as the self-test
// expects: RetGPR[0] is a weighted sum of the integer registers and the
// stack words, RetGPR[1] the first stack word, RetFPR the first two vector
// registers (or the last stack word if there are more than 8).
func echo(f *downcall.Frame) {
	var sum uint64
	for i, w := range f.GPR {
		sum += w * uint64(i+1)
	}
	stack := unsafe.Slice(f.Stack, f.NStack)
	for i, w := range stack {
		sum += w * uint64(i+100)
	}
	f.RetGPR[0] = sum
	if len(stack) > 0 {
		f.RetGPR[1] = stack[0]
	}
	f.RetFPR[0], f.RetFPR[1] = f.FPR[0], f.FPR[1]
	if len(stack) > 0 {
		f.RetFPR[1] = stack[len(stack)-1]
	}
}

// win64ABI reports whether the host's C convention is Microsoft x64, which
// assigns argument registers by position.
const win64ABI = runtime.GOOS == "windows" && runtime.GOARCH == "amd64"

// appleARM64 reports whether the host's C convention is Apple's variant
// of AAPCS64, which packs stack arguments at their natural alignment.
const appleARM64 = (runtime.GOOS == "darwin" || runtime.GOOS == "ios") && runtime.GOARCH == "arm64"

// SelfTestClassify is the host's C classifier, set by the ffi package.
var SelfTestClassify func(*ctype.Type) (*abi.Plan, error)

var selfTest = sync.OnceValue(func() error {
	if err := runSelfTest(); err != nil {
		return errfmt.Errorf("ffi: bound funcs are disabled: the Go register ABI of %s on %s/%s is not the one this package was built for (self-test: %v)",
			runtime.Version(), runtime.GOOS, runtime.GOARCH, err)
	}
	return nil
})

// echoBind binds fnPtr to an echo call of C type ft.
func echoBind(fnPtr any, ft *ctype.Type) error {
	g := reflect.TypeOf(fnPtr).Elem()
	sig, err := convert.MatchFunc(g, ft, convert.Options{Dir: convert.Call})
	if err != nil {
		return err
	}
	plan, err := SelfTestClassify(ft)
	if err != nil {
		return err
	}
	st, src, err := newState(g, Config{Name: "self-test", Sig: sig, Plan: plan})
	if err != nil {
		return err
	}
	st.mode = modeEcho
	c := &closure{code: trampolinePC, src: src, st: st}
	*(*unsafe.Pointer)(reflect.ValueOf(fnPtr).UnsafePointer()) = unsafe.Pointer(c)
	return nil
}

func runSelfTest() error {
	if SelfTestClassify == nil {
		return errfmt.Errorf("no classifier")
	}
	m := ctype.Host()
	fn := func(res *ctype.Type, params ...*ctype.Type) *ctype.Type {
		ps := make([]ctype.Param, len(params))
		for i, p := range params {
			ps[i].Type = p
		}
		t, err := m.Func(res, ps, false)
		if err != nil {
			panic(err)
		}
		return t
	}
	long, ulong, int_, dbl := m.IntOfSize(8, true), m.IntOfSize(8, false), m.Int("int"), m.Double()
	vp := m.Pointer(m.Void())

	// Integers: 12 words (Go puts the last ones on its stack, C too),
	// narrow and signed values, a pointer.
	var ints func(a int8, x float32, b uint16, y float64, c int32, p unsafe.Pointer, d bool, e int64, f uint64, g, h, i int32) int64
	if err := echoBind(&ints, fn(long, m.Int("signed char"), m.Float(), m.Int("unsigned short"), dbl, int_, vp, m.Bool(), long, ulong, int_, int_, int_)); err != nil {
		return err
	}
	obj := new(int64)
	m3, m5, m11 := int64(-3), int64(-5), int64(-11)
	words := []uint64{uint64(m3), 700, uint64(m5), uint64(uintptr(unsafe.Pointer(obj))), 1, 1 << 40, 1<<63 + 9, uint64(m11), 12, 13}
	want := int64(0)
	// System V: 6 GPRs (a b c p d e), then f g h i on the stack. AAPCS64:
	// 8 GPRs (a … g), then h and i on the stack, one word each, or packed
	// into one word by Apple's variant. Microsoft x64 passes by position:
	// a and b in the integer registers of slots 0 and 2 (x and y take the
	// vector registers of slots 1 and 3), the rest on the stack after the
	// 4-word shadow space.
	nGPR := 6
	if runtime.GOARCH == "arm64" {
		nGPR = 8
	}
	for i, w := range words {
		k := uint64(i + 1)
		switch {
		case win64ABI && i == 1:
			k = 3
		case win64ABI && i >= 2:
			k = uint64(i - 2 + 104)
		case appleARM64 && i >= nGPR:
			// h at bytes 0-3 and i at bytes 4-7 of the first stack word.
			k = 100 << (32 * uint(i-nGPR))
		case i >= nGPR:
			k = uint64(i - nGPR + 100)
		}
		want += int64(w * k)
	}
	if got := ints(-3, 0.5, 700, 2.25, -5, unsafe.Pointer(obj), true, 1<<40, 1<<63+9, -11, 12, 13); got != want {
		return errfmt.Errorf("integer arguments: got %d, want %d", got, want)
	}

	// Floats: 17 doubles (Go: 15 registers and 2 stack words; C: 8 and 9).
	var floats func(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q float64) (r float64)
	dp := make([]*ctype.Type, 17)
	for i := range dp {
		dp[i] = dbl
	}
	if err := echoBind(&floats, fn(dbl, dp...)); err != nil {
		return err
	}
	if got := floats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17.5); got != 1 {
		return errfmt.Errorf("float arguments: got %v, want 1", got)
	}
	var floats2 func(a float64, b int64) uint64
	if err := echoBind(&floats2, fn(ulong, dbl, long)); err != nil {
		return err
	}
	// b is in the first integer register, or in slot 1's on Microsoft x64.
	want2 := uint64(1 << 50)
	if win64ABI {
		want2 *= 2
	}
	if got := floats2(0.25, 1<<50); got != want2 {
		return errfmt.Errorf("mixed arguments: got %d, want %d", got, want2)
	}
	// A pointer result and a float result in the same call cannot be
	// echoed together; check each register file's first result.
	var ptr func(p unsafe.Pointer) unsafe.Pointer
	if err := echoBind(&ptr, fn(vp, vp)); err != nil {
		return err
	}
	if got := ptr(unsafe.Pointer(obj)); got != unsafe.Pointer(obj) {
		return errfmt.Errorf("pointer result: got %p, want %p", got, obj)
	}
	var f32 func(x float32, y float64) float32
	if err := echoBind(&f32, fn(m.Float(), m.Float(), dbl)); err != nil {
		return err
	}
	if got := f32(-1.5, 3); got != -1.5 || !math.Signbit(float64(got)) {
		return errfmt.Errorf("float32 result: got %v, want -1.5", got)
	}
	return nil
}
