// Package errfmt holds the one Errorf of the module.
//
// fmt.Errorf is inlined where it is called (its errors.New fast path
// included), which costs some sixty bytes of code at each of the hundreds
// of places that build an error; none of them is on a per-call path. It
// also links fmt's own %w machinery (and a sort for reordered arguments)
// into every program; Errorf here does the same with fmt.Sprintf.
package errfmt

import (
	"errors"
	"fmt"
	"strings"
)

// Errorf is fmt.Errorf for formats without argument indexes ("%[2]d")
// or '*' widths, which this module does not write: a %w verb formats an
// error argument as %v does, and the error wraps the arguments of the %w
// verbs that are errors (Unwrap returns the one error, or all of them
// when there are several), as fmt.Errorf's does.
//
//go:noinline
func Errorf(format string, a ...any) error {
	var w []int // the arguments of the %w verbs
	f := []byte(format)
	arg := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		for i++; i < len(f) && strings.IndexByte("+-# .0123456789", f[i]) >= 0; i++ {
		}
		if i == len(f) || f[i] == '%' {
			continue
		}
		if f[i] == 'w' && arg < len(a) {
			w = append(w, arg)
			if _, ok := a[arg].(error); ok {
				f[i] = 'v' // else Sprintf spells the bad verb as Errorf does
			}
		}
		arg++
	}
	msg := fmt.Sprintf(string(f), a...)
	switch len(w) {
	case 0:
		return errors.New(msg)
	case 1:
		e, _ := a[w[0]].(error)
		return &wrapError{msg, e}
	}
	var errs []error
	for k, n := range w {
		if e, ok := a[n].(error); ok && (k == 0 || w[k-1] != n) {
			errs = append(errs, e)
		}
	}
	return &wrapErrors{msg, errs}
}

// wrapError is the error of Errorf with one %w.
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }

func (e *wrapError) Unwrap() error { return e.err }

// wrapErrors is the error of Errorf with several %w.
type wrapErrors struct {
	msg  string
	errs []error
}

func (e *wrapErrors) Error() string { return e.msg }

func (e *wrapErrors) Unwrap() []error { return e.errs }
