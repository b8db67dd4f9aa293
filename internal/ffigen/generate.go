package ffigen

import (
	"bytes"
	"errors"
	"fmt"
	"go/format"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/seed5ca82032/ffi/internal/cparse"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

type generator struct {
	cfg        Config
	sc         *cparse.Scope
	re         *regexp.Regexp
	mirrors    map[string]*mirror // by "struct tag" / "typedef name"; nil while being laid out
	tagTypedef map[string]string  // tag -> the typedef name that stands for it
	ordinary   map[string]bool    // the Go names of the functions to bind, and of the generated API
	enumConsts map[string]bool    // the constants of the enum types the bindings use
	aliasNames []string           // the typedefs -include names that are not mirrored
}

// positionFree matches the positions in the reasons of the "Not bound"
// list ("cdef:12:3: ", " (declared at 12:3)", " (#define X at 12:1)"):
// they are lines of the preprocessed header, which differ between C
// libraries and targets, and the output must not.
var positionFree = regexp.MustCompile(`cdef:\d+:\d+: | \((?:declared|#define \S+) at \d+:\d+\)`)

// generatedAPI are the exported names the generated package declares
// itself.
var generatedAPI = map[string]bool{"Lib": true, "Load": true, "Scope": true}

// fn is a function to bind.
type fn struct {
	cName, goName, sym string
	t                  *ctype.Type
	params             []string // "name type"
	result             string
	variadic           bool
}

// Generate preprocesses and parses the header of c and returns the
// gofmt'ed Go source of the bindings.
func Generate(c Config) ([]byte, error) {
	src, err := Preprocess(c)
	if err != nil {
		return nil, err
	}
	if c.Model == nil {
		c.Model = TargetModel(c.compiler())
	}
	return GenerateFrom(c, src)
}

// GenerateFrom is Generate for an already preprocessed header text.
func GenerateFrom(c Config, src string) ([]byte, error) {
	re, err := regexp.Compile(c.Include)
	if err != nil {
		return nil, fmt.Errorf("ffigen: -include: %v", err)
	}
	m := c.Model
	if m == nil {
		m = ctype.Host()
	}
	sc := cparse.NewScope(m)
	if err := sc.Parse(src); err != nil {
		return nil, fmt.Errorf("ffigen: %s: %v", c.Header, err)
	}
	g := &generator{cfg: c, sc: sc, re: re, mirrors: map[string]*mirror{}, tagTypedef: map[string]string{}, ordinary: map[string]bool{}, enumConsts: map[string]bool{}}
	for name := range generatedAPI {
		g.ordinary[name] = true
	}
	for _, name := range sc.Funcs() {
		if re.MatchString(name) {
			g.ordinary[exportName(name)] = true
		}
	}
	for _, name := range sc.Typedefs() {
		t, _ := sc.Lookup(name)
		if (t.Kind == ctype.Struct || t.Kind == ctype.Union) && t.Tag != "" && !t.Const && !t.Volatile {
			if old, ok := g.tagTypedef[t.Tag]; !ok || (!re.MatchString(old) && re.MatchString(name)) {
				g.tagTypedef[t.Tag] = name
			}
		}
	}
	return g.generate()
}

func (g *generator) generate() ([]byte, error) {
	var skipped []string
	// Functions.
	var fns []fn
	fnNames := map[string]string{} // Go name -> C name
	for _, name := range g.sc.Funcs() {
		if !g.re.MatchString(name) {
			continue
		}
		if generatedAPI[exportName(name)] {
			skipped = append(skipped, fmt.Sprintf("%s: its Go name %s is the generated package's own", name, exportName(name)))
			continue
		}
		if other, ok := fnNames[exportName(name)]; ok {
			skipped = append(skipped, fmt.Sprintf("%s: its Go name %s is taken by the function %s", name, exportName(name), other))
			continue
		}
		fnNames[exportName(name)] = name
		t, _ := g.sc.Func(name)
		f, err := g.function(name, t)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		fns = append(fns, f)
	}
	// Declarations Cdef skipped (static and inline functions...), with why.
	for _, name := range g.sc.RecordedNames() {
		if g.re.MatchString(name) {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, g.sc.Recorded(name)))
		}
	}
	// Types named by -include.
	var aliases []string
	for _, name := range g.sc.Typedefs() {
		if !g.re.MatchString(name) {
			continue
		}
		t, _ := g.sc.Lookup(name)
		switch {
		case (t.Kind == ctype.Struct || t.Kind == ctype.Union) && (g.tagTypedef[t.Tag] == name || t.Tag == ""):
			// Mirrored under the typedef's name (an anonymous union's too:
			// an alias of its bytes as well would declare the name twice).
			if _, err := g.mirrorOf(t); err != nil {
				skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
			}
		case t.Kind == ctype.Func:
		default:
			gt, err := g.goTypeOf(t.Unnamed(), useParam)
			if err != nil || gt.expr == "string" {
				gt, err = g.goTypeOf(t.Unnamed(), useField)
			}
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
				continue
			}
			goName := g.typeName(name)
			aliases = append(aliases, fmt.Sprintf("// %s is the C type %s.\n%s = %s", goName, t.Unnamed().Declaration(name), goName, gt.expr))
			g.aliasNames = append(g.aliasNames, name)
		}
	}
	for _, tag := range g.sc.Tags() {
		if !g.re.MatchString(tag) {
			continue
		}
		for _, k := range []ctype.Kind{ctype.Struct, ctype.Union} {
			if t, ok := g.sc.Tag(k, tag); ok {
				if _, err := g.mirrorOf(t); err != nil {
					skipped = append(skipped, fmt.Sprintf("%s %s: %v", k, tag, err))
				}
			}
		}
	}
	// Constants, unless their Go name is taken by a function, a type, the
	// generated package's own names or an earlier constant.
	taken := map[string]bool{}
	for n := range generatedAPI {
		taken[n] = true
	}
	for _, f := range fns {
		taken[f.goName] = true
	}
	for _, m := range g.mirrors {
		if m != nil {
			taken[m.goName] = true
		}
	}
	for _, name := range g.aliasNames {
		taken[g.typeName(name)] = true
	}
	var consts []string
	for _, name := range g.sc.Constants() {
		// Those named by -include, and the enumerators of the enum types
		// the functions and structs use.
		if !g.re.MatchString(name) && !g.enumConsts[name] {
			continue
		}
		v, err := g.sc.Value(name)
		if errors.Is(err, cparse.ErrEmptyMacro) {
			continue // #define EXPORT: stands for nothing
		}
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		lit, ok := goLiteral(v)
		if !ok {
			skipped = append(skipped, fmt.Sprintf("%s: value %v has no Go constant", name, v))
			continue
		}
		if taken[exportName(name)] {
			skipped = append(skipped, fmt.Sprintf("%s: its Go name %s is taken by a function, type or constant", name, exportName(name)))
			continue
		}
		taken[exportName(name)] = true
		consts = append(consts, fmt.Sprintf("%s = %s", exportName(name), lit))
	}
	return g.emit(fns, consts, aliases, skipped)
}

// goLiteral spells a constant's value as a Go constant.
func goLiteral(v any) (string, bool) {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10), true
	case uint64:
		return strconv.FormatUint(v, 10), true
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return "", false
		}
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		return s, true
	case string:
		return strconv.Quote(v), true
	}
	return "", false
}

// function maps a C function to a Go func type.
func (g *generator) function(name string, t *ctype.Type) (fn, error) {
	f := fn{cName: name, goName: exportName(name), sym: g.sc.Symbol(name), t: t, variadic: t.Variadic}
	for i, p := range t.Params {
		gt, err := g.goTypeOf(p.Type, useParam)
		if err != nil {
			return fn{}, fmt.Errorf("parameter %d: %v", i+1, err)
		}
		f.params = append(f.params, paramName(p.Name, i)+" "+gt.expr)
	}
	if t.Variadic {
		f.params = append(f.params, "args ...any")
	}
	r, err := g.goTypeOf(t.Result, useResult)
	if err != nil {
		return fn{}, fmt.Errorf("result: %v", err)
	}
	f.result = r.expr
	return f, nil
}

func (g *generator) emit(fns []fn, consts, aliases, skipped []string) ([]byte, error) {
	c := g.cfg
	var b bytes.Buffer
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("// Code generated by ffigen from %s; DO NOT EDIT.\n\n", c.Header)
	w("// Package %s binds %s (declared in %s) with github.com/seed5ca82032/ffi:\n", c.Package, c.Lib, c.Header)
	w("// call Load once, then call the func variables. It needs no C toolchain\n")
	w("// and builds with CGO_ENABLED=0.\n//\n")
	w("// Pointer members of the struct types are uintptr, not Go pointers: C\n")
	w("// may leave them pointing anywhere (past the end of a Go buffer, into C\n")
	w("// memory), which a Go pointer must never do. Store\n")
	w("// uintptr(unsafe.Pointer(&buf[0])) and keep buf alive (runtime.KeepAlive)\n")
	w("// for as long as C may use it.\n")
	w("package %s\n\n", c.Package)
	w("import (\n\"fmt\"\n\"sync\"\n\"unsafe\"\n\n\"github.com/seed5ca82032/ffi\"\n)\n\n")
	w("// Lib is the shared library Load opens.\nconst Lib = %q\n\n", c.Lib)
	if len(consts) > 0 {
		w("// Constants: the enum constants and #defines of %s.\nconst (\n", c.Header)
		for _, s := range consts {
			w("%s\n", s)
		}
		w(")\n\n")
	}
	if len(aliases) > 0 {
		w("// Types.\ntype (\n")
		for _, s := range aliases {
			w("%s\n", s)
		}
		w(")\n\n")
	}
	var mirrors []*mirror
	for _, m := range g.mirrors {
		if m != nil {
			mirrors = append(mirrors, m)
		}
	}
	sort.Slice(mirrors, func(i, j int) bool { return mirrors[i].goName < mirrors[j].goName })
	for _, m := range mirrors {
		switch {
		case !m.c.Complete:
			w("// %s is the C type %s, whose layout the header does not give:\n// use it through pointers only.\ntype %s struct{ _ [0]byte }\n\n", m.goName, m.cName, m.goName)
		case m.exact:
			w("// %s mirrors the C type %s.\ntype %s struct {\n", m.goName, m.cName, m.goName)
			for _, f := range m.fields {
				w("%s %s\n", f.goName, f.typ.expr)
			}
			w("}\n\n")
		default:
			w("// %s has the size and alignment of the C type %s, whose members\n// Go cannot mirror (%s).\ntype %s struct{ _ %s }\n\n", m.goName, m.cName, m.why, m.goName, blob(m.size, m.align).expr)
		}
	}
	if len(fns) > 0 {
		w("// Functions, bound by Load.\nvar (\n")
		for _, f := range fns {
			w("// %s is %s.\n", f.goName, f.t.Declaration(f.cName))
			w("%s func(%s) %s\n", f.goName, strings.Join(f.params, ", "), f.result)
		}
		w(")\n\n")
	}
	if len(skipped) > 0 {
		w("// Not bound (the model or Go cannot express them):\n")
		for _, s := range skipped {
			w("//   - %s\n", positionFree.ReplaceAllString(s, ""))
		}
		w("\n")
	}
	cdecls, err := g.cDecls(fns, mirrors)
	if err != nil {
		return nil, err
	}
	w("// cdecls are the C declarations Load gives ffi.Cdef.\nconst cdecls = %s\n\n", backquote(cdecls))
	w(`var (
	loadOnce sync.Once
	loadErr  error
	scope    *ffi.Scope
)

// Load opens Lib, checks that the Go struct types have the layout C gives
// them, and binds every func variable. Calls after the first return the
// first result.
func Load() error {
	loadOnce.Do(func() { loadErr = load() })
	return loadErr
}

// Scope returns the scope in which Load declared the C types of the
// bindings (their structs, unions and enums, and the typedefs of the
// mirrored types and of those the ffigen -include names), for ffi calls
// that name them: a callback of a function pointer typedef with
// NewCallback, Sizeof, Offsetof. It calls Load first.
func Scope() (*ffi.Scope, error) {
	if err := Load(); err != nil {
		return nil, err
	}
	return scope, nil
}

func load() error {
	sc := ffi.NewScope()
	scope = sc
	if err := sc.Cdef(cdecls); err != nil {
		return fmt.Errorf("%[1]s: %%v", err)
	}
	if err := checkLayouts(sc); err != nil {
		return err
	}
	lib, err := ffi.Open(Lib)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		fn        any
		name, sym string
	}{
`, c.Package)
	for _, f := range fns {
		w("{&%s, %q, %q},\n", f.goName, f.cName, f.sym)
	}
	w(`} {
		addr, err := lib.Sym(f.sym)
		if err != nil {
			return err
		}
		if err := sc.Bind(f.fn, addr, f.name); err != nil {
			return fmt.Errorf("%[1]s: %%v", err)
		}
	}
	return nil
}

`, c.Package)
	complete := 0
	for _, m := range mirrors {
		if m.c.Complete {
			complete++
		}
	}
	if complete == 0 {
		w("// checkLayouts has nothing to check: no struct type is mirrored.\nfunc checkLayouts(*ffi.Scope) error { return nil }\n")
		return g.format(b.Bytes())
	}
	w(`// checkLayouts compares the size, alignment and member offsets of each Go
// struct type with those of its C type.
func checkLayouts(sc *ffi.Scope) error {
	check := func(ctype string, size, align uintptr, offsets map[string]uintptr) error {
		cs, err := sc.Sizeof(ctype)
		if err != nil {
			return err
		}
		ca, err := sc.Alignof(ctype)
		if err != nil {
			return err
		}
		if uintptr(cs) != size || uintptr(ca) != align {
			return fmt.Errorf("%[1]s: C %%s has size %%d and alignment %%d, the Go type %%d and %%d", ctype, cs, ca, size, align)
		}
		for field, off := range offsets {
			co, err := sc.Offsetof(ctype, field)
			if err != nil {
				return err
			}
			if uintptr(co) != off {
				return fmt.Errorf("%[1]s: member %%s of C %%s is at offset %%d, in the Go type at %%d", field, ctype, co, off)
			}
		}
		return nil
	}
	for _, err := range []error{
`, c.Package)
	for _, m := range mirrors {
		if !m.c.Complete {
			continue
		}
		w("check(%q, unsafe.Sizeof(%s{}), unsafe.Alignof(%s{}), map[string]uintptr{", m.cName, m.goName, m.goName)
		for _, f := range m.fields {
			w("%q: unsafe.Offsetof(%s{}.%s), ", f.cName, m.goName, f.goName)
		}
		w("}),\n")
	}
	w(`} {
		if err != nil {
			return err
		}
	}
	return nil
}
`)
	return g.format(b.Bytes())
}

// format drops the unsafe import if nothing uses it and gofmts src.
func (g *generator) format(src []byte) ([]byte, error) {
	if bytes.Count(src, []byte("unsafe.")) == 0 {
		src = bytes.Replace(src, []byte("\"unsafe\"\n"), nil, 1)
	}
	out, err := format.Source(src)
	if err != nil {
		return nil, fmt.Errorf("ffigen: generated code does not format: %v\n%s", err, src)
	}
	return out, nil
}

// backquote spells s as a Go raw string, or a quoted one if it has a
// backquote.
func backquote(s string) string {
	if strings.Contains(s, "`") {
		return strconv.Quote(s)
	}
	return "`\n" + s + "`"
}
