package upcall

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/goabi"
)

// TestGeneralErasedCalls places the erased call of every generated general
// invoker (zgeneral*.go, for every architecture, on every host) with the
// register model of the architecture it is built for, and checks what
// fill and store assume: every scalar parameter and result in a register,
// the argument block stack-assigned at offset 0 and the result block right
// after the arguments. An erased call taking fewer integer registers than
// the architecture has would pass a one-word block in a register (arm64
// once, with amd64's 9 and 15).
func TestGeneralErasedCalls(t *testing.T) {
	// Go's register ABI (cmd/compile/abi-internal.md): argument registers.
	for _, c := range []struct {
		file, arch   string
		ints, floats int
	}{
		{"zgeneral.go", "amd64", 9, 15},
		{"zgeneral_arm64.go", "arm64", 16, 16},
	} {
		f, err := parser.ParseFile(token.NewFileSet(), c.file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fd.Name.Name, "invokeArgs") {
				continue
			}
			var erased *ast.FuncType
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if ft, ok := n.(*ast.FuncType); ok {
					erased = ft
				}
				return erased == nil
			})
			if erased == nil {
				t.Fatalf("%s: %s has no erased call", c.file, fd.Name.Name)
			}
			ft := reflect.FuncOf(fieldTypes(t, erased.Params), fieldTypes(t, erased.Results), false)
			checkErased(t, c.file+": "+fd.Name.Name, ft, c.ints, c.floats)
			if c.arch == runtime.GOARCH && (ft.NumIn() < goInts+goFloats || ft.In(goInts-1).Kind() != reflect.Uint64 || ft.In(goInts).Kind() != reflect.Float64) {
				t.Errorf("%s: %s does not take the %d and %d registers fill numbers", c.file, fd.Name.Name, goInts, goFloats)
			}
			n++
		}
		if n == 0 {
			t.Errorf("%s: no general invokers", c.file)
		}
	}
}

// checkErased checks the placement of erased call type ft with ni integer
// and nf floating-point registers.
func checkErased(t *testing.T, name string, ft reflect.Type, ni, nf int) {
	t.Helper()
	gf, err := goabi.Assign(ft, goabi.Regs{Int: ni, Float: nf})
	if err != nil {
		t.Fatal(err)
	}
	check := func(what string, ps []goabi.Value, types func(int) reflect.Type, base int) {
		for i, p := range ps {
			switch typ := types(i); {
			case typ.Kind() == reflect.Array && (!p.Stack || p.Pieces[0].Index != base):
				t.Errorf("%s: %s block %v placed at %+v, want the stack at offset %d", name, what, typ, p, base)
			case typ.Kind() != reflect.Array && p.Stack:
				t.Errorf("%s: %s %d (%v) on the stack", name, what, i, typ)
			}
		}
	}
	check("argument", gf.Params, ft.In, 0)
	check("result", gf.Results, ft.Out, gf.ResultsOff)
}

// fieldTypes returns the types of a generated parameter or result list:
// uint64, float64 and [k]uint64.
func fieldTypes(t *testing.T, fl *ast.FieldList) []reflect.Type {
	var ts []reflect.Type
	if fl == nil {
		return nil
	}
	for _, f := range fl.List {
		var typ reflect.Type
		switch e := f.Type.(type) {
		case *ast.Ident:
			switch e.Name {
			case "uint64":
				typ = reflect.TypeFor[uint64]()
			case "float64":
				typ = reflect.TypeFor[float64]()
			}
		case *ast.ArrayType:
			if lit, ok := e.Len.(*ast.BasicLit); ok {
				if k, err := strconv.Atoi(lit.Value); err == nil {
					typ = reflect.ArrayOf(k, reflect.TypeFor[uint64]())
				}
			}
		}
		if typ == nil {
			t.Fatalf("unexpected type %T in an erased call", f.Type)
		}
		for range max(1, len(f.Names)) {
			ts = append(ts, typ)
		}
	}
	return ts
}

// TestGeneralErasedCallsDetect checks that the placement check fails for
// the erased calls arm64 once had: amd64's 9 and 15 registers, then a
// one-word block.
func TestGeneralErasedCallsDetect(t *testing.T) {
	var in []reflect.Type
	for range 9 {
		in = append(in, reflect.TypeFor[uint64]())
	}
	for range 15 {
		in = append(in, reflect.TypeFor[float64]())
	}
	ft := reflect.FuncOf(append(in, reflect.TypeFor[[1]uint64]()), append(in[:24:24], reflect.TypeFor[[2]uint64]()), false)
	gf, err := goabi.Assign(ft, goabi.Regs{Int: 16, Float: 16})
	if err != nil {
		t.Fatal(err)
	}
	if p := gf.Params[24]; p.Stack {
		t.Fatalf("a one-word block after 9 integer registers is stack-assigned with 16: %+v", p)
	}
	if gf, err = goabi.Assign(ft, goabi.Regs{Int: 9, Float: 15}); err != nil {
		t.Fatal(err)
	}
	if p := gf.Params[24]; !p.Stack || p.Pieces[0].Index != 0 {
		t.Fatalf("a one-word block after all 9 integer registers is not at stack offset 0: %+v", p)
	}
}
