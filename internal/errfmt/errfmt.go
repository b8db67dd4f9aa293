// Package errfmt holds the one out-of-line fmt.Errorf of the module.
//
// fmt.Errorf is inlined where it is called (its errors.New fast path
// included), which costs some sixty bytes of code at each of the hundreds
// of places that build an error; none of them is on a per-call path.
package errfmt

import "fmt"

// Errorf is fmt.Errorf, never inlined.
//
//go:noinline
func Errorf(format string, a ...any) error { return fmt.Errorf(format, a...) }
