package ffi

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/convert"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// proto is a callback's C side: a function type and its placement by the
// host calling convention. Protos and shapes are cached, so creating many
// callbacks of one signature parses and classifies it once.
type proto struct {
	ft   *ctype.Type
	plan *abi.Plan
	decl string // ft spelled in C

	shapes sync.Map // reflect.Type of the Go func -> *shape
}

// maxCached bounds each cache: past it, results are computed but not kept,
// so a program that makes unbounded numbers of distinct declarations does
// not grow memory without bound.
const maxCached = 4096

var (
	protoCache   sync.Map // reflect.Type of a Go func -> *proto
	protoCount   atomic.Int64
	cachedShapes atomic.Int64
)

// proto returns the proto of decl in scope s, cached with the parsed
// declaration in the scope itself (see Scope.decl), so a dropped Scope
// takes its protos with it.
func (s *Scope) proto(decl string) (*proto, error) {
	e, err := s.decl(decl)
	if err != nil {
		return nil, err
	}
	if p := e.proto.Load(); p != nil {
		return p, nil
	}
	p, err := newProto(e.ft)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", decl, err)
	}
	if !e.proto.CompareAndSwap(nil, p) {
		p = e.proto.Load()
	}
	return p, nil
}

// protoOfFunc returns the proto inferred from Go func type g.
func protoOfFunc(g reflect.Type) (*proto, error) {
	if p, ok := protoCache.Load(g); ok {
		return p.(*proto), nil
	}
	ft, err := convert.FuncFromGo(g, ctype.Host())
	if err != nil {
		return nil, err
	}
	p, err := newProto(ft)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", ft, err)
	}
	if protoCount.Load() >= maxCached {
		return p, nil
	}
	actual, loaded := protoCache.LoadOrStore(g, p)
	if !loaded {
		protoCount.Add(1)
	}
	return actual.(*proto), nil
}

func newProto(ft *ctype.Type) (*proto, error) {
	if ft.Kind == ctype.Pointer && ft.Elem != nil {
		ft = ft.Elem
	}
	if ft.Kind != ctype.Func {
		return nil, fmt.Errorf("%s is not a function type", ft)
	}
	if ft.Variadic {
		return nil, fmt.Errorf("variadic function %s cannot be a callback", ft)
	}
	plan, err := classify(ft)
	if err != nil {
		return nil, err
	}
	return &proto{ft: ft, plan: plan, decl: ctype.Host().Pointer(ft).String()}, nil
}

// bind matches fn against the proto and prepares it for cb.
func (p *proto) bind(cb *Callback, fn any) (*binding, error) {
	if err := checkFunc(fn); err != nil {
		return nil, err
	}
	g := reflect.TypeOf(fn)
	if sh, ok := p.shapes.Load(g); ok {
		return newBinding(cb, fn, sh.(*shape)), nil
	}
	sig, err := convert.MatchFunc(g, p.ft, convert.Options{Dir: convert.Callback})
	if err != nil {
		return nil, err
	}
	sh := newShape(sig, p.plan)
	if cachedShapes.Load() < maxCached {
		if _, loaded := p.shapes.LoadOrStore(g, sh); !loaded {
			cachedShapes.Add(1)
		}
	}
	return newBinding(cb, fn, sh), nil
}
