package convert

import (
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/cparse"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

func parse(t *testing.T, decl string) *ctype.Type {
	t.Helper()
	s := cparse.NewScope(ctype.LinuxAMD64)
	if err := s.Parse(`
		struct pt { float x, y; };
		struct mix { char c; double d; int a[3]; };
		union u { float f; int i; };
		struct bits { unsigned a : 3, b : 5; };
		enum e { A, B };
		enum neg { N = -1, P = 1 };
		struct v3 { float x, y, z; };
		struct al { int a; } __attribute__((aligned(16)));
	`); err != nil {
		t.Fatal(err)
	}
	_, ty, err := s.ParseDecl(decl)
	if err != nil {
		t.Fatalf("%s: %v", decl, err)
	}
	return ty
}

type cb struct{}

func TestMatchFunc(t *testing.T) {
	type pt struct{ X, Y float32 }
	type mix struct {
		C byte
		_ [7]byte
		D float64
		A [3]int32
	}
	type v3Wide struct {
		X float32
		Y float64
		Z float32
	}
	type v3Short struct{ X, Y float32 }
	type v3Long struct{ X, Y, Z, W float32 }
	type al struct{ A int32 }
	type mixBad struct {
		C byte
		D float64
		A [3]uint32
	}
	for _, c := range []struct {
		decl string
		fn   any
		dir  Direction
		want string // "" = matches; else a substring of the error
	}{
		{"int (*)(int, int)", func(a, b int32) int32 { return 0 }, Callback, ""},
		{"int (*)(int, int)", func(a int, b uint) int { return 0 }, Callback, ""},
		{"size_t (*)(size_t)", func(a uintptr) uintptr { return 0 }, Callback, ""},
		{"int (*)(int)", func(a uintptr) int32 { return 0 }, Callback, "uintptr"},
		{"unsigned (*)(unsigned)", func(a int32) uint32 { return 0 }, Callback, "parameter 1"},
		{"short (*)(short)", func(a int16) uint16 { return 0 }, Callback, "result"},
		{"_Bool (*)(_Bool)", func(a bool) bool { return false }, Callback, ""},
		{"_Bool (*)(_Bool)", func(a uint8) bool { return false }, Callback, "C _Bool needs Go bool"},
		{"float (*)(double)", func(a float64) float32 { return 0 }, Callback, ""},
		{"float (*)(double)", func(a float32) float32 { return 0 }, Callback, "C double needs Go float64"},
		{"void (*)(void *, char **, int (*)(int))", func(a unsafe.Pointer, b *uintptr, c uintptr) {}, Callback, ""},
		{"enum e (*)(enum e)", func(a int32) uint32 { return 0 }, Callback, ""},
		{"enum e (*)(enum e)", func(a int32) uint16 { return 0 }, Callback, "C enum e needs Go int32, uint32, int or uint"},
		{"enum neg (*)(enum neg)", func(a int32) int32 { return 0 }, Callback, ""},
		{"enum neg (*)(enum neg)", func(a int32) uint32 { return 0 }, Callback, "C enum neg needs Go int32, int or uint"},
		{"void (*)(struct pt)", func(p pt) {}, Callback, ""},
		{"struct mix (*)(void)", func() mix { return mix{} }, Callback, ""},
		{"struct mix (*)(void)", func() mixBad { return mixBad{} }, Callback, "field 3"},
		{"void (*)(struct v3)", func(v v3Wide) {}, Callback, "(size 24, align 8) does not match C type struct v3 (size 12, align 4): field 2 (Go Y, C y): Go type float64 does not match C type float"},
		{"void (*)(struct v3)", func(v v3Short) {}, Callback, "(size 8, align 4) does not match C type struct v3 (size 12, align 4): C field 3 \"z\" has no Go field"},
		{"void (*)(struct v3)", func(v v3Long) {}, Call, "(size 16, align 4) does not match C type struct v3 (size 12, align 4): Go field W has no C field"},
		{"void (*)(struct al)", func(v al) {}, Call, "(size 4, align 4) does not match C type struct al (size 16, align 16): every field matches"},
		{"void (*)(struct v3)", func(v [3]float32) {}, Call, "a C struct needs a Go struct"},
		{"void (*)(union u)", func(u uint32) {}, Callback, ""},
		{"void (*)(union u)", func(u [4]byte) {}, Callback, "align"},
		{"void (*)(struct bits)", func(b uint32) {}, Callback, ""},
		{"void (*)(const char *)", func(s string) {}, Callback, ""},
		{"void (*)(int *)", func(s string) {}, Callback, "pointer"},
		{"const char *(*)(void)", func() string { return "" }, Callback, "cannot return a Go string"},
		{"void (*)(const char *)", func(s string) {}, Call, ""},
		{"const char *(*)(void)", func() string { return "" }, Call, ""},
		{"void (*)(int *)", func(s []int32) {}, Call, ""},
		{"void (*)(int (*)(int))", func(c *cb) {}, Call, ""},
		{"void (*)(void *)", func(c *cb) {}, Call, ""},
		{"int (*)(const char *, ...)", func(f string, a ...any) int32 { return 0 }, Call, ""},
		{"int (*)(const char *, ...)", func(f string) int32 { return 0 }, Call, "...any"},
		{"int (*)(const char *, ...)", func(f unsafe.Pointer) int32 { return 0 }, Callback, "variadic"},
		{"int (*)(int)", func(a ...int32) int32 { return 0 }, Call, "variadic"},
		{"void (*)(int)", func(a int32) int32 { return 0 }, Callback, "returns void"},
		{"int (*)(void)", func() (int32, error) { return 0, nil }, Callback, "exactly one result"},
	} {
		g := reflect.TypeOf(c.fn)
		sig, err := MatchFunc(g, parse(t, c.decl), Options{Dir: c.dir, CallbackType: reflect.TypeFor[*cb](), Model: ctype.LinuxAMD64})
		switch {
		case !matchedAsWanted(t, c.decl, g, err, c.want):
		case len(sig.Params) != len(parse(t, c.decl).Elem.Params):
			t.Errorf("%s: %d params matched", c.decl, len(sig.Params))
		case g.NumIn() == 1 && g.In(0) == reflect.TypeFor[*cb]() && sig.Params[0].Kind != CallbackPtr:
			t.Errorf("%s: *Callback matched as %v, want CallbackPtr", c.decl, sig.Params[0].Kind)
		}
	}
}

// matchedAsWanted reports an error of MatchFunc for decl and g that is not
// the one wanted ("": none), and whether it matched as wanted.
func matchedAsWanted(t *testing.T, decl string, g reflect.Type, err error, want string) bool {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("%s with %v: %v", decl, g, err)
	case want != "" && err == nil:
		t.Errorf("%s with %v matched, want error %q", decl, g, want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s with %v: error %q does not mention %q", decl, g, err, want)
	}
	return want == "" && err == nil
}

// TestMatchFuncErrno: with Options.Errno the Go func's last result (the
// error receiving errno) is left out of the match, and the errors name the
// results besides it.
func TestMatchFuncErrno(t *testing.T) {
	for _, c := range []struct {
		decl string
		fn   any
		want string // "" when it matches
	}{
		{"int (*)(int)", func(a int32) (int32, error) { return 0, nil }, ""},
		{"void (*)(int)", func(a int32) error { return nil }, ""},
		{"int (*)(int)", func(a int32) (uint32, error) { return 0, nil }, "result: Go type uint32 does not match C type int"},
		{"int (*)(int)", func(a int32) error { return nil }, "needs exactly one result besides its error"},
		{"void (*)(void)", func() (int32, error) { return 0, nil }, "has results besides its error"},
		{"int (*)(const char *, ...)", func(f string, a ...any) (int32, error) { return 0, nil }, ""},
	} {
		g := reflect.TypeOf(c.fn)
		sig, err := MatchFunc(g, parse(t, c.decl), Options{Dir: Call, Model: ctype.LinuxAMD64, Errno: true})
		if matchedAsWanted(t, c.decl, g, err, c.want) && (sig.Result == nil) != (g.NumOut() == 1) {
			t.Errorf("%s with %v: result matched %v", c.decl, g, sig.Result)
		}
	}
}

func TestConversions(t *testing.T) {
	for _, c := range []struct {
		size   int
		signed bool
		raw    uint64
		want   uint64
	}{
		{1, true, 0xdeadbeef_000000ff, 0xffffffff_ffffffff},
		{1, false, 0xdeadbeef_000000ff, 0xff},
		{2, true, 0x1234_8000, 0xffffffff_ffff8000},
		{2, false, 0x1234_8000, 0x8000},
		{4, true, 0xffffffff_80000000, 0xffffffff_80000000},
		{4, true, 0x00000000_80000000, 0xffffffff_80000000},
		{4, false, 0xffffffff_80000000, 0x80000000},
		{8, true, 0x8000000000000000, 0x8000000000000000},
	} {
		if got := Ext(c.raw, c.size, c.signed); got != c.want {
			t.Errorf("Ext(%#x, %d, %v) = %#x, want %#x", c.raw, c.size, c.signed, got, c.want)
		}
	}
	b := Value{Kind: Bool, Size: 1, Go: reflect.TypeFor[bool]()}
	if b.ToGo(0xff00) != 0 || b.ToGo(0x02) != 1 || b.ToC(0xff01) != 1 || b.ToC(0x100) != 0 {
		t.Error("_Bool conversions")
	}
	f := Value{Kind: Float, Size: 4, Go: reflect.TypeFor[float32]()}
	if f.ToGo(0xdeadbeef_3fc00000) != 0x3fc00000 || f.ToC(0xdeadbeef_3fc00000) != 0x3fc00000 {
		t.Error("float conversions keep only the low 32 bits")
	}
	// Go int for C char: converted as C converts.
	ch := Value{Kind: Int, Size: 1, Signed: true, Go: reflect.TypeFor[int]()}
	if ch.ToC(0x1ff) != 0xffffffff_ffffffff {
		t.Errorf("Go int 0x1ff as C char = %#x", ch.ToC(0x1ff))
	}
}

func TestFuncFromGo(t *testing.T) {
	type pt struct{ X, Y float32 }
	for _, c := range []struct {
		fn   any
		want string
	}{
		{func(int8, uint8, int16, uint16, int32, uint32, int64, uint64) {}, "void (signed char, unsigned char, short, unsigned short, int, unsigned int, long long, unsigned long long)"},
		{func(float32, float64, bool, unsafe.Pointer, *int) uintptr { return 0 }, "unsigned long long (float, double, _Bool, void *, void *)"},
		{func(pt) pt { return pt{} }, "struct { float X; float Y; } (struct { float X; float Y; })"},
	} {
		ft, err := FuncFromGo(reflect.TypeOf(c.fn), ctype.LinuxAMD64)
		if err != nil {
			t.Errorf("%T: %v", c.fn, err)
			continue
		}
		if got := ft.String(); got != c.want {
			t.Errorf("%T: C type %q, want %q", c.fn, got, c.want)
		}
	}
}
