package ffi

import (
	"reflect"
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi/host"
	"github.com/seed5ca82032/ffi/internal/bindcall"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Bind sets the Go func variable that fnPtr points to so that calling it
// calls the C function named by decl in l. decl is a C declaration such as
// "int sqlite3_open(const char *filename, sqlite3 **ppDb)", or the name of
// a function declared with Cdef; the symbol is looked up by that name. A
// name that is an object-like #define of another name (gmp.h's "#define
// mpz_init __gmpz_init") binds the function it names, by that function's
// symbol; a function-like macro is an error saying so.
// Declarations are resolved in the scope l was opened in (the default
// scope for Open, s for Scope.Open).
//
// The Go func type must match the declaration the way callbacks match (see
// NewCallback): exact-width integers of the same signedness (Go int and
// uint for any C integer, uintptr for pointer-sized ones), float32 for
// float, float64 for double, bool for _Bool, unsafe.Pointer, uintptr or any
// Go pointer for a C pointer, and a Go struct with the same layout for a C
// struct or union passed by value. Calls also accept a Go string for a C
// char pointer (copied to a NUL-terminated buffer that lives for the call;
// as a result, the C string is copied into a Go string, NULL giving ""), a
// Go slice for a C pointer parameter (the address of its first element,
// or NULL if its capacity is 0; the slice is kept reachable for the call),
// and a *Callback for any C pointer parameter (its Ptr: C never sees the
// Go object; for a function pointer parameter the callback's C type must
// match, or the call panics with an error naming both types). A variadic C
// function takes a Go func whose last parameter is ...any; the extra
// arguments get C's default argument promotions (see Bind).
//
// The Go func may declare one more result of type error, after the C
// result: errno is cleared before the call and read right after it on the
// same thread, and the error is syscall.Errno(errno), or nil when errno is
// 0. (Many C functions leave errno alone on success; check the C result
// first, as the function's manual says.) Not on Windows, where each C
// runtime (msvcrt, ucrt) keeps its own errno and syscall.Errno holds
// Windows error codes: there Bind refuses an error result with an error.
//
// Calls do not use reflection and do not allocate: the Go func is given a
// body (an assembly trampoline per architecture and a call plan built by
// Bind) that receives the arguments as Go's register ABI passes them, keeps
// every Go pointer argument visible to the garbage collector until C
// returns, and copies strings and aggregates C reads by address into
// memory that does not move while C runs, even when a callback grows the
// goroutine's stack. Strings of more than a few hundred bytes are copied
// into a new allocation.
//
// The bound func may be called from any goroutine. C code it calls may
// call back into Go (through a Callback) and may block; the scheduler runs
// other goroutines meanwhile. Calling it after l is closed is undefined.
// Options (Leaf) change how the function is called.
func (l *Library) Bind(fnPtr any, decl string, opts ...Option) error {
	if err := checkFuncPtr(fnPtr); err != nil {
		return err
	}
	name, ft, err := l.declScope().funcDecl(decl)
	if err != nil {
		return errfmt.Errorf("ffi: bind %q: %v", decl, err)
	}
	if name == "" {
		return errfmt.Errorf("ffi: bind %q: the declaration names no function to look up in %s (use ffi.Bind with an address)", decl, libName(l.name))
	}
	addr, err := l.Sym(l.declScope().symbol(name))
	if err != nil {
		return err
	}
	return bindFunc(fnPtr, addr, ft, name, opts)
}

// Bind sets the Go func variable that fnPtr points to so that calling it
// calls the C function at addr, of the type given by decl: a declaration
// ("double cos(double)"; the name is ignored), a function pointer type
// ("double (*)(double)") or a typedef or function name declared with Cdef.
// addr may be any C function pointer, a Callback's Ptr included. Type
// matching and conveniences are those of Library.Bind.
//
// Variadic functions ("int snprintf(char *, size_t, const char *, ...)")
// bind to a Go func whose last parameter is ...any. Each extra argument is
// passed as C's default argument promotions make it: bool and integers of
// at most 32 bits as int (uint32 as unsigned int), int, int64, uint, uint64
// and uintptr as 64-bit integers, float32 and float64 as double, string as
// a NUL-terminated char pointer, pointers, unsafe.Pointer, slices and
// *Callback as pointers, and nil as NULL. Any other type (a struct, a map,
// a slice of strings…) panics at the call with an error naming the
// argument's position and Go type. The placement of the extra arguments is
// computed once per sequence of promoted types and cached, with a call
// stub compiled for it; only the caller's boxing of the arguments into
// ...any allocates. A bound func keeps the placements of 1,024 sequences
// and compiles stubs for the first 64 (each a few hundred bytes of
// executable memory, shared by every bound func of the same call shape; on
// platforms other than Linux each takes a page); later
// sequences run a slower interpreted path, and past 1,024 their placement
// is computed at each call, so that a program passing ever new sequences
// does not grow memory without end. Options are those of Library.Bind.
func Bind(fnPtr any, addr uintptr, decl string, opts ...Option) error {
	return defaultScope.Bind(fnPtr, addr, decl, opts...)
}

// Bind is like the package-level Bind, with decl resolved in scope s.
func (s *Scope) Bind(fnPtr any, addr uintptr, decl string, opts ...Option) error {
	if err := checkFuncPtr(fnPtr); err != nil {
		return err
	}
	name, ft, err := s.funcDecl(decl)
	if err != nil {
		return errfmt.Errorf("ffi: bind %q: %v", decl, err)
	}
	if name == "" {
		name = decl
	}
	return bindFunc(fnPtr, addr, ft, name, opts)
}

// checkFuncPtr reports whether fnPtr is a non-nil pointer to a func.
func checkFuncPtr(fnPtr any) error {
	if fnPtr == nil {
		return errfmt.Errorf("ffi: bind: fnPtr is nil, need a pointer to a func variable")
	}
	v := reflect.ValueOf(fnPtr)
	if v.Kind() != reflect.Pointer || v.Type().Elem().Kind() != reflect.Func {
		return errfmt.Errorf("ffi: bind: fnPtr is a %T, need a pointer to a func variable", fnPtr)
	}
	if v.IsNil() {
		return errfmt.Errorf("ffi: bind: fnPtr is a nil %T, need a pointer to a func variable", fnPtr)
	}
	return nil
}

var (
	callbackType = reflect.TypeFor[*Callback]()
	errorType    = reflect.TypeFor[error]()
)

func init() { bindcall.SelfTestClassify = host.Classify }

// bindFunc matches, classifies and installs the call of addr.
func bindFunc(fnPtr any, addr uintptr, ft *ctype.Type, name string, opts []Option) error {
	cfg, err := newBindConfig(name, opts)
	if err != nil {
		return errfmt.Errorf("ffi: bind %s: %v", name, err)
	}
	if addr == 0 {
		return errfmt.Errorf("ffi: bind %s: the function address is 0", name)
	}
	if !downcall.Supported || !bindcall.Supported {
		return errfmt.Errorf("ffi: bind %s: calling C is not implemented on %s/%s yet", name, runtime.GOOS, runtime.GOARCH)
	}
	g := reflect.ValueOf(fnPtr).Elem().Type()
	// A last result of type error receives errno.
	errno := false
	if n := g.NumOut(); n > 0 && g.Out(n-1) == errorType {
		if !downcall.ErrnoSupported() {
			return errfmt.Errorf("ffi: bind %s: the error result needs errno, which is not supported on %s/%s", name, runtime.GOOS, runtime.GOARCH)
		}
		errno = true
	}
	sig, err := convert.MatchFunc(g, ft, convert.Options{Dir: convert.Call, CallbackType: callbackType, Errno: errno})
	if err != nil {
		return errfmt.Errorf("ffi: bind %s: %v", name, err)
	}
	plan, err := host.Classify(ft)
	if err != nil {
		return errfmt.Errorf("ffi: bind %s: %v", name, err)
	}
	err = bindcall.Install(fnPtr, bindcall.Config{
		Fn:           addr,
		Name:         name,
		Sig:          sig,
		Plan:         plan,
		Errno:        errno,
		Callback:     callbackArg,
		CallbackType: callbackType,
		Varargs:      host.ClassifyVarargs,
		CheckPointer: pointerCheck(),
		Leaf:         cfg.leaf,
	})
	if err != nil {
		return errfmt.Errorf("ffi: bind %s: %w", name, err)
	}
	return nil
}

// callbackArg is the C pointer passed for a *Callback argument: refused
// when the parameter is a function pointer of another C type.
func callbackArg(p unsafe.Pointer, param *ctype.Type) (uintptr, error) {
	cb := (*Callback)(p)
	if param.Kind == ctype.Pointer && param.Elem != nil && param.Elem.Kind == ctype.Func && !sameABIType(param.Elem, cb.slot.Proto.FT, 0) {
		return 0, errfmt.Errorf("a callback of C type %s passed for a parameter of C type %s (where C casts function pointers to a generic type, as GLib's GCallback, declare the Go parameter uintptr and pass the callback's Ptr)", cb.slot.Proto.Decl, param)
	}
	return cb.Ptr(), nil
}

// sameABIType reports whether C types a and b are passed alike: the same
// kinds, sizes and signedness, function types with matching results and
// parameters; any two data pointers match (C code converts them freely).
func sameABIType(a, b *ctype.Type, depth int) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || depth > 16 || a.Kind != b.Kind || a.Size != b.Size || a.Align != b.Align {
		return false
	}
	switch a.Kind {
	case ctype.Int, ctype.Enum:
		return a.Signed == b.Signed
	case ctype.Pointer:
		fa := a.Elem != nil && a.Elem.Kind == ctype.Func
		fb := b.Elem != nil && b.Elem.Kind == ctype.Func
		return fa == fb && (!fa || sameABIType(a.Elem, b.Elem, depth+1))
	case ctype.Func:
		if a.Variadic != b.Variadic || len(a.Params) != len(b.Params) || !sameABIType(a.Result, b.Result, depth+1) {
			return false
		}
		for i := range a.Params {
			if !sameABIType(a.Params[i].Type, b.Params[i].Type, depth+1) {
				return false
			}
		}
		return true
	case ctype.Array:
		return a.Len == b.Len && sameABIType(a.Elem, b.Elem, depth+1)
	case ctype.Struct, ctype.Union:
		if len(a.Fields) != len(b.Fields) {
			return false
		}
		for i := range a.Fields {
			if a.Fields[i].Offset != b.Fields[i].Offset || !sameABIType(a.Fields[i].Type, b.Fields[i].Type, depth+1) {
				return false
			}
		}
	}
	return true
}
