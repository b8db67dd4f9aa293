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
	var f []byte
	arg := 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		for i++; i < len(format) && isFlag(format[i]); i++ {
		}
		if i == len(format) {
			break
		}
		switch format[i] {
		case '%':
			continue
		case 'w':
			if arg >= len(a) {
				break
			}
			w = append(w, arg)
			if _, ok := a[arg].(error); ok {
				// Else Sprintf spells the bad verb as Errorf does.
				if f == nil {
					f = []byte(format)
				}
				f[i] = 'v'
			}
		}
		arg++
	}
	if f != nil {
		format = string(f)
	}
	msg := fmt.Sprintf(format, a...)
	if len(w) == 0 {
		return errors.New(msg)
	}
	var errs []error
	for k, n := range w {
		if e, ok := wrapped(a, n); ok && (k == 0 || w[k-1] != n) {
			errs = append(errs, e)
		}
	}
	if len(w) == 1 {
		e, _ := wrapped(a, w[0])
		return &wrapError{msg, e}
	}
	return &wrapErrors{msg, errs}
}

// isFlag reports whether c may stand between a '%' and its verb.
func isFlag(c byte) bool {
	return c == '+' || c == '-' || c == '#' || c == ' ' || c == '.' || '0' <= c && c <= '9'
}

// wrapped returns argument n of a if it is an error.
func wrapped(a []any, n int) (error, bool) {
	if n >= len(a) {
		return nil, false
	}
	e, ok := a[n].(error)
	return e, ok
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
