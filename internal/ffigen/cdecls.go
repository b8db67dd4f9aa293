package ffigen

import (
	"fmt"
	"strings"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// cDecls writes the C declarations Load needs: forward declarations of
// every tag mentioned, definitions of the structs, unions and enums used
// by value (dependencies first), typedefs of the mirrored types and the
// functions. Types are spelled without typedef names, so no typedef the
// selection did not keep is needed.
func (g *generator) cDecls(fns []fn, mirrors []*mirror) (string, error) {
	var fwd, defs, typedefs, decls []string
	declared := map[string]bool{}
	defined := map[string]bool{}
	var walk func(t *ctype.Type, byValue bool, depth int) error
	var define func(t *ctype.Type, depth int) error
	walk = func(t *ctype.Type, byValue bool, depth int) error {
		if depth > 200 {
			return fmt.Errorf("ffigen: type %s nests too deeply", t)
		}
		switch t.Kind {
		case ctype.Pointer:
			return walk(t.Elem, false, depth+1)
		case ctype.Array, ctype.Vector:
			return walk(t.Elem, byValue, depth+1)
		case ctype.Func:
			// A function's parameters and result are passed by value,
			// also when the function is behind a pointer (a typedef
			// void (*handler)(struct evt) that Scope users call
			// NewCallback with needs struct evt defined).
			if err := walk(t.Result, true, depth+1); err != nil {
				return err
			}
			for _, p := range t.Params {
				if err := walk(p.Type, true, depth+1); err != nil {
					return err
				}
			}
		case ctype.Struct, ctype.Union, ctype.Enum:
			if t.Tag != "" {
				key := t.Kind.String() + " " + t.Tag
				if !declared[key] {
					declared[key] = true
					fwd = append(fwd, key+";")
				}
				if byValue && t.Complete {
					return define(t, depth+1)
				}
				return nil
			}
			for _, f := range t.Fields {
				if err := walk(f.Type, byValue, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	define = func(t *ctype.Type, depth int) error {
		key := t.Kind.String() + " " + t.Tag
		if defined[key] {
			return nil
		}
		defined[key] = true
		c := *t.Unnamed()
		c.Fields = append([]ctype.Field(nil), t.Fields...)
		for i, f := range c.Fields {
			e, ok := f.Type.Expanded()
			if !ok {
				return fmt.Errorf("ffigen: member %s of %s has a typedef with an aligned attribute, which cannot be spelled out", f.Name, t)
			}
			if err := walk(e, true, depth+1); err != nil {
				return err
			}
			c.Fields[i].Type = e
		}
		defs = append(defs, c.Definition()+";")
		return nil
	}
	expand := func(what string, t *ctype.Type) (*ctype.Type, error) {
		e, ok := t.Expanded()
		if !ok {
			return nil, fmt.Errorf("ffigen: %s uses a typedef with an aligned attribute, which cannot be spelled out", what)
		}
		return e, walk(e, true, 0)
	}
	// Typedefs of the mirrored types (also of incomplete ones: Scope users
	// name them), without the qualifiers of the use that reached them
	// (const reg * must not make reg a typedef of const struct reg), and
	// of the other typedefs -include names (function pointers, enums...).
	for _, m := range mirrors {
		if strings.HasPrefix(m.cName, "struct ") || strings.HasPrefix(m.cName, "union ") {
			if m.c.Complete {
				if _, err := expand(m.cName, m.c.Unqualified()); err != nil {
					return "", err
				}
			}
			continue
		}
		if !m.c.Complete && m.c.Tag == "" {
			continue // an anonymous incomplete type cannot be named
		}
		e, err := expand(m.cName, m.c.Unqualified())
		if err != nil {
			return "", err
		}
		typedefs = append(typedefs, "typedef "+e.Declaration(m.cName)+";")
	}
	for _, name := range g.aliasNames {
		t, _ := g.sc.Lookup(name)
		e, ok := t.Unnamed().Expanded()
		if !ok || walk(e, true, 0) != nil {
			continue // Scope users spell this one out; nothing else needs it
		}
		typedefs = append(typedefs, "typedef "+e.Declaration(name)+";")
	}
	for _, f := range fns {
		e, err := expand(f.cName, f.t)
		if err != nil {
			return "", err
		}
		decls = append(decls, e.Declaration(f.cName)+";")
	}
	var b strings.Builder
	for _, part := range [][]string{fwd, defs, typedefs, decls} {
		for _, s := range part {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}
