package ctype

// Identical reports whether a and b are the same C type: same kind,
// layout, qualifiers, tags and members, ignoring typedef names and
// parameter names. Tagged types are compared by tag and, when both are
// complete, by their members.
func Identical(a, b *Type) bool {
	return identical(a, b, map[[2]*Type]bool{}, 0)
}

func identical(a, b *Type, seen map[[2]*Type]bool, depth int) bool {
	if a == b {
		return true
	}
	if a == nil || b == nil || depth > maxFormatDepth {
		return false
	}
	// Qualifiers of an array are those of its elements, compared there.
	qualsDiffer := a.Kind != Array && (a.Const != b.Const || a.Volatile != b.Volatile || a.Restrict != b.Restrict)
	if a.Kind != b.Kind || qualsDiffer || a.Size != b.Size || a.Align != b.Align || a.Signed != b.Signed || a.Complete != b.Complete {
		return false
	}
	// A pair seen before is either being compared further up (assume
	// equal, as for recursive types) or was found equal: any difference
	// ends the whole comparison.
	k := [2]*Type{a, b}
	if seen[k] {
		return true
	}
	seen[k] = true
	switch a.Kind {
	case Int:
		return a.IntName == b.IntName
	case Pointer:
		return identical(a.Elem, b.Elem, seen, depth+1)
	case Vector:
		return a.Len == b.Len && identical(a.Elem, b.Elem, seen, depth+1)
	case Opaque:
		return a.IntName == b.IntName
	case Array:
		return a.Len == b.Len && identical(a.Elem, b.Elem, seen, depth+1)
	case Func:
		if a.Variadic != b.Variadic || len(a.Params) != len(b.Params) || !identical(a.Result, b.Result, seen, depth+1) {
			return false
		}
		// A parameter's own qualifiers are not part of the function's
		// type (C11 6.7.6.3p15): int f(char *restrict p) and int
		// f(char *p) declare the same function, as glibc's headers do.
		for i := range a.Params {
			if !identical(unqualified(a.Params[i].Type), unqualified(b.Params[i].Type), seen, depth+1) {
				return false
			}
		}
		return true
	case Enum:
		if a.Tag != b.Tag || a.Packed != b.Packed || len(a.Enumerators) != len(b.Enumerators) {
			return false
		}
		for i := range a.Enumerators {
			if a.Enumerators[i] != b.Enumerators[i] {
				return false
			}
		}
		return true
	case Struct, Union:
		if a.Tag != b.Tag || a.Packed != b.Packed || a.AlignAttr != b.AlignAttr || a.Pack != b.Pack || len(a.Fields) != len(b.Fields) {
			return false
		}
		ra, rb := a.Root(), b.Root()
		if ra == rb {
			return true
		}
		rk := [2]*Type{ra, rb}
		if seen[rk] {
			return true
		}
		seen[rk] = true
		for i := range a.Fields {
			fa, fb := a.Fields[i], b.Fields[i]
			if fa.Name != fb.Name || fa.Offset != fb.Offset || fa.BitField != fb.BitField ||
				fa.BitOffset != fb.BitOffset || fa.BitSize != fb.BitSize || fa.Packed != fb.Packed ||
				fa.Aligned != fb.Aligned || !identical(fa.Type, fb.Type, seen, depth+1) {
				return false
			}
		}
		return true
	}
	return true
}

// unqualified is t without its own const, volatile and restrict (a copy, if
// it has any); what it points to keeps its qualifiers.
func unqualified(t *Type) *Type {
	if t == nil || t.Kind == Array || !t.Const && !t.Volatile && !t.Restrict {
		return t
	}
	u := *t
	u.Const, u.Volatile, u.Restrict = false, false, false
	return &u
}
