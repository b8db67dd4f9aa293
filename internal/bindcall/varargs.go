package bindcall

import (
	"math"
	"reflect"
	"slices"
	"sync/atomic"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/downcall"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// maxVarargs is the number of extra arguments a variadic call may pass.
const maxVarargs = 64

// Promoted types of variadic arguments (C's default argument promotions).
const (
	vInt      uint8 = iota + 1 // int (from bool and integers of at most 32 bits)
	vUint                      // unsigned int (uint32)
	vInt64                     // long long (int, int64)
	vUint64                    // unsigned long long (uint, uint64, uintptr)
	vDouble                    // double (float32, float64)
	vString                    // char * to a copy
	vPtr                       // void * (pointers, unsafe.Pointer, nil)
	vSlice                     // void * to the first element
	vCallback                  // the C pointer of a *Callback
)

// varKey is the sequence of promoted types of one call's extra arguments.
type varKey struct {
	n     int
	codes [maxVarargs / 16]uint64 // 4 bits per argument
}

// varSeq is one sequence of Go types of extra arguments seen at a call,
// with what placeVarargs needs: their load codes and the argument plan of
// their promoted types.
type varSeq struct {
	types []unsafe.Pointer // the Go type word of each argument's interface (nil for nil)
	loads []uint8          // the load code of each (ldWord...)
	plan  *argPlan
}

// maxVarSeqs bounds the sequences of Go types a bound func remembers; a
// call site passes few. Past it, calls classify their arguments' types
// (a few nanoseconds each) and find the plan of their promoted types in
// varCache.plans, which has no bound.
const maxVarSeqs = 16

// maxVarStubs bounds the sequences of promoted types of one bound func
// that get a compiled stub (each maps at least a page of executable
// memory, shared by every binding of the same shape); later ones run
// dispatch's code (callVariadic). maxVarPlans bounds the plans kept;
// past it, a call of a new sequence builds its plan for itself, so that a
// program passing ever new sequences does not grow the cache without end.
const (
	maxVarStubs = 64
	maxVarPlans = 1024
)

// varCache holds what variadic calls of one bound func have seen: the
// sequences of Go types (copied on write, so a call looks them up without
// a lock) and, under varMu, the argument plans of sequences of promoted
// types, built once each.
type varCache struct {
	seqs  atomic.Pointer[[]*varSeq]
	plans map[varKey]*argPlan
}

// eface is the layout of an interface value.
type eface struct {
	typ, data unsafe.Pointer
}

// How placeVarargs reads the promoted 64-bit image of a variadic
// argument from its interface value: one code per Go type, so that a call
// takes one switch per argument.
const (
	ldWord     uint8 = iota // the 8 bytes at data (64-bit integers, float64)
	ldInt8                  // sign-extended from 1 byte
	ldUint8                 // zero-extended from 1 byte (and bool)
	ldInt16                 // sign-extended from 2 bytes
	ldUint16                // zero-extended from 2 bytes
	ldInt32                 // sign-extended from 4 bytes
	ldUint32                // zero-extended from 4 bytes
	ldFloat32               // a float32 promoted to double
	ldData                  // the data word itself (pointers and nil)
	ldString                // a copy of the string, NUL-terminated
	ldSlice                 // the first element's address, nil when the capacity is 0
	ldCallback              // the C pointer of a *Callback
)

// promote classifies one variadic argument: its promoted type (a varKey
// code) and how its image is read.
func (st *state) promote(j int, a any) (code, load uint8) {
	if a == nil {
		return vPtr, ldData
	}
	t := reflect.TypeOf(a)
	if t == st.cfg.CallbackType {
		return vCallback, ldCallback
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Uint8:
		return vInt, ldUint8
	case reflect.Int8:
		return vInt, ldInt8
	case reflect.Int16:
		return vInt, ldInt16
	case reflect.Uint16:
		return vInt, ldUint16
	case reflect.Int32:
		return vInt, ldInt32
	case reflect.Uint32:
		return vUint, ldUint32
	case reflect.Int, reflect.Int64:
		return vInt64, ldWord
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return vUint64, ldWord
	case reflect.Float32:
		return vDouble, ldFloat32
	case reflect.Float64:
		return vDouble, ldWord
	case reflect.String:
		return vString, ldString
	case reflect.Pointer, reflect.UnsafePointer:
		return vPtr, ldData
	case reflect.Slice:
		if err := convert.PointerFree(t.Elem()); err != nil {
			panic(&CallError{Name: st.name, Err: errfmt.Errorf("variadic argument %d: C would read the elements of %v, and %v", j+1, t, err)})
		}
		return vSlice, ldSlice
	}
	panic(&CallError{Name: st.name, Err: errfmt.Errorf("variadic argument %d: Go type %v has no C default argument promotion", j+1, t)})
}

// find returns the sequence of the Go types of args, or nil if it is new.
func (c *varCache) find(args []any) *varSeq {
	ss := c.seqs.Load()
	if ss == nil {
		return nil
	}
next:
	for _, s := range *ss {
		if len(s.types) != len(args) {
			continue
		}
		for j := range args {
			if (*eface)(unsafe.Pointer(&args[j])).typ != s.types[j] {
				continue next
			}
		}
		return s
	}
	return nil
}

// varLoads holds the load codes of one call's extra arguments while their
// sequence of types is new (varPlan).
type varLoads [maxVarargs]uint8

// varPlan returns the argument plan for this call's extra arguments and
// their load codes: those of a sequence of Go types seen before, or, for
// a new one, classified into lbuf.
func (st *state) varPlan(args []any, lbuf *varLoads) (*argPlan, []uint8) {
	if s := st.varCache.find(args); s != nil {
		return s.plan, s.loads
	}
	if len(args) > maxVarargs {
		panic(&CallError{Name: st.name, Err: errfmt.Errorf("%d variadic arguments; at most %d are supported", len(args), maxVarargs)})
	}
	key := varKey{n: len(args)}
	for j, a := range args {
		c, l := st.promote(j, a)
		lbuf[j] = l
		key.codes[j/16] |= uint64(c) << (4 * (j % 16))
	}
	loads := lbuf[:len(args)]
	return st.addVarPlan(key, args, loads), loads
}

// addVarPlan returns the plan of the promoted types key, classifying the
// sequence if it is new, and remembers the Go types of args (and their
// loads) for the next calls while there is room.
func (st *state) addVarPlan(key varKey, args []any, loads []uint8) *argPlan {
	st.varMu.Lock()
	defer st.varMu.Unlock()
	ap := st.varCache.plans[key]
	if ap == nil {
		n := len(st.varCache.plans)
		ap = st.newVarPlan(key, n < maxVarStubs)
		if n >= maxVarPlans {
			return ap // built for this call only
		}
		if st.varCache.plans == nil {
			st.varCache.plans = map[varKey]*argPlan{}
		}
		st.varCache.plans[key] = ap
	}
	var old []*varSeq
	if ss := st.varCache.seqs.Load(); ss != nil {
		old = *ss
	}
	if len(old) < maxVarSeqs && st.varCache.find(args) == nil {
		s := &varSeq{types: make([]unsafe.Pointer, len(args)), loads: append([]uint8(nil), loads...), plan: ap}
		for j := range args {
			s.types[j] = (*eface)(unsafe.Pointer(&args[j])).typ
		}
		ss := append(append([]*varSeq(nil), old...), s)
		st.varCache.seqs.Store(&ss)
	}
	return ap
}

// newVarPlan classifies the fixed parameters followed by extra arguments
// of the promoted types key, and compiles its stub if withStub.
func (st *state) newVarPlan(key varKey, withStub bool) *argPlan {
	m := ctype.Host()
	types := make([]*ctype.Type, key.n)
	for j := range types {
		switch uint8(key.codes[j/16]>>(4*(j%16))) & 15 {
		case vInt:
			types[j] = m.Int("int")
		case vUint:
			types[j] = m.Int("unsigned int")
		case vInt64:
			types[j] = m.IntOfSize(8, true)
		case vUint64:
			types[j] = m.IntOfSize(8, false)
		case vDouble:
			types[j] = m.Double()
		case vString:
			types[j] = m.Pointer(m.Int("char"))
		default:
			types[j] = m.Pointer(m.Void())
		}
	}
	plan, err := st.cfg.Varargs(st.basePlan, types)
	if err != nil {
		panic(&CallError{Name: st.name, Err: err})
	}
	ap, err := st.buildArgs(plan, len(st.cfg.Sig.Params))
	if err != nil {
		panic(&CallError{Name: st.name, Err: err})
	}
	// The scratch buffer: for what the fixed arguments need, strings'
	// copies and stack words past dispatch's own.
	ap.needScratch = ap.needScratch || ap.nstack > stackWords
	for j := range types {
		if uint8(key.codes[j/16]>>(4*(j%16)))&15 == vString {
			ap.needScratch = true
		}
		parts := plan.Args[len(st.cfg.Sig.Params)+j].Parts
		o, dup := op{}, op{}
		o.dst, o.di, _ = cDst(parts[0], 0)
		if len(parts) > 1 {
			dup.dst, dup.di, _ = cDst(parts[1], 0)
		}
		ap.extra = append(ap.extra, o)
		ap.extraDup = append(ap.extraDup, dup)
	}
	ap.varCodes = key.codes
	if fp := st.fast; fp != nil && withStub {
		ap.stubPC = fp.varStub(&ap)
	}
	return &ap
}

// varStub returns the compiled stub of a variadic call whose arguments
// are placed by ap, or 0 if the register path cannot make it (the call
// then runs dispatch's code, callVariadic): its C stack words must fit in
// the trampoline frame, and its fixed parameters must be placed as in the
// binding's own plan, whose Go-side ops (fp.extra) and memory result
// (fp.extraRes) the call runs.
func (fp *fastPlan) varStub(ap *argPlan) uintptr {
	base := &fp.st.args
	if ap.nstack > fastStackWords || !slices.Equal(ap.ops, base.ops) || ap.sret != base.sret ||
		ap.sretOff != base.sretOff || ap.sretDst != base.sretDst || ap.scratch != base.scratch {
		return 0
	}
	return makeStub(fp, ap)
}

// placeVarargs converts and places the extra arguments of one call, read
// as loads says.
func (st *state) placeVarargs(f *downcall.Frame, stk []uint64, sc *scratch, ap *argPlan, args []any, loads []uint8) {
	for j := range args {
		e := (*eface)(unsafe.Pointer(&args[j]))
		var w uint64
		switch loads[j] {
		case ldWord:
			w = *(*uint64)(e.data)
		case ldInt8:
			w = uint64(int64(*(*int8)(e.data)))
		case ldUint8:
			w = uint64(*(*uint8)(e.data))
		case ldInt16:
			w = uint64(int64(*(*int16)(e.data)))
		case ldUint16:
			w = uint64(*(*uint16)(e.data))
		case ldInt32:
			w = uint64(int64(*(*int32)(e.data)))
		case ldUint32:
			w = uint64(*(*uint32)(e.data))
		case ldFloat32:
			w = math.Float64bits(float64(*(*float32)(e.data)))
		case ldData:
			w = uint64(uintptr(e.data))
		case ldString:
			s := *(*string)(e.data)
			w = uint64(sc.cstring(unsafe.Pointer(unsafe.StringData(s)), len(s)))
		case ldSlice:
			if h := (*[3]uintptr)(e.data); h[2] > 0 {
				w = uint64(h[0])
			}
		case ldCallback:
			if e.data != nil {
				p, err := st.cfg.Callback(e.data, ctype.Host().Pointer(ctype.Host().Void()))
				if err != nil {
					panic(&CallError{Name: st.name, Err: errfmt.Errorf("variadic argument %d: %v", j+1, err)})
				}
				w = uint64(p)
			}
		}
		place(f, stk, &ap.extra[j], w)
		if d := &ap.extraDup[j]; d.dst != 0 {
			place(f, stk, d, w)
		}
	}
}
