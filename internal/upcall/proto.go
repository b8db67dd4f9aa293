package upcall

import (
	"errors"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/host"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// Proto is a callback's C side: a function type and its placement by the
// host calling convention. Protos and shapes are cached, so creating many
// callbacks of one signature parses and classifies it once.
type Proto struct {
	FT   *ctype.Type // the C function type
	Decl string      // FT spelled in C, as a function pointer type
	plan *abi.Plan

	shapes sync.Map // reflect.Type of the Go func -> *shape
}

// maxCached bounds each cache: past it, results are computed but not kept,
// so a program that makes unbounded numbers of distinct declarations does
// not grow memory without bound.
const maxCached = 4096

var (
	protoCache   sync.Map // reflect.Type of a Go func -> *Proto
	protoCount   atomic.Int64
	cachedShapes atomic.Int64
)

// ProtoOfFunc returns the proto inferred from Go func type g.
func ProtoOfFunc(g reflect.Type) (*Proto, error) {
	if p, ok := protoCache.Load(g); ok {
		return p.(*Proto), nil
	}
	ft, err := convert.FuncFromGo(g, ctype.Host())
	if err != nil {
		return nil, err
	}
	p, err := NewProto(ft)
	if err != nil {
		return nil, errfmt.Errorf("%s: %w", ft, err)
	}
	if protoCount.Load() >= maxCached {
		return p, nil
	}
	actual, loaded := protoCache.LoadOrStore(g, p)
	if !loaded {
		protoCount.Add(1)
	}
	return actual.(*Proto), nil
}

// NewProto returns the proto of C function type ft (or a pointer to one).
func NewProto(ft *ctype.Type) (*Proto, error) {
	if ft.Kind == ctype.Pointer && ft.Elem != nil {
		ft = ft.Elem
	}
	if ft.Kind != ctype.Func {
		return nil, errfmt.Errorf("%s is not a function type", ft)
	}
	if ft.Variadic {
		return nil, errfmt.Errorf("variadic function %s cannot be a callback", ft)
	}
	plan, err := host.Classify(ft)
	if err != nil {
		return nil, err
	}
	return &Proto{FT: ft, Decl: ctype.Host().Pointer(ft).String(), plan: plan}, nil
}

// bind matches fn against the proto and prepares it for slot s.
func (p *Proto) bind(s *Slot, fn any) (*binding, error) {
	if err := CheckFunc(fn); err != nil {
		return nil, err
	}
	g := reflect.TypeOf(fn)
	if sh, ok := p.shapes.Load(g); ok {
		return newBinding(s, fn, sh.(*shape)), nil
	}
	sig, err := convert.MatchFunc(g, p.FT, convert.Options{Dir: convert.Callback})
	if err != nil {
		return nil, err
	}
	sh := newShape(sig, p.plan)
	if cachedShapes.Load() < maxCached {
		if _, loaded := p.shapes.LoadOrStore(g, sh); !loaded {
			cachedShapes.Add(1)
		}
	}
	return newBinding(s, fn, sh), nil
}

// CheckFunc reports why fn cannot be a callback's Go func: nil, not a
// func, or a nil func.
func CheckFunc(fn any) error {
	if fn == nil {
		return errors.New("fn is nil")
	}
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func {
		return errfmt.Errorf("fn is a %T, not a func", fn)
	}
	if v.IsNil() {
		return errfmt.Errorf("fn is a nil %T", fn)
	}
	return nil
}
