package ffi

import "unsafe"

// Var returns the address of the C global variable name in l, for reading
// and writing it from Go:
//
//	p, err := lib.Var("counter") // int counter;
//	n := *(*int32)(p)
//
// The memory belongs to the library (it is not Go memory) and stays valid
// until l is closed. A missing symbol is an error naming it and the library.
func (l *Library) Var(name string) (unsafe.Pointer, error) {
	addr, err := l.Sym(name)
	if err != nil {
		return nil, err
	}
	return cPointer(addr), nil
}

// declScope is the scope that resolves l's declarations: the one it was
// opened in, or the default scope.
func (l *Library) declScope() *Scope {
	if l.scope == nil {
		return defaultScope
	}
	return l.scope
}
