//go:build !windows

package cparse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// TestHeadersParse parses real system headers as the preprocessor leaves
// them in its three output forms: -E -P (declarations only), -E -dD (with
// the #define lines) and plain -E (with line markers); and as a program
// built with -D_GNU_SOURCE -O2 sees them (glibc then declares _Float32
// functions, and redeclares some functions without restrict in their
// inline definitions).
func TestHeadersParse(t *testing.T) {
	for _, h := range ctest.Headers {
		for _, mode := range [][]string{{"-P"}, {"-dD"}, nil, {"-P", "-D_GNU_SOURCE", "-O2"}} {
			src := h.Preprocess(t, mode...)
			s := NewScope(ctype.Host())
			if err := s.Parse(src); err != nil {
				t.Errorf("<%s> (cc -E %s): %v", h.Name, strings.Join(mode, " "), err)
				continue
			}
			if len(s.Funcs()) < 40 {
				t.Errorf("<%s> (cc -E %s): only %d functions declared", h.Name, strings.Join(mode, " "), len(s.Funcs()))
			}
		}
	}
}

// TestGNUMathHeadersParse: glibc's math.h and complex.h with _GNU_SOURCE
// declare functions of _Float32, _Float64x and _Complex _Float128: the
// ones of supported types bind, the others are recorded.
func TestGNUMathHeadersParse(t *testing.T) {
	h := ctest.HeaderNamed(t, "stdlib.h")
	src := h.PreprocessAfter(t, "#define _GNU_SOURCE\n#include <math.h>\n#include <complex.h>\n#include <stdio.h>", "-P", "-O2")
	s := NewScope(ctype.Host())
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	wantFuncs(t, s, map[string]string{
		"strtof32":   "float (const char *restrict, char **restrict)",
		"strfromf32": "int (char *, size_t, const char *, float)",
		"hypotf32x":  "double (double, double)",
		"cabsf128":   "_Float128 (_Complex _Float128)",
	})
}

// TestHeadersLayoutMatchCC checks the size, alignment, member offsets and
// bitfield positions of every complete struct, union and typedef of the
// real headers against the C compiler compiling the same headers.
func TestHeadersLayoutMatchCC(t *testing.T) {
	for _, h := range ctest.Headers {
		t.Run(strings.ReplaceAll(h.Name, "/", "_"), func(t *testing.T) {
			// The program is compiled from the preprocessed text the
			// model parsed, so that macros of the header (glibc's
			// "#define si_pid _sifields._kill.si_pid") do not rewrite
			// member names.
			src := h.PreprocessAfter(t, "#include <stdio.h>\n#include <string.h>", "-P")
			s := NewScope(ctype.Host())
			if err := s.Parse(src); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString(src)
			b.WriteString("\n#define offsetof(t, m) __builtin_offsetof(t, m)\n")
			b.WriteString(`static void bits(const char *what, const void *p, size_t n) {
	const unsigned char *c = p;
	long first = -1, count = 0;
	for (size_t i = 0; i < n * 8; i++)
		if (c[i / 8] >> (i % 8) & 1) { if (first < 0) first = (long)i; count++; }
	printf("%s %ld %ld\n", what, first, count);
}
int main(void) {
`)
			var want []string
			types := 0
			for _, tag := range sortedTags(s) {
				ty := s.tags[tag]
				cname := ty.Kind.String() + " " + tag
				want = append(want, layoutLines(cname, ty)...)
				cLines(&b, cname, cname, ty)
				types++
			}
			for _, name := range sortedTypedefs(s) {
				ty, _ := s.Lookup(name)
				want = append(want, layoutLines(name, ty)...)
				cLines(&b, name, name, ty)
				types++
			}
			b.WriteString("\treturn 0;\n}\n")
			exe := ctest.Program(t, b.String(), append(h.Flags(t), "-w")...)
			out, err := ctest.Output(exe)
			if err != nil {
				t.Fatalf("running layout program: %v", err)
			}
			got := strings.Split(strings.TrimSpace(string(out)), "\n")
			if len(got) != len(want) {
				t.Fatalf("C printed %d lines, model has %d", len(got), len(want))
			}
			bad := 0
			for i := range got {
				if got[i] != want[i] {
					bad++
					if bad <= 20 {
						t.Errorf("cc: %q, model: %q", got[i], want[i])
					}
				}
			}
			t.Logf("<%s>: %d types, %d numbers compared", h.Name, types, len(got))
		})
	}
}

// sortedTypedefs returns the typedef names of s that have a layout
// (complete object types), except the predeclared ones.
func sortedTypedefs(s *Scope) []string {
	var names []string
	std := StandardTypedefs(s.model)
	for name, id := range s.idents {
		if _, ok := std[name]; ok || id.kind != idTypedef {
			continue
		}
		t := id.typ
		if t.Kind == ctype.Func || t.Kind == ctype.Void || !t.Complete {
			continue
		}
		names = append(names, name)
	}
	sortStrings(names)
	return names
}

// BenchmarkParseHeader measures parsing the preprocessed (cc -E -dD)
// sqlite3.h and glib.h into a new scope.
func BenchmarkParseHeader(b *testing.B) {
	for _, name := range []string{"sqlite3.h", "glib.h"} {
		src := ctest.HeaderNamed(b, name).Preprocess(b, "-dD")
		b.Run(strings.TrimSuffix(name, ".h"), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := NewScope(ctype.Host()).Parse(src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestHalfFloatVectors: x86's immintrin.h (which SDL.h includes) declares
// vectors of _Float16; they are laid out as gcc lays them out, and using
// one by value is refused as _Float16 is.
func TestHalfFloatVectors(t *testing.T) {
	src := "typedef _Float16 v8hf __attribute__((__vector_size__(16)));\nstruct hv { char c; v8hf v; };\n"
	s := NewScope(ctype.Host())
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	ty, ok := s.Tag(ctype.Struct, "hv")
	if !ok {
		t.Fatal("struct hv not declared")
	}
	out, err := ctest.Output(ctest.Program(t, src+"#include <stdio.h>\n#include <stddef.h>\nint main(void) { printf(\"%zu %zu %zu\", sizeof(struct hv), _Alignof(struct hv), offsetof(struct hv, v)); return 0; }\n", "-w"))
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprintf("%d %d %d", ty.Size, ty.Align, ty.Fields[1].Offset); got != string(out) {
		t.Errorf("struct hv: size, align, offset of v %s; the C compiler gives %s", got, out)
	}
}

// TestHeaderConstantsMatchCC: #define constants of real system headers,
// many of them built from function-like macros and typed literals (ioctl
// numbers, stdint limits), have the value the C compiler gives them.
func TestHeaderConstantsMatchCC(t *testing.T) {
	const includes = "#include <stdint.h>\n#include <limits.h>\n#include <errno.h>\n#include <fcntl.h>\n#include <signal.h>\n#include <sys/ioctl.h>\n#include <linux/fs.h>\n#include <linux/input.h>\n"
	names := []string{
		"UINT64_MAX", "INT64_MIN", "INT32_MIN", "UINT32_MAX", "INTPTR_MAX", "SIZE_MAX", "UINT64_C(1) << 63",
		"LONG_MAX", "ULONG_MAX", "LLONG_MIN", "CHAR_BIT", "EWOULDBLOCK", "O_CLOEXEC", "O_NONBLOCK",
		"SIG_BLOCK", "TIOCGWINSZ", "FIONREAD", "BLKGETSIZE64", "BLKSSZGET", "FS_IOC_GETFLAGS",
		"EVIOCGVERSION", "EVIOCGID", "EVIOCGNAME(64)",
	}
	h := ctest.HeaderNamed(t, "stdlib.h")
	src := h.PreprocessAfter(t, includes, "-dD")
	s := NewScope(ctype.Host())
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	var prog strings.Builder
	prog.WriteString(includes + "#include <stdio.h>\nint main(void) {\n")
	var got []string
	for i, n := range names {
		// A constant expression: defined as a macro of its own.
		name := n
		if !isIdentifier(n) {
			name = fmt.Sprintf("EXPR%d", i)
			if err := s.Parse(fmt.Sprintf("#define %s %s\n", name, n)); err != nil {
				t.Fatal(err)
			}
		}
		v, err := s.Value(name)
		if err != nil {
			t.Errorf("%s: %v", n, err)
			got = append(got, "error")
		} else {
			got = append(got, fmt.Sprint(v))
		}
		fmt.Fprintf(&prog, "\tif ((%s) < 0) printf(\"%%lld\\n\", (long long)(%s)); else printf(\"%%llu\\n\", (unsigned long long)(%s));\n", n, n, n)
	}
	prog.WriteString("\treturn 0;\n}\n")
	out, err := ctest.Output(ctest.Program(t, prog.String(), "-w"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(out))
	for i, n := range names {
		if i >= len(want) || got[i] != want[i] {
			t.Errorf("%s = %s; the C compiler gives %s", n, got[i], want[min(i, len(want)-1)])
		}
	}
}
