package abi

import (
	"fmt"

	"github.com/seed5ca82032/ffi/internal/ctype"
	"github.com/seed5ca82032/ffi/internal/errfmt"
)

// ResultIndex is the Error.Index of a problem with the function's result.
const ResultIndex = -1

// Error is a classification failure tied to one parameter or to the result.
// Its message names the problem, the position (1-based parameter number, as
// C programmers count) and the type spelled in C, for example
// "long double is not supported by this ABI (parameter 2: long double)".
type Error struct {
	Index int         // 0-based parameter index, or ResultIndex
	Name  string      // parameter name from the declaration, if any
	Type  *ctype.Type // the parameter (or result) type
	Field string      // dotted member path inside an aggregate, or ""
	Msg   string      // the problem
}

// Error formats the message described on the type.
func (e *Error) Error() string {
	where := "result"
	if e.Index != ResultIndex {
		where = fmt.Sprintf("parameter %d", e.Index+1)
		if e.Name != "" {
			where += fmt.Sprintf(" %q", e.Name)
		}
	}
	field := ""
	if e.Field != "" {
		field = ", field " + e.Field
	}
	return e.Msg + " (" + where + ": " + TypeString(e.Type) + field + ")"
}

// TypeString spells t in C for messages ("<nil type>" for nil).
func TypeString(t *ctype.Type) string {
	if t == nil {
		return "<nil type>"
	}
	return t.String()
}

// FuncType returns fn itself if it is a function type, or the function it
// points to if fn is a pointer to a function; anything else is an error.
func FuncType(fn *ctype.Type) (*ctype.Type, error) {
	if fn != nil && fn.Kind == ctype.Pointer && fn.Elem != nil && fn.Elem.Kind == ctype.Func {
		fn = fn.Elem
	}
	if fn == nil || fn.Kind != ctype.Func {
		return nil, errfmt.Errorf("abi: %s is not a function type", TypeString(fn))
	}
	return fn, nil
}

// ArgType returns the type a parameter of type t is actually passed as:
// arrays decay to pointers to their element and functions to function
// pointers, as C adjusts parameter declarations. It returns an Error for
// types that cannot be passed: void, incomplete types, long double anywhere
// (also inside aggregates), integers wider than 8 bytes and unknown kinds.
// index and name only label the error.
func ArgType(t *ctype.Type, index int, name string) (*ctype.Type, error) {
	if t == nil {
		return nil, &Error{Index: index, Name: name, Type: t, Msg: "missing parameter type"}
	}
	switch t.Kind {
	case ctype.Array:
		return &ctype.Type{Kind: ctype.Pointer, Size: 8, Align: 8, Elem: t.Elem}, nil
	case ctype.Func:
		return &ctype.Type{Kind: ctype.Pointer, Size: 8, Align: 8, Elem: t}, nil
	case ctype.Void:
		return nil, &Error{Index: index, Name: name, Type: t, Msg: "void is not a parameter type"}
	}
	if err := checkValue(t, index, name); err != nil {
		return nil, err
	}
	return t, nil
}

// ResultType checks that t can be returned: void, scalars and complete
// aggregates; arrays, functions and long double are errors.
func ResultType(t *ctype.Type) (*ctype.Type, error) {
	if t == nil {
		return nil, &Error{Index: ResultIndex, Type: t, Msg: "missing result type"}
	}
	switch t.Kind {
	case ctype.Void:
		return t, nil
	case ctype.Array:
		return nil, &Error{Index: ResultIndex, Type: t, Msg: "a function cannot return an array"}
	case ctype.Func:
		return nil, &Error{Index: ResultIndex, Type: t, Msg: "a function cannot return a function"}
	}
	if err := checkValue(t, ResultIndex, ""); err != nil {
		return nil, err
	}
	return t, nil
}

// checkValue rejects what no convention here passes by value.
func checkValue(t *ctype.Type, index int, name string) error {
	field, msg := badMember(t, "", 0)
	if msg == "" {
		return nil
	}
	return &Error{Index: index, Name: name, Type: t, Field: field, Msg: msg}
}

// badMember walks t (a value, possibly an aggregate member at path) and
// returns the path and description of the first thing that cannot be passed.
func badMember(t *ctype.Type, path string, depth int) (string, string) {
	if t == nil {
		return path, "missing type"
	}
	if depth > 64 {
		return path, "type nests too deeply"
	}
	switch t.Kind {
	case ctype.Bool, ctype.Float, ctype.Double, ctype.Pointer:
		return "", ""
	case ctype.Int, ctype.Enum:
		if t.Kind == ctype.Enum && t.Size == 0 {
			return path, "incomplete type " + TypeString(t) + " cannot be passed by value"
		}
		if t.Size < 1 || t.Size > 8 {
			return path, fmt.Sprintf("%d-byte integers are not supported by this ABI", t.Size)
		}
		return "", ""
	case ctype.LongDouble:
		return path, "long double is not supported by this ABI"
	case ctype.Vector:
		return path, "vector type " + TypeString(t) + " (vector_size) cannot be passed by value: vector classification is not supported by this ABI"
	case ctype.Opaque:
		return path, t.Note
	case ctype.Array:
		if t.Elem == nil {
			return path, "array without element type"
		}
		return badMember(t.Elem, path+"[]", depth+1)
	case ctype.Struct, ctype.Union:
		if !t.Complete {
			return path, "incomplete type " + TypeString(t) + " cannot be passed by value"
		}
		for _, f := range t.Fields {
			p := f.Name
			if p == "" {
				p = "<anonymous>"
			}
			if path != "" {
				p = path + "." + p
			}
			if fp, msg := badMember(f.Type, p, depth+1); msg != "" {
				return fp, msg
			}
		}
		return "", ""
	case ctype.Void:
		return path, "void member"
	case ctype.Func:
		return path, "function member"
	}
	return path, fmt.Sprintf("unsupported type kind %d", t.Kind)
}
