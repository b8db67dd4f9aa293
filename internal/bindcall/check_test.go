package bindcall

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// TestCheckPointer: Config.CheckPointer sees each pointer and slice
// argument with its position and Go type before the call, and its error
// panics the call.
func TestCheckPointer(t *testing.T) {
	if !Supported {
		t.Skip("no trampoline on this platform")
	}
	m := ctype.Host()
	vp := m.Pointer(m.Void())
	ft, err := m.Func(m.IntOfSize(8, true), []ctype.Param{{Type: vp}, {Type: m.IntOfSize(8, true)}, {Type: vp}}, false)
	if err != nil {
		t.Fatal(err)
	}
	var fn func(p *int64, n int64, b []byte) int64
	sig, err := convert.MatchFunc(reflect.TypeOf(fn), ft, convert.Options{Dir: convert.Call})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := SelfTestClassify(ft)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	cfg := Config{Name: "checked", Sig: sig, Plan: plan, CheckPointer: func(i int, ty reflect.Type, p unsafe.Pointer) error {
		seen = append(seen, ty.String())
		if ty.Kind() == reflect.Slice {
			return errors.New("refused")
		}
		return nil
	}}
	st, src, err := newState(reflect.TypeOf(fn), cfg)
	if err != nil {
		t.Fatal(err)
	}
	st.mode = modeEcho
	c := &closure{code: trampolinePC, src: src, st: st}
	*(*unsafe.Pointer)(unsafe.Pointer(&fn)) = unsafe.Pointer(c)
	defer func() {
		err, _ := recover().(error)
		if err == nil || !strings.Contains(err.Error(), "argument 3 ([]uint8): refused") || strings.Join(seen, ",") != "*int64,[]uint8" {
			t.Errorf("panic %v after checking %v", err, seen)
		}
	}()
	fn(new(int64), 1, make([]byte, 4))
}
