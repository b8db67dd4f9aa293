package errfmt

import (
	"errors"
	"fmt"
	"io"
	"os"
	"testing"
)

// TestLikeFmt checks Errorf against fmt.Errorf: the same message and the
// same wrapped errors.
func TestLikeFmt(t *testing.T) {
	e1, e2 := io.EOF, os.ErrNotExist
	cases := []struct {
		format string
		args   []any
	}{
		{"plain", nil},
		{"100%% sure", nil},
		{"%d%% of %s", []any{5, "x"}},
		{"ffi: open %s: %w", []any{"libc.so.6", e1}},
		{"%w [%s=1]", []any{e1, "FFI_PTRCHECK"}},
		{"%w (%w)", []any{e1, e2}},
		{"%w (%w)", []any{e1, e1}},
		{"%w and %w", []any{e1, nil}},
		{"%w", []any{nil}},
		{"argument %d (%v): %w", []any{3, "int", e2}},
		{"stub: argument move %d: from %v to %v is not a Go word", []any{1, "a", "b"}},
		{"a leaf record (enter %#x, name %#x)", []any{uintptr(16), uintptr(0)}},
		{"fn is a %T, not a func", []any{3}},
		{"%q: %v", []any{"x", e1}},
		{"%5d|%-4s|%+v: %w", []any{7, "ab", 1.5, e2}},
		{"%w", []any{}},
		{"trailing %", nil},
	}
	for _, c := range cases {
		got, want := Errorf(c.format, c.args...), fmt.Errorf(c.format, c.args...)
		if got.Error() != want.Error() {
			t.Errorf("Errorf(%q) = %q, fmt.Errorf gives %q", c.format, got, want)
		}
		if g, w := errors.Unwrap(got), errors.Unwrap(want); g != w {
			t.Errorf("Errorf(%q) unwraps to %v, fmt.Errorf's to %v", c.format, g, w)
		}
		gm, gok := got.(interface{ Unwrap() []error })
		wm, wok := want.(interface{ Unwrap() []error })
		if gok != wok || gok && fmt.Sprint(gm.Unwrap()) != fmt.Sprint(wm.Unwrap()) {
			t.Errorf("Errorf(%q) wraps several errors: %v, fmt.Errorf's: %v", c.format, gok, wok)
		}
		for _, e := range []error{e1, e2} {
			if errors.Is(got, e) != errors.Is(want, e) {
				t.Errorf("Errorf(%q): errors.Is(%v) differs from fmt.Errorf's", c.format, e)
			}
		}
	}
}
