package bindcall

import (
	"fmt"
	"math"
	"reflect"
	"sync/atomic"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/downcall"
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

type varEntry struct {
	key  varKey
	plan argPlan
}

// varCache holds the argument plans of the sequences seen so far; it is
// copied on write, so lookups take no lock.
type varCache struct {
	entries atomic.Pointer[[]*varEntry]
}

// eface is the layout of an interface value.
type eface struct {
	typ, data unsafe.Pointer
}

// promoteCode classifies one variadic argument.
func (st *state) promoteCode(j int, a any) (uint8, reflect.Kind) {
	if a == nil {
		return vPtr, reflect.UnsafePointer
	}
	t := reflect.TypeOf(a)
	if t == st.cfg.CallbackType {
		return vCallback, reflect.Pointer
	}
	k := t.Kind()
	switch k {
	case reflect.Bool, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16:
		return vInt, k
	case reflect.Uint32:
		return vUint, k
	case reflect.Int, reflect.Int64:
		return vInt64, k
	case reflect.Uint, reflect.Uint64, reflect.Uintptr:
		return vUint64, k
	case reflect.Float32, reflect.Float64:
		return vDouble, k
	case reflect.String:
		return vString, k
	case reflect.Pointer, reflect.UnsafePointer:
		return vPtr, k
	case reflect.Slice:
		if err := convert.PointerFree(t.Elem()); err != nil {
			panic(&CallError{Name: st.name, Err: fmt.Errorf("variadic argument %d: C would read the elements of %v, and %v", j+1, t, err)})
		}
		return vSlice, k
	}
	panic(&CallError{Name: st.name, Err: fmt.Errorf("variadic argument %d: Go type %v has no C default argument promotion", j+1, t)})
}

// varKinds are the Go kinds of one call's extra arguments, as varPlan
// found them for placeVarargs.
type varKinds [maxVarargs]reflect.Kind

// varPlan returns the argument plan for this call's extra arguments and
// records their kinds in kinds.
func (st *state) varPlan(args []any, kinds *varKinds) *argPlan {
	if len(args) > maxVarargs {
		panic(&CallError{Name: st.name, Err: fmt.Errorf("%d variadic arguments; at most %d are supported", len(args), maxVarargs)})
	}
	key := varKey{n: len(args)}
	for j, a := range args {
		c, k := st.promoteCode(j, a)
		kinds[j] = k
		key.codes[j/16] |= uint64(c) << (4 * (j % 16))
	}
	if es := st.varCache.entries.Load(); es != nil {
		for _, e := range *es {
			if e.key == key {
				return &e.plan
			}
		}
	}
	return st.addVarPlan(key)
}

// addVarPlan classifies a new sequence and caches it.
func (st *state) addVarPlan(key varKey) *argPlan {
	st.varMu.Lock()
	defer st.varMu.Unlock()
	var old []*varEntry
	if es := st.varCache.entries.Load(); es != nil {
		old = *es
		for _, e := range old {
			if e.key == key {
				return &e.plan
			}
		}
	}
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
	if ap.scratch > maxFixed {
		panic(&CallError{Name: st.name, Err: fmt.Errorf("aggregates of %d bytes with variadic arguments are not supported", ap.scratch)})
	}
	ap.varCodes = key.codes
	e := &varEntry{key: key, plan: ap}
	// Bound the cache: a call site passes few distinct sequences.
	if len(old) < 64 {
		es := append(append([]*varEntry(nil), old...), e)
		st.varCache.entries.Store(&es)
	}
	return &e.plan
}

// placeVarargs converts and places the extra arguments of one call, of
// the kinds varPlan found.
func (st *state) placeVarargs(f *downcall.Frame, stk []uint64, sc *scratch, ap *argPlan, args []any, kinds *varKinds) {
	for j := range args {
		k := kinds[j]
		code := uint8(ap.varCodes[j/16]>>(4*(j%16))) & 15
		e := (*eface)(unsafe.Pointer(&args[j]))
		var w uint64
		switch code {
		case vInt, vUint, vInt64, vUint64:
			w = intBits(e.data, k)
		case vDouble:
			if k == reflect.Float32 {
				w = math.Float64bits(float64(*(*float32)(e.data)))
			} else {
				w = *(*uint64)(e.data)
			}
		case vString:
			s := *(*string)(e.data)
			w = uint64(sc.cstring(unsafe.Pointer(unsafe.StringData(s)), len(s)))
		case vPtr:
			w = uint64(uintptr(e.data))
		case vSlice:
			h := (*[3]uintptr)(e.data)
			if h[2] > 0 {
				w = uint64(h[0])
			}
		case vCallback:
			if e.data != nil {
				p, err := st.cfg.Callback(e.data, ctype.Host().Pointer(ctype.Host().Void()))
				if err != nil {
					panic(&CallError{Name: st.name, Err: fmt.Errorf("variadic argument %d: %v", j+1, err)})
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

// intBits is the promoted 64-bit image of the integer or bool at p.
func intBits(p unsafe.Pointer, k reflect.Kind) uint64 {
	switch k {
	case reflect.Bool, reflect.Uint8:
		return uint64(*(*uint8)(p))
	case reflect.Int8:
		return uint64(int64(*(*int8)(p)))
	case reflect.Int16:
		return uint64(int64(*(*int16)(p)))
	case reflect.Uint16:
		return uint64(*(*uint16)(p))
	case reflect.Int32:
		return uint64(int64(*(*int32)(p)))
	case reflect.Uint32:
		return uint64(*(*uint32)(p))
	}
	return *(*uint64)(p)
}
