package ctype

import (
	"strings"
	"testing"
)

func TestInts(t *testing.T) {
	for _, m := range Models {
		for _, name := range IntNames {
			it := m.Int(name)
			size, signed, ok := m.IntInfo(name)
			if !ok || it.Size != size || it.Align != size || it.Signed != signed || it.IntName != name || !it.IsInteger() || !it.IsScalar() {
				t.Errorf("%s: %s: %+v", m, name, it)
			}
			if got := it.String(); got != name {
				t.Errorf("%s: %s prints as %s", m, name, got)
			}
		}
		for _, size := range []int{1, 2, 4, 8} {
			for _, signed := range []bool{true, false} {
				if it := m.IntOfSize(size, signed); it.Size != size || it.Signed != signed {
					t.Errorf("%s: IntOfSize(%d, %v) = %s", m, size, signed, it)
				}
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Int of an unknown name did not panic")
		}
	}()
	LinuxAMD64.Int("long int")
}

func TestModels(t *testing.T) {
	if ModelFor("windows", "amd64") != WindowsAMD64 || ModelFor("plan9", "386") != nil {
		t.Error("ModelFor")
	}
	if h := Host(); h == nil || h.PtrSize != 8 {
		t.Errorf("Host() = %v", h)
	}
	for _, m := range Models {
		if m.String() != m.Name || m.LongDouble().Size != m.LongDoubleSize {
			t.Errorf("%s", m)
		}
	}
}

func TestDerivedErrors(t *testing.T) {
	m := LinuxAMD64
	intT := m.Int("int")
	fn, _ := m.Func(intT, nil, false)
	flex, _ := m.Array(intT, -1)
	for _, c := range []struct {
		err  error
		want string
	}{
		{second(m.Array(m.Void(), 2)), "array of void"},
		{second(m.Array(fn, 2)), "array of functions"},
		{second(m.Array(m.Incomplete(Struct, "s"), 2)), "array of incomplete type struct s"},
		{second(m.Array(flex, 2)), "array of incomplete type int[]"},
		{second(m.Array(intT, -5)), "negative array size -5"},
		{second(m.Array(m.Int("long"), 1<<40)), "too large"},
		{second(m.Func(flex, nil, false)), "function returning an array"},
		{second(m.Func(fn, nil, false)), "function returning a function"},
		{second(m.Func(intT, []Param{{Name: "v", Type: m.Void()}}, false)), `parameter 1 ("v") has type void`},
		{second(m.Struct("s", []Member{{Name: "a", Type: intT}, {Name: "a", Type: intT}}, false, 0)), `duplicate member "a"`},
		{second(m.Struct("s", []Member{{Name: "b", Type: m.Int("char"), BitField: true, BitSize: 9}}, false, 0)), "exceeds its type char"},
		{second(m.Struct("s", []Member{{Name: "b", Type: m.Double(), BitField: true, BitSize: 3}}, false, 0)), "non-integer type double"},
		{second(m.Struct("s", []Member{{Name: "b", Type: intT}}, false, 3)), "not a power of 2"},
		{second(m.Struct("s", []Member{{Name: "f", Type: flex}, {Name: "b", Type: intT}}, false, 0)), "not at the end"},
		{second(m.Union("u", []Member{{Name: "b", Type: intT}, {Name: "f", Type: flex}}, false, 0)), "in a union"},
		{second(m.Struct("s", []Member{{Type: intT}}, false, 0)), "member 1 has no name"},
		{second(m.Struct("s", []Member{{Name: "x", Type: m.Incomplete(Union, "u")}}, false, 0)), `member "x" has incomplete type union u`},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("got %v, want %q", c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

func TestFuncAdjustsParams(t *testing.T) {
	m := LinuxAMD64
	arr, _ := m.Array(m.Int("char").Qualified(true, false, false), 8)
	inner, _ := m.Func(m.Void(), nil, false)
	f, err := m.Func(m.Int("int"), []Param{{Name: "s", Type: arr}, {Name: "cb", Type: inner}}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.String(); got != "int (const char *, void (*)(void), ...)" {
		t.Errorf("got %s", got)
	}
	if f.Params[0].Name != "s" || f.Params[0].Type.Kind != Pointer {
		t.Errorf("params %+v", f.Params)
	}
}

func TestStringAndIdentical(t *testing.T) {
	m := LinuxAMD64
	intT, charT := m.Int("int"), m.Int("char")
	pt, _ := m.Struct("point", []Member{{Name: "x", Type: intT}, {Name: "y", Type: intT}}, false, 0)
	anon, _ := m.Struct("", []Member{
		{Name: "c", Type: charT, Aligned: 8},
		{Type: pt},
		{Name: "b", Type: m.Int("unsigned int"), BitField: true, BitSize: 3, Packed: true},
		{Type: intT, BitField: true},
	}, true, 16)
	e := m.Enum("", []Enumerator{{"LO", -1 << 63}, {"HI", 5}})
	cases := []struct {
		t    *Type
		want string
	}{
		{pt, "struct point"},
		{m.Pointer(pt).Qualified(true, false, true), "struct point *const restrict"},
		{anon, "struct __attribute__((packed, aligned(16))) { char c __attribute__((aligned(8))); struct point; unsigned int b : 3 __attribute__((packed)); int : 0; }"},
		{e, "enum { LO = -9223372036854775807 - 1, HI = 5 }"},
		{pt.Typedef("point_t").Qualified(false, true, false), "volatile point_t"},
		{m.Pointer(m.Void().Qualified(true, false, false)), "const void *"},
	}
	for _, c := range cases {
		if got := c.t.String(); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
		if !Identical(c.t, c.t.Typedef("alias")) {
			t.Errorf("%s is not identical to its typedef", c.t)
		}
	}
	pt2, _ := m.Struct("point", []Member{{Name: "x", Type: intT}, {Name: "y", Type: m.Int("long")}}, false, 0)
	pt3, _ := m.Struct("point", []Member{{Name: "x", Type: intT}, {Name: "y", Type: intT}}, false, 0)
	if Identical(pt, pt2) || !Identical(pt, pt3) || Identical(intT, charT) || Identical(intT, intT.Qualified(true, false, false)) {
		t.Error("Identical")
	}
	if Identical(m.Int("char"), m.Int("signed char")) {
		t.Error("char and signed char are distinct types")
	}
}

func TestDefineCompletesCopies(t *testing.T) {
	m := LinuxAMD64
	fwd := m.Incomplete(Struct, "s")
	td := fwd.Typedef("s_t")
	cq := td.Qualified(true, false, false)
	ptr := m.Pointer(fwd)
	def, _ := m.Struct("s", []Member{{Name: "a", Type: m.Double()}}, false, 0)
	restore := fwd.Snapshot()
	if err := td.Define(def); err != nil {
		t.Fatal(err)
	}
	for _, ty := range []*Type{fwd, td, cq, ptr.Elem} {
		if !ty.Complete || ty.Size != 8 || ty.Tag != "s" {
			t.Errorf("not completed: %+v", ty)
		}
	}
	if td.Name != "s_t" || !cq.Const || cq.Name != "s_t" || fwd.Root() != fwd || cq.Root() != fwd {
		t.Error("names, qualifiers or roots lost")
	}
	if err := fwd.Define(def); err == nil {
		t.Error("defined twice")
	}
	restore()
	if fwd.Complete || td.Complete || cq.Complete {
		t.Error("Snapshot did not restore")
	}
	u, _ := m.Union("s", nil, false, 0)
	if err := fwd.Define(u); err == nil {
		t.Error("struct defined as a union")
	}
}

func TestFieldByName(t *testing.T) {
	m := LinuxAMD64
	inner, _ := m.Union("", []Member{{Name: "i", Type: m.Int("int")}, {Name: "d", Type: m.Double()}}, false, 0)
	s, _ := m.Struct("s", []Member{{Name: "c", Type: m.Int("char")}, {Type: inner}}, false, 0)
	if f, ok := s.FieldByName("d"); !ok || f.Offset != 8 {
		t.Errorf("d: %+v %v", f, ok)
	}
	if _, ok := s.FieldByName("nope"); ok {
		t.Error("found nope")
	}
}
