package ffi

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/downcall"
)

// Bind sets the Go func variable that fnPtr points to so that calling it
// calls the C function named by decl in l. decl is a C declaration such as
// "int sqlite3_open(const char *filename, sqlite3 **ppDb)", or the name of
// a function declared with Cdef; the symbol is looked up by that name.
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
// pinned for the call), and a *Callback for any C pointer parameter (its
// Ptr: C never sees the Go object). A variadic C function takes a Go func
// whose last parameter is ...any; the extra arguments get C's default
// argument promotions (see Bind).
//
// The bound func may be called from any goroutine. C code it calls may
// call back into Go (through a Callback) and may block; the scheduler runs
// other goroutines meanwhile. Calling it after l is closed is undefined.
// Options (Leaf) change how the function is called.
func (l *Library) Bind(fnPtr any, decl string, opts ...Option) error {
	if err := checkFuncPtr(fnPtr); err != nil {
		return err
	}
	name, ft, err := defaultScope.funcDecl(decl)
	if err != nil {
		return fmt.Errorf("ffi: bind %q: %v", decl, err)
	}
	if name == "" {
		return fmt.Errorf("ffi: bind %q: the declaration names no function to look up in %s (use ffi.Bind with an address)", decl, libName(l.name))
	}
	addr, err := l.Sym(name)
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
// *Callback as pointers, and nil as NULL. Any other type panics at the
// call. Variadic calls go through reflection. Options are those of
// Library.Bind.
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
		return fmt.Errorf("ffi: bind %q: %v", decl, err)
	}
	if name == "" {
		name = decl
	}
	return bindFunc(fnPtr, addr, ft, name, opts)
}

// checkFuncPtr reports whether fnPtr is a non-nil pointer to a func.
func checkFuncPtr(fnPtr any) error {
	if fnPtr == nil {
		return fmt.Errorf("ffi: bind: fnPtr is nil, need a pointer to a func variable")
	}
	v := reflect.ValueOf(fnPtr)
	if v.Kind() != reflect.Pointer || v.Type().Elem().Kind() != reflect.Func {
		return fmt.Errorf("ffi: bind: fnPtr is a %T, need a pointer to a func variable", fnPtr)
	}
	if v.IsNil() {
		return fmt.Errorf("ffi: bind: fnPtr is a nil %T, need a pointer to a func variable", fnPtr)
	}
	return nil
}

var callbackType = reflect.TypeFor[*Callback]()

// bindFast enables the typed fast paths; tests turn it off to run the same
// signatures through the reflection path.
var bindFast = true

// bindFunc matches, classifies and installs the call of addr.
func bindFunc(fnPtr any, addr uintptr, ft *ctype.Type, name string, opts []Option) error {
	cfg, err := newBindConfig(name, opts)
	if err != nil {
		return fmt.Errorf("ffi: bind %s: %v", name, err)
	}
	if addr == 0 {
		return fmt.Errorf("ffi: bind %s: the function address is 0", name)
	}
	if !downcall.Supported {
		return fmt.Errorf("ffi: bind %s: calling C is not implemented on %s/%s yet", name, runtime.GOOS, runtime.GOARCH)
	}
	fv := reflect.ValueOf(fnPtr).Elem()
	sig, err := convert.MatchFunc(fv.Type(), ft, convert.Options{Dir: convert.Call, CallbackType: callbackType})
	if err != nil {
		return fmt.Errorf("ffi: bind %s: %v", name, err)
	}
	plan, err := classify(ft)
	if err != nil {
		return fmt.Errorf("ffi: bind %s: %v", name, err)
	}
	if fast := fastCall(addr, sig, plan); bindFast && fast != nil {
		fast.Leaf = cfg.leaf
		if downcall.SetFast(fnPtr, fast) {
			return nil
		}
	}
	c := &call{addr: addr, name: name, sig: sig, plan: plan, leaf: cfg.leaf}
	fv.Set(reflect.MakeFunc(fv.Type(), c.call))
	return nil
}

// fastCall prepares the reflection-free path, or returns nil when the
// signature needs the general one: every value a scalar, pointer or string
// in one register, no memory result, not variadic.
func fastCall(addr uintptr, sig *convert.Sig, plan *abi.Plan) *downcall.Fast {
	if sig.Varargs || plan.SRet {
		return nil
	}
	fc := &downcall.Fast{Fn: addr, Args: make([]downcall.ArgOp, len(sig.Params))}
	for i := range sig.Params {
		v, parts := &sig.Params[i], plan.Args[i].Parts
		if !fastKind(v.Kind) || len(parts) != 1 || plan.Args[i].ByRef {
			return nil
		}
		op := downcall.ArgOp{Shift: shift(v), Signed: v.Signed && v.Kind == convert.Int, String: v.Kind == convert.String}
		switch parts[0].Loc {
		case abi.GPR:
			op.Reg = uint8(parts[0].Index)
		case abi.FPR:
			op.Reg = uint8(downcall.FirstFPR + parts[0].Index)
		default:
			return nil
		}
		fc.Args[i] = op
	}
	if r := sig.Result; r != nil {
		if !fastKind(r.Kind) || len(plan.Result.Parts) != 1 {
			return nil
		}
		fc.Res = downcall.ResultOp{
			FPR:    plan.Result.Parts[0].Loc == abi.FPR,
			Shift:  shift(r),
			Signed: r.Signed && r.Kind == convert.Int,
			String: r.Kind == convert.String,
		}
	}
	return fc
}

func fastKind(k convert.Kind) bool {
	switch k {
	case convert.Int, convert.Bool, convert.Float, convert.Double, convert.String:
		return true
	}
	return false
}

// shift is 64 minus the bits of the C value v.
func shift(v *convert.Value) uint8 {
	if v.Kind == convert.String || v.Size >= 8 {
		return 0
	}
	return uint8(64 - 8*v.Size)
}

// call is the general path of a bound function: reflect.MakeFunc calls it
// with the Go arguments.
type call struct {
	addr uintptr
	name string
	sig  *convert.Sig
	plan *abi.Plan
	leaf *string // see bindConfig
}

// args collects what one call keeps alive and pinned until C returns.
type args struct {
	f     downcall.Frame
	stack []uint64
	pin   runtime.Pinner
	keep  []any
}

func (c *call) call(in []reflect.Value) []reflect.Value {
	plan, sig := c.plan, c.sig
	var extra []reflect.Value
	var extraVals []convert.Value
	if sig.Varargs {
		rest := in[len(sig.Params)]
		var types []*ctype.Type
		for j := 0; j < rest.Len(); j++ {
			v, ev, err := promote(rest.Index(j).Elem()) // the value inside the any
			if err != nil {
				panic(fmt.Sprintf("ffi: call %s: variadic argument %d: %v", c.name, j+1, err))
			}
			extra = append(extra, ev)
			extraVals = append(extraVals, v)
			types = append(types, v.C)
		}
		var err error
		if plan, err = classifyVarargs(plan, types); err != nil {
			panic(fmt.Sprintf("ffi: call %s: %v", c.name, err))
		}
	}
	a := &args{stack: make([]uint64, plan.StackSize/8)}
	defer a.pin.Unpin()
	for i := range sig.Params {
		a.put(&plan.Args[i], &sig.Params[i], in[i])
	}
	for j := range extra {
		a.put(&plan.Args[len(sig.Params)+j], &extraVals[j], extra[j])
	}
	var ret reflect.Value // memory result buffer
	if plan.SRet {
		ret = reflect.New(sig.Result.Go)
		a.set(plan.SRetPart, uint64(uintptr(ret.UnsafePointer())))
	}
	a.f.Fn = c.addr
	a.f.AL = uint64(plan.NumFPR)
	if len(a.stack) > 0 {
		a.f.Stack, a.f.NStack = &a.stack[0], uintptr(len(a.stack))
	}
	if c.leaf != nil {
		downcall.CallLeaf(&a.f, c.leaf)
	} else {
		downcall.Call(&a.f)
	}
	runtime.KeepAlive(in)
	runtime.KeepAlive(extra)
	runtime.KeepAlive(a.keep)
	if sig.Result == nil {
		return nil
	}
	if plan.SRet {
		return []reflect.Value{ret.Elem()}
	}
	return []reflect.Value{a.result(&plan.Result, sig.Result)}
}

// set stores the 8-byte word w in the register or stack slot of part p.
func (a *args) set(p abi.Part, w uint64) {
	switch p.Loc {
	case abi.GPR:
		a.f.GPR[p.Index] = w
	case abi.FPR:
		a.f.FPR[p.Index] = w
	default:
		a.stack[p.Index/8] = w
	}
}

// put places the Go argument x, matched as v, where val says.
func (a *args) put(val *abi.Value, v *convert.Value, x reflect.Value) {
	switch v.Kind {
	case convert.Memory:
		p := reflect.New(v.Go)
		p.Elem().Set(x)
		src := p.UnsafePointer()
		if val.ByRef {
			a.keep = append(a.keep, p.Interface())
			a.set(val.Parts[0], uint64(uintptr(src)))
			return
		}
		for _, part := range val.Parts {
			if part.Loc == abi.Stack {
				dst := unsafe.Add(unsafe.Pointer(unsafe.SliceData(a.stack)), part.Index)
				copy(unsafe.Slice((*byte)(dst), part.Size), unsafe.Slice((*byte)(unsafe.Add(src, part.Offset)), part.Size))
				continue
			}
			var w uint64
			copy(unsafe.Slice((*byte)(unsafe.Pointer(&w)), part.Size), unsafe.Slice((*byte)(unsafe.Add(src, part.Offset)), part.Size))
			a.set(part, w)
		}
		runtime.KeepAlive(p)
		return
	case convert.String:
		s := x.String()
		b := make([]byte, len(s)+1)
		copy(b, s)
		a.keep = append(a.keep, b)
		a.set(val.Parts[0], uint64(uintptr(unsafe.Pointer(&b[0]))))
		return
	case convert.Slice:
		var w uint64
		if x.Cap() > 0 {
			p := x.UnsafePointer()
			a.pin.Pin(p)
			w = uint64(uintptr(p))
		}
		a.set(val.Parts[0], w)
		return
	case convert.CallbackPtr:
		var w uint64
		if cb := x.Interface().(*Callback); cb != nil {
			w = uint64(cb.Ptr())
			a.keep = append(a.keep, cb)
		}
		a.set(val.Parts[0], w)
		return
	}
	w := v.ToC(goBits(x))
	if val.ByRef {
		b := new(uint64)
		*b = w
		a.keep = append(a.keep, b)
		w = uint64(uintptr(unsafe.Pointer(b)))
	}
	a.set(val.Parts[0], w)
}

// goBits is the register image of a Go scalar or pointer.
func goBits(x reflect.Value) uint64 {
	switch x.Kind() {
	case reflect.Bool:
		if x.Bool() {
			return 1
		}
		return 0
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return uint64(x.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return x.Uint()
	case reflect.Float32:
		// Copy the bits: x.Float() widens to float64, which quiets a
		// signalling NaN.
		var f float32
		reflect.NewAt(x.Type(), unsafe.Pointer(&f)).Elem().Set(x)
		return uint64(math.Float32bits(f))
	case reflect.Float64:
		return math.Float64bits(x.Float())
	case reflect.Pointer, reflect.UnsafePointer:
		return uint64(uintptr(x.UnsafePointer()))
	}
	panic("ffi: unexpected Go type " + x.Type().String())
}

// result builds the Go result from the result registers.
func (a *args) result(val *abi.Value, v *convert.Value) reflect.Value {
	reg := func(p abi.Part) uint64 {
		if p.Loc == abi.FPR {
			return a.f.RetFPR[p.Index]
		}
		return a.f.RetGPR[p.Index]
	}
	out := reflect.New(v.Go)
	dst := out.UnsafePointer()
	switch v.Kind {
	case convert.String:
		out.Elem().SetString(downcall.GoString(uintptr(reg(val.Parts[0]))))
	case convert.Memory:
		for _, p := range val.Parts {
			w := reg(p)
			copy(unsafe.Slice((*byte)(unsafe.Add(dst, p.Offset)), p.Size), unsafe.Slice((*byte)(unsafe.Pointer(&w)), p.Size))
		}
	default:
		w := v.ToGo(reg(val.Parts[0]))
		copy(unsafe.Slice((*byte)(dst), v.Go.Size()), unsafe.Slice((*byte)(unsafe.Pointer(&w)), v.Go.Size()))
	}
	return out.Elem()
}

// promote returns the C type a variadic Go argument is passed as, after
// C's default argument promotions, matched like a fixed parameter, and the
// Go value converted to the promoted type's Go counterpart.
func promote(x reflect.Value) (convert.Value, reflect.Value, error) {
	m := ctype.Host()
	var ct *ctype.Type
	if !x.IsValid() { // nil
		x = reflect.Zero(reflect.TypeFor[unsafe.Pointer]())
	}
	switch x.Kind() {
	case reflect.Bool:
		ct, x = m.Int("int"), reflect.ValueOf(int32(goBits(x)))
	case reflect.Int8, reflect.Int16, reflect.Int32:
		ct, x = m.Int("int"), reflect.ValueOf(int32(x.Int()))
	case reflect.Uint8, reflect.Uint16:
		ct, x = m.Int("int"), reflect.ValueOf(int32(x.Uint()))
	case reflect.Uint32:
		ct = m.Int("unsigned int")
	case reflect.Int, reflect.Int64:
		ct, x = m.IntOfSize(8, true), reflect.ValueOf(x.Int())
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		ct, x = m.IntOfSize(8, false), reflect.ValueOf(x.Uint())
	case reflect.Float32, reflect.Float64:
		ct, x = m.Double(), reflect.ValueOf(x.Float())
	case reflect.String:
		ct = m.Pointer(m.Int("char"))
	case reflect.Pointer, reflect.UnsafePointer, reflect.Slice:
		ct = m.Pointer(m.Void())
	default:
		return convert.Value{}, x, fmt.Errorf("Go type %v has no C default argument promotion", x.Type())
	}
	g := x.Type()
	v := convert.Value{C: ct, Go: g, Size: ct.Size, Signed: ct.Signed}
	switch {
	case g.Kind() == reflect.String:
		v.Kind = convert.String
	case g.Kind() == reflect.Slice:
		v.Kind = convert.Slice
	case g == callbackType:
		v.Kind = convert.CallbackPtr
	case ct.Kind == ctype.Double:
		v.Kind = convert.Double
	default:
		v.Kind = convert.Int
	}
	return v, x, nil
}
