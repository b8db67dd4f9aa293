package benchmarks

import (
	"math"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/downcall"
)

const addSrc = `
int add(int a, int b) { return a + b; }
double mixed6(int a, double b, void *p, long long c, float d, int e) {
	return a + b + (p != 0) + (double)c + d + e;
}
`

// mixed6Decl is the 6-argument mixed call: integers, doubles, a pointer
// and a float interleaved, all in registers.
const mixed6Decl = "double mixed6(int a, double b, void *p, long long c, float d, int e)"

// mixed6Func is the Go type of mixed6.
type mixed6Func = func(a int32, b float64, p unsafe.Pointer, c int64, d float32, e int32) float64

// impl is one way of calling add, hypot and mixed6 (nil: the row cannot
// make that call).
type impl struct {
	name   string
	add    func(b *testing.B) func(a, b int32) int32
	hypot  func(b *testing.B) func(x, y float64) float64
	mixed6 func(b *testing.B) mixed6Func
}

// impls lists the rows; cgo_test.go adds cgo when it is built.
var impls = []impl{
	{"ffiBind", bindAdd, bindHypot, bindMixed6()},
	{"ffiBindLeaf", bindAddLeaf, bindHypotLeaf, bindMixed6(ffi.Leaf)},
	{"downcall", rawAdd, rawHypot, nil},
	{"downcallLeaf", rawAddLeaf, rawHypotLeaf, nil},
	{"puregoSyscallN", syscallAdd, syscallHypot, nil}, // SyscallN passes no float and integer mix
	{"puregoRegisterFunc", registerAdd, registerHypot, registerMixed6},
}

func fixture(b *testing.B) (add, hypot uintptr) {
	so := ctest.SharedLib(b, addSrc, "-O2")
	lib, err := ffi.Open(so)
	if err != nil {
		b.Fatal(err)
	}
	add, err = lib.Sym("add")
	if err != nil {
		b.Fatal(err)
	}
	libm, err := ffi.Open(libmName)
	if err != nil {
		b.Fatal(err)
	}
	hypot, err = libm.Sym(hypotName)
	if err != nil {
		b.Fatal(err)
	}
	return add, hypot
}

// The ffiBind rows are the public API: Library.Bind to a typed Go func.

// The ffiBindLeaf rows bind the same functions with ffi.Leaf.

func bindAdd(b *testing.B) func(a, b int32) int32     { return bindAddOpts(b) }
func bindAddLeaf(b *testing.B) func(a, b int32) int32 { return bindAddOpts(b, ffi.Leaf) }

func bindAddOpts(b *testing.B, opts ...ffi.Option) func(a, b int32) int32 {
	lib, err := ffi.Open(ctest.SharedLib(b, addSrc, "-O2"))
	if err != nil {
		b.Fatal(err)
	}
	var add func(a, b int32) int32
	if err := lib.Bind(&add, "int add(int a, int b)", opts...); err != nil {
		b.Fatal(err)
	}
	return add
}

func bindHypot(b *testing.B) func(x, y float64) float64     { return bindHypotOpts(b) }
func bindHypotLeaf(b *testing.B) func(x, y float64) float64 { return bindHypotOpts(b, ffi.Leaf) }

func bindHypotOpts(b *testing.B, opts ...ffi.Option) func(x, y float64) float64 {
	lib, err := ffi.Open(libmName)
	if err != nil {
		b.Fatal(err)
	}
	var hypot func(x, y float64) float64
	if err := lib.Bind(&hypot, "double "+hypotName+"(double x, double y)", opts...); err != nil {
		b.Fatal(err)
	}
	return hypot
}

func bindMixed6(opts ...ffi.Option) func(b *testing.B) mixed6Func {
	return func(b *testing.B) mixed6Func {
		lib, err := ffi.Open(ctest.SharedLib(b, addSrc, "-O2"))
		if err != nil {
			b.Fatal(err)
		}
		var f mixed6Func
		if err := lib.Bind(&f, mixed6Decl, opts...); err != nil {
			b.Fatal(err)
		}
		return f
	}
}

func registerMixed6(b *testing.B) mixed6Func {
	lib, err := ffi.Open(ctest.SharedLib(b, addSrc, "-O2"))
	if err != nil {
		b.Fatal(err)
	}
	fn, err := lib.Sym("mixed6")
	if err != nil {
		b.Fatal(err)
	}
	var f mixed6Func
	purego.RegisterFunc(&f, fn)
	return f
}

// The raw rows fill a downcall.Frame by hand: the floor under Bind.

func rawAdd(b *testing.B) func(a, b int32) int32 {
	fn, _ := fixture(b)
	return func(x, y int32) int32 {
		var f downcall.Frame
		f.Fn = fn
		f.GPR[0], f.GPR[1] = uint64(int64(x)), uint64(int64(y))
		downcall.CallLocal(&f)
		return int32(f.RetGPR[0])
	}
}

func rawHypot(b *testing.B) func(x, y float64) float64 {
	_, fn := fixture(b)
	return func(x, y float64) float64 {
		var f downcall.Frame
		f.Fn = fn
		f.FPR[0], f.FPR[1] = math.Float64bits(x), math.Float64bits(y)
		downcall.CallLocal(&f)
		return math.Float64frombits(f.RetFPR[0])
	}
}

func rawAddLeaf(b *testing.B) func(a, b int32) int32 {
	fn, _ := fixture(b)
	return func(x, y int32) int32 {
		var f downcall.Frame
		f.Fn = fn
		f.GPR[0], f.GPR[1] = uint64(int64(x)), uint64(int64(y))
		downcall.CallLeaf(&f, nil)
		return int32(f.RetGPR[0])
	}
}

func rawHypotLeaf(b *testing.B) func(x, y float64) float64 {
	_, fn := fixture(b)
	return func(x, y float64) float64 {
		var f downcall.Frame
		f.Fn = fn
		f.FPR[0], f.FPR[1] = math.Float64bits(x), math.Float64bits(y)
		downcall.CallLeaf(&f, nil)
		return math.Float64frombits(f.RetFPR[0])
	}
}

func syscallAdd(b *testing.B) func(a, b int32) int32 {
	fn, _ := fixture(b)
	return func(x, y int32) int32 {
		r, _, _ := purego.SyscallN(fn, uintptr(x), uintptr(y))
		return int32(r)
	}
}

// syscallHypot passes the float bits as SyscallN arguments (it loads them
// into the vector registers too). SyscallN has no float result, so the
// result is not checked for this row: nothing else differs in the cost.
func syscallHypot(b *testing.B) func(x, y float64) float64 {
	_, fn := fixture(b)
	return func(x, y float64) float64 {
		purego.SyscallN(fn, uintptr(math.Float64bits(x)), uintptr(math.Float64bits(y)))
		return math.Hypot(x, y)
	}
}

func registerAdd(b *testing.B) func(a, b int32) int32 {
	fn, _ := fixture(b)
	var add func(a, b int32) int32
	purego.RegisterFunc(&add, fn)
	return add
}

func registerHypot(b *testing.B) func(x, y float64) float64 {
	_, fn := fixture(b)
	var hypot func(x, y float64) float64
	purego.RegisterFunc(&hypot, fn)
	return hypot
}

func BenchmarkAdd(b *testing.B) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			add := im.add(b)
			if got := add(40, 2); got != 42 {
				b.Fatalf("add(40, 2) = %d", got)
			}
			b.ReportAllocs()
			var sum int32
			for i := 0; b.Loop(); i++ {
				sum = add(sum, 1)
			}
			if int(sum) != b.N {
				b.Fatalf("%d calls summed to %d", b.N, sum)
			}
		})
	}
}

func BenchmarkHypot(b *testing.B) {
	for _, im := range impls {
		b.Run(im.name, func(b *testing.B) {
			hypot := im.hypot(b)
			if got := hypot(3, 4); got != math.Hypot(3, 4) {
				b.Fatalf("hypot(3, 4) = %v", got)
			}
			b.ReportAllocs()
			x := 0.0
			for b.Loop() {
				x = hypot(x, 1)
			}
			if x == 0 {
				b.Fatal("hypot never ran")
			}
		})
	}
}

func BenchmarkMixed6(b *testing.B) {
	var x int64
	for _, im := range impls {
		if im.mixed6 == nil {
			continue
		}
		b.Run(im.name, func(b *testing.B) {
			f := im.mixed6(b)
			p := unsafe.Pointer(&x)
			if got := f(1, 0.5, p, 1<<40, 0.25, -3); got != 1+0.5+1+(1<<40)+0.25-3 {
				b.Fatalf("mixed6 = %v", got)
			}
			b.ReportAllocs()
			var sum float64
			for i := 0; b.Loop(); i++ {
				sum += f(int32(i), 0.5, p, int64(i), 0.25, 1)
			}
			if sum == 0 {
				b.Fatal("mixed6 never ran")
			}
		})
	}
}
