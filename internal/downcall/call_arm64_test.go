//go:build arm64 && (linux || darwin)

package downcall

import (
	"bufio"
	"math"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

func TestFrameOffsets(t *testing.T) {
	want := map[string]uintptr{
		"FRAME_FN":     unsafe.Offsetof(Frame{}.Fn),
		"FRAME_GPR":    unsafe.Offsetof(Frame{}.GPR),
		"FRAME_FPR":    unsafe.Offsetof(Frame{}.FPR),
		"FRAME_STACK":  unsafe.Offsetof(Frame{}.Stack),
		"FRAME_NSTACK": unsafe.Offsetof(Frame{}.NStack),
		"FRAME_AL":     unsafe.Offsetof(Frame{}.AL),
		"FRAME_RETGPR": unsafe.Offsetof(Frame{}.RetGPR),
		"FRAME_RETFPR": unsafe.Offsetof(Frame{}.RetFPR),
		"FRAME_FLAGS":  unsafe.Offsetof(Frame{}.Flags),
		"FRAME_ERRNO":  unsafe.Offsetof(Frame{}.Errno),
		"FRAME_SIZE":   frameSize,
	}
	f, err := os.Open("frame_arm64.h")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]uintptr{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 || fields[0] != "#define" {
			continue
		}
		n, err := strconv.ParseUint(fields[2], 0, 64)
		if err != nil {
			t.Fatalf("frame_arm64.h:%d: %v", line, err)
		}
		got[fields[1]] = uintptr(n)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("frame_arm64.h = %v, Go layout = %v", got, want)
	}
	if unsafe.Offsetof(Frame{}.FPR) != unsafe.Offsetof(Frame{}.GPR)+unsafe.Sizeof(Frame{}.GPR) {
		t.Errorf("FPR does not follow GPR: the fast paths index them as one array")
	}
}

// arm64Src exercises every register and result location the stub handles.
const arm64Src = `
long weigh_longs(long a0, long a1, long a2, long a3, long a4, long a5, long a6, long a7,
		long s0, long s1, long s2) {
	return a0 + 2*a1 + 3*a2 + 4*a3 + 5*a4 + 6*a5 + 7*a6 + 8*a7 + 9*s0 + 10*s1 + 11*s2;
}
double weigh_doubles(double d0, double d1, double d2, double d3, double d4, double d5,
		double d6, double d7, double s0, double s1) {
	return d0 + 2*d1 + 3*d2 + 4*d3 + 5*d4 + 6*d5 + 7*d6 + 8*d7 + 9*s0 + 10*s1;
}
float half(float x) { return x / 2; }
struct pair { long a, b; };
struct pair make_pair(long x) { struct pair p = {x + 1, x * 3}; return p; }
struct hfa4 { double a, b, c, d; };
struct hfa4 make_hfa4(double x) { struct hfa4 h = {x, x + 1, x + 2, x + 3}; return h; }
struct big { long v[5]; };
struct big make_big(long x) { struct big b = {{x, x + 1, x + 2, x + 3, x + 4}}; return b; }
`

var arm64Lib struct {
	once sync.Once
	lib  uintptr
	err  error
}

func arm64Sym(t *testing.T, name string) uintptr {
	t.Helper()
	so := ctest.SharedLib(t, arm64Src, "-O2")
	arm64Lib.once.Do(func() {
		arm64Lib.lib, arm64Lib.err = purego.Dlopen(so, purego.RTLD_NOW|purego.RTLD_LOCAL)
	})
	if arm64Lib.err != nil {
		t.Fatal(arm64Lib.err)
	}
	addr, err := purego.Dlsym(arm64Lib.lib, name)
	if err != nil {
		t.Fatal(err)
	}
	return addr
}

// arm64Callers are the three entries; every test runs through each.
var arm64Callers = []struct {
	name string
	call func(*Frame)
}{
	{"Call", Call},
	{"CallLocal", func(f *Frame) { c := *f; CallLocal(&c); *f = c }},
	{"CallLeaf", func(f *Frame) { CallLeaf(f, nil) }},
}

func TestARM64RegistersAndStack(t *testing.T) {
	longs := []int64{1, -2, 3, -4, 5, -6, 7, -8, 1 << 40, -(1 << 35), 99}
	var wantL int64
	for i, a := range longs {
		wantL += a * int64(i+1)
	}
	doubles := []float64{0.5, -1.25, 3, 4.75, -5, 6.5, 7, 8.125, 9.5, -10}
	var wantD float64
	for i, a := range doubles {
		wantD += a * float64(i+1)
	}
	for _, c := range arm64Callers {
		var f Frame
		f.Fn = arm64Sym(t, "weigh_longs")
		for i := range 8 {
			f.GPR[i] = uint64(longs[i])
		}
		stack := []uint64{uint64(longs[8]), uint64(longs[9]), uint64(longs[10])}
		f.Stack, f.NStack = &stack[0], uintptr(len(stack))
		c.call(&f)
		if got := int64(f.RetGPR[0]); got != wantL {
			t.Errorf("%s: weigh_longs = %d, want %d", c.name, got, wantL)
		}

		f = Frame{Fn: arm64Sym(t, "weigh_doubles")}
		for i := range 8 {
			f.FPR[i] = math.Float64bits(doubles[i])
		}
		dstack := []uint64{math.Float64bits(doubles[8]), math.Float64bits(doubles[9])}
		f.Stack, f.NStack = &dstack[0], uintptr(len(dstack))
		c.call(&f)
		if got := math.Float64frombits(f.RetFPR[0]); got != wantD {
			t.Errorf("%s: weigh_doubles = %v, want %v", c.name, got, wantD)
		}

		f = Frame{Fn: arm64Sym(t, "half")}
		f.FPR[0] = uint64(math.Float32bits(7.5))
		c.call(&f)
		if got := math.Float32frombits(uint32(f.RetFPR[0])); got != 3.75 {
			t.Errorf("%s: half(7.5) = %v", c.name, got)
		}
	}
}

func TestARM64AggregateResults(t *testing.T) {
	for _, c := range arm64Callers {
		f := Frame{Fn: arm64Sym(t, "make_pair")}
		f.GPR[0] = 10
		c.call(&f)
		if f.RetGPR != [2]uint64{11, 30} {
			t.Errorf("%s: make_pair(10) in x0, x1 = %v, want [11 30]", c.name, f.RetGPR)
		}

		f = Frame{Fn: arm64Sym(t, "make_hfa4")}
		f.FPR[0] = math.Float64bits(1.5)
		c.call(&f)
		for i, want := range []float64{1.5, 2.5, 3.5, 4.5} {
			if got := math.Float64frombits(f.RetFPR[i]); got != want {
				t.Errorf("%s: make_hfa4(1.5) d%d = %v, want %v", c.name, i, got, want)
			}
		}

		var big [5]int64
		f = Frame{Fn: arm64Sym(t, "make_big")}
		f.GPR[0] = 100
		f.GPR[8] = uint64(uintptr(unsafe.Pointer(&big))) // x8: where the result goes
		c.call(&f)
		runtime.KeepAlive(&big)
		if big != [5]int64{100, 101, 102, 103, 104} {
			t.Errorf("%s: make_big(100) wrote %v through x8", c.name, big)
		}
	}
}
