package ffi

import (
	"fmt"
	"sync"

	"github.com/seed5ca82032/ffi/internal/downcall"
)

// Library is a shared library opened with Open. Its methods are safe for
// concurrent use.
type Library struct {
	name   string
	mu     sync.Mutex
	handle uintptr
	closed bool
}

// Open loads the shared library name the way dlopen(3) does: a name without
// a slash is searched for in the loader's path, and "" opens the running
// program (every symbol loaded globally, libc included). Symbols are bound
// immediately (RTLD_NOW), so a library with unresolved symbols fails here
// rather than at a later call, and are kept local (RTLD_LOCAL), so two
// libraries that define the same name do not interfere; each Library resolves
// its own symbols with Sym. The error includes the loader's message.
func Open(name string) (*Library, error) {
	h, err := downcall.Dlopen(name, downcall.RTLD_NOW|downcall.RTLD_LOCAL)
	if err != nil {
		return nil, fmt.Errorf("ffi: open %s: %v", libName(name), err)
	}
	return &Library{name: name, handle: h}, nil
}

// Name returns the name the library was opened with.
func (l *Library) Name() string { return l.name }

// Sym returns the address of the symbol name in l (a function or a
// variable). A missing symbol is an error naming the symbol and the library.
func (l *Library) Sym(name string) (uintptr, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, fmt.Errorf("ffi: symbol %s: library %s is closed", name, libName(l.name))
	}
	addr, err := downcall.Dlsym(l.handle, name)
	if err != nil {
		return 0, fmt.Errorf("ffi: symbol %s not found in %s: %v", name, libName(l.name), err)
	}
	return addr, nil
}

// Close releases the library (dlclose(3)). Functions bound from it must not
// be called afterwards: the code may be unmapped. Closing a library twice
// is an error.
func (l *Library) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return fmt.Errorf("ffi: close %s: already closed", libName(l.name))
	}
	l.closed = true
	if err := downcall.Dlclose(l.handle); err != nil {
		return fmt.Errorf("ffi: close %s: %v", libName(l.name), err)
	}
	return nil
}

// libName is the name used in errors for a library opened as name.
func libName(name string) string {
	if name == "" {
		return "the running program"
	}
	return `"` + name + `"` // not %q: Windows paths keep single backslashes
}
