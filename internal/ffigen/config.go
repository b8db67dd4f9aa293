// Package ffigen generates Go bindings for a C library from its header:
// the implementation of cmd/ffigen. It runs the C preprocessor on the
// header, parses the result with cparse, keeps the declarations whose
// names match a pattern (and the types they need), and writes one Go file
// of constants, struct mirrors, func variables and a Load function that
// binds them with package ffi at run time.
package ffigen

import (
	"errors"
	"flag"
	"fmt"
	"github.com/seed5ca82032/ffi/internal/ctype"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// Config is what to generate; see ParseArgs for the flags that set it.
type Config struct {
	Header    string   // header to #include: "zlib.h", or a path to a file
	Lib       string   // shared library that Load opens ("libz.so.1")
	Package   string   // Go package name of the output
	Include   string   // regexp: C names to keep
	Out       string   // output file ("" or "-": standard output)
	CC        string   // C compiler ($CC, else cc)
	CFlags    []string // extra preprocessor flags (-I, -D)
	PkgConfig []string // pkg-config modules whose --cflags are added
	// Model is the C data model the header is parsed with: nil for the
	// target of the C compiler (Generate asks it: TargetModel), or the
	// host's (GenerateFrom).
	Model *ctype.Model
}

// compiler returns the C compiler of c: c.CC, else $CC, else cc.
func (c Config) compiler() string {
	if c.CC != "" {
		return c.CC
	}
	if cc := os.Getenv("CC"); cc != "" {
		return cc
	}
	return "cc"
}

// TargetModel returns the data model of the target of C compiler cc, as
// its -dumpmachine triple names it (aarch64-linux-gnu: linux/arm64;
// x86_64-w64-mingw32: windows/amd64; ...), or nil if cc does not run or
// its target has no model. A header preprocessed by a cross compiler
// declares the target's types (wchar_t is unsigned int on arm64 Linux).
func TargetModel(cc string) *ctype.Model {
	out, err := exec.Command(cc, "-dumpmachine").Output()
	if err != nil {
		return nil
	}
	return modelOfTriple(strings.TrimSpace(string(out)))
}

// modelOfTriple maps a target triple to its data model, or nil.
func modelOfTriple(triple string) *ctype.Model {
	arch, rest, _ := strings.Cut(triple, "-")
	goarch := map[string]string{"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}[arch]
	var goos string
	switch {
	case strings.Contains(rest, "linux"):
		goos = "linux"
	case strings.Contains(rest, "mingw"), strings.Contains(rest, "windows"):
		goos = "windows"
	case strings.Contains(rest, "darwin"), strings.Contains(rest, "apple"):
		goos = "darwin"
	}
	if goarch == "" || goos == "" {
		return nil
	}
	return ctype.ModelFor(goos, goarch)
}

// ParseArgs reads the command line of ffigen (without the program name).
func ParseArgs(args []string, stderr io.Writer) (Config, error) {
	var c Config
	var cflags, pkgs string
	fs := flag.NewFlagSet("ffigen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Header, "header", "", "C header to bind, as in #include <header>, or a path to a header file (required)")
	fs.StringVar(&c.Lib, "lib", "", "shared library that Load opens, such as libz.so.1 (required)")
	fs.StringVar(&c.Package, "package", "", "Go package name of the generated file (required)")
	fs.StringVar(&c.Include, "include", "", "regular expression: keep the functions, types and constants whose C names match (required)")
	fs.StringVar(&c.Out, "o", "", "output file (default standard output)")
	fs.StringVar(&c.CC, "cc", "", "C compiler whose preprocessor reads the header (default $CC, else cc)")
	fs.StringVar(&cflags, "cflags", "", "extra preprocessor flags, separated by spaces (-I/usr/include/foo -DBAR)")
	fs.StringVar(&pkgs, "pkg-config", "", "pkg-config modules whose --cflags the preprocessor gets, separated by spaces")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: ffigen -header zlib.h -lib libz.so.1 -package zlib -include '^(deflate|Z_)' [-o zlib.go] [-cflags ...] [-pkg-config ...]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("ffigen: unexpected arguments %q", fs.Args())
	}
	var missing []string
	for _, f := range []struct{ name, v string }{{"-header", c.Header}, {"-lib", c.Lib}, {"-package", c.Package}, {"-include", c.Include}} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return c, fmt.Errorf("ffigen: missing %s", strings.Join(missing, ", "))
	}
	if _, err := regexp.Compile(c.Include); err != nil {
		return c, fmt.Errorf("ffigen: -include: %v", err)
	}
	if !isGoIdent(c.Package) {
		return c, fmt.Errorf("ffigen: -package %q is not a Go identifier", c.Package)
	}
	c.CFlags = strings.Fields(cflags)
	c.PkgConfig = strings.Fields(pkgs)
	return c, nil
}

// Main runs ffigen with the command line args and returns the exit status.
func Main(args []string, stdout, stderr io.Writer) int {
	c, err := ParseArgs(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	src, err := Generate(c)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 1
	}
	if c.Out == "" || c.Out == "-" {
		_, err = stdout.Write(src)
	} else {
		err = os.WriteFile(c.Out, src, 0o644)
	}
	if err != nil {
		fmt.Fprintln(stderr, "ffigen:", err)
		return 1
	}
	return 0
}

// Preprocess runs the C preprocessor on the header (cc -E -dD, keeping
// the #define lines) and returns its output.
func Preprocess(c Config) (string, error) {
	cc := c.compiler()
	args := []string{"-E", "-dD"}
	for _, m := range c.PkgConfig {
		out, err := exec.Command("pkg-config", "--cflags", m).CombinedOutput()
		if err != nil {
			return "", fmt.Errorf("ffigen: pkg-config --cflags %s: %v: %s", m, err, out)
		}
		args = append(args, strings.Fields(string(out))...)
	}
	args = append(args, c.CFlags...)
	args = append(args, "-")
	include := fmt.Sprintf("#include <%s>\n", c.Header)
	if st, err := os.Stat(c.Header); err == nil && !st.IsDir() {
		include = fmt.Sprintf("#include %q\n", c.Header)
	}
	cmd := exec.Command(cc, args...)
	cmd.Stdin = strings.NewReader(include)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("ffigen: preprocessing %s with %s %s: %v\n%s", c.Header, cc, strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

func isGoIdent(s string) bool {
	for i, r := range s {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return s != ""
}

// GenerateArgs returns the ffigen arguments of the //go:generate line in
// the Go file at path (the words after "go run .../cmd/ffigen"), split as
// go generate splits them: at spaces, with double-quoted strings kept
// whole.
func GenerateArgs(path string) ([]string, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(src), "\n") {
		rest, ok := strings.CutPrefix(line, "//go:generate ")
		if !ok {
			continue
		}
		words, err := splitGenerate(rest)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		for i, w := range words {
			if strings.HasSuffix(w, "/cmd/ffigen") {
				return words[i+1:], nil
			}
		}
	}
	return nil, fmt.Errorf("%s: no //go:generate line runs cmd/ffigen", path)
}

// splitGenerate splits a go:generate command line into words.
func splitGenerate(s string) ([]string, error) {
	var words []string
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimSpace(s) {
		if s[0] == '"' {
			end := 1
			for end < len(s) && s[end] != '"' {
				if s[end] == '\\' {
					end++
				}
				end++
			}
			if end >= len(s) {
				return nil, fmt.Errorf("unterminated quoted string in //go:generate line")
			}
			w, err := strconv.Unquote(s[:end+1])
			if err != nil {
				return nil, err
			}
			words = append(words, w)
			s = s[end+1:]
			continue
		}
		i := strings.IndexAny(s, " \t")
		if i < 0 {
			i = len(s)
		}
		words = append(words, s[:i])
		s = s[i:]
	}
	return words, nil
}
