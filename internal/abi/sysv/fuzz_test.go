package sysv

import (
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/abitest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// FuzzClassify builds a random function type (structs, unions, arrays,
// bit-fields, packed and aligned members, flexible arrays, long double)
// from the input bytes and checks that Classify does not panic and returns
// a self-consistent plan or an *abi.Error; likewise for ClassifyVarargs.
// The seed corpus is in testdata/fuzz/FuzzClassify.
func FuzzClassify(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16})
	f.Add([]byte{0xff, 0x10, 0x00, 0x22, 0x45, 0x01, 0x99, 0x03, 0x77, 0x18, 0x30, 0xaa, 0x5e, 0x60})
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &abitest.Gen{Next: abitest.ByteSource(data), D: abitest.NewDecls(ctype.LinuxAMD64), AllowLD: true}
		variadic := g.Pick(4) == 0
		fn, err := g.Function(20, variadic)
		if err != nil {
			return // the model refused the type; nothing to classify
		}
		p, err := Classify(fn)
		if err != nil {
			if !isABIError(err) {
				t.Fatalf("Classify(%s): error %v is not an *abi.Error", abi.TypeString(fn), err)
			}
			return
		}
		checkPlan(t, p)
		if !variadic {
			return
		}
		var extra []*ctype.Type
		for n := g.Pick(8); n > 0; n-- {
			et, err := g.Value(0)
			if err != nil {
				return
			}
			extra = append(extra, et)
		}
		q, err := ClassifyVarargs(p, extra)
		if err != nil {
			if !isABIError(err) {
				t.Fatalf("ClassifyVarargs: error %v is not an *abi.Error", err)
			}
			return
		}
		checkPlan(t, q)
	})
}
