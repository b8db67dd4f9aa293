package ffi

import (
	"errors"
	"strings"
	"sync"

	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Library is a shared library opened with Open. Its methods are safe for
// concurrent use. The zero Library is not a library: its methods return
// ErrNotOpen.
type Library struct {
	name   string
	scope  *Scope // resolves the declarations given to Bind
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
// its own symbols with Sym. The error includes the loader's message. A name
// containing a NUL byte is an error: C would read only the part before it.
// The library's Bind resolves declarations in the default scope (see Cdef);
// Scope.Open opens a library bound to another scope.
func Open(name string) (*Library, error) {
	return defaultScope.Open(name)
}

// Open is like the package-level Open, but the library's Bind resolves
// declarations, typedefs and function names in scope s.
func (s *Scope) Open(name string) (*Library, error) {
	if err := checkCName("library name", name); err != nil {
		return nil, errfmt.Errorf("ffi: open %s: %w", libName(name), err)
	}
	h, err := downcall.Dlopen(name, downcall.RTLD_NOW|downcall.RTLD_LOCAL)
	if err != nil {
		return nil, errfmt.Errorf("ffi: open %s: %v", libName(name), err)
	}
	return &Library{name: name, scope: s, handle: h}, nil
}

// Name returns the name the library was opened with.
func (l *Library) Name() string { return l.name }

// Sym returns the address of the symbol name in l (a function or a
// variable). A missing symbol is an error naming the symbol and the library;
// so is a name containing a NUL byte.
func (l *Library) Sym(name string) (uintptr, error) {
	if err := checkCName("symbol name", name); err != nil {
		return 0, errfmt.Errorf("ffi: symbol %q: %w", name, err)
	}
	if l == nil || l.handle == 0 {
		return 0, errfmt.Errorf("ffi: symbol %s: %w", name, ErrNotOpen)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, errfmt.Errorf("ffi: symbol %s: library %s is closed", name, libName(l.name))
	}
	addr, err := downcall.Dlsym(l.handle, name)
	if err != nil {
		return 0, errfmt.Errorf("ffi: symbol %s not found in %s: %v", name, libName(l.name), err)
	}
	return addr, nil
}

// Close releases the library (dlclose(3)). Functions bound from it must not
// be called afterwards: the code may be unmapped. Closing a library twice
// is an error.
func (l *Library) Close() error {
	if l == nil || l.handle == 0 {
		return errfmt.Errorf("ffi: close: %w", ErrNotOpen)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return errfmt.Errorf("ffi: close %s: already closed", libName(l.name))
	}
	l.closed = true
	if err := downcall.Dlclose(l.handle); err != nil {
		return errfmt.Errorf("ffi: close %s: %v", libName(l.name), err)
	}
	return nil
}

// ErrNotOpen is returned (wrapped) by the methods of a Library that was not
// made by Open.
var ErrNotOpen = errors.New("library not opened with ffi.Open")

// checkCName reports a NUL byte in name, which is passed to C as a
// NUL-terminated string and would be cut short there.
func checkCName(what, name string) error {
	if i := strings.IndexByte(name, 0); i >= 0 {
		return errfmt.Errorf("%s contains a NUL byte at offset %d", what, i)
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
