package host

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/aapcs64"
	"github.com/seed5ca82032/ffi/internal/abi/sysv"
	"github.com/seed5ca82032/ffi/internal/abi/win64"
	"github.com/seed5ca82032/ffi/internal/cparse"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// TestHostConvention checks that Classify and ClassifyVarargs place
// signatures exactly as the host's own convention does, for scalars,
// aggregates in registers and in memory, and variadic arguments.
func TestHostConvention(t *testing.T) {
	type classifiers struct {
		fixed   func(*ctype.Type) (*abi.Plan, error)
		varargs func(*abi.Plan, []*ctype.Type) (*abi.Plan, error)
	}
	apple := aapcs64.Options{Apple: runtime.GOOS == "darwin" || runtime.GOOS == "ios"}
	want, ok := map[[2]string]classifiers{
		{"linux", "amd64"}:   {sysv.Classify, sysv.ClassifyVarargs},
		{"darwin", "amd64"}:  {sysv.Classify, sysv.ClassifyVarargs},
		{"windows", "amd64"}: {win64.Classify, win64.ClassifyVarargs},
		{"linux", "arm64"}: {func(ft *ctype.Type) (*abi.Plan, error) { return aapcs64.ClassifyWith(ft, apple) },
			func(p *abi.Plan, x []*ctype.Type) (*abi.Plan, error) { return aapcs64.ClassifyVarargs(p, x, apple) }},
		{"darwin", "arm64"}: {func(ft *ctype.Type) (*abi.Plan, error) { return aapcs64.ClassifyWith(ft, apple) },
			func(p *abi.Plan, x []*ctype.Type) (*abi.Plan, error) { return aapcs64.ClassifyVarargs(p, x, apple) }},
	}[[2]string{runtime.GOOS, runtime.GOARCH}]
	if !ok {
		if _, err := Classify(nil); err == nil {
			t.Fatalf("Classify on %s/%s: no error", runtime.GOOS, runtime.GOARCH)
		}
		return
	}
	s := cparse.NewScope(ctype.Host())
	for _, decl := range []string{
		"int (*)(int, double, char, void *)",
		"struct { double x, y; } (*)(struct { float a; int b; }, long long)",
		"struct { long long a, b, c; } (*)(struct { char c[24]; }, float)",
		"int (*)(const char *, ...)",
	} {
		ft, err := s.ParseType(decl)
		if err != nil {
			t.Fatal(err)
		}
		ft = ft.Elem
		got, err := Classify(ft)
		if err != nil {
			t.Fatalf("%s: %v", decl, err)
		}
		exp, err := want.fixed(ft)
		if err != nil {
			t.Fatalf("%s: %v", decl, err)
		}
		if !reflect.DeepEqual(got, exp) {
			t.Errorf("%s: Classify placed it as %+v, the host convention as %+v", decl, got, exp)
		}
		if !ft.Variadic {
			continue
		}
		extra := []*ctype.Type{ctype.Host().Pointer(ft), ft.Params[0].Type}
		gv, err := ClassifyVarargs(got, extra)
		if err != nil {
			t.Fatalf("%s: %v", decl, err)
		}
		ev, err := want.varargs(exp, extra)
		if err != nil {
			t.Fatalf("%s: %v", decl, err)
		}
		if !reflect.DeepEqual(gv, ev) {
			t.Errorf("%s: ClassifyVarargs placed it as %+v, the host convention as %+v", decl, gv, ev)
		}
	}
}
