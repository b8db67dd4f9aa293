// Package ctest compiles C test fixtures with the system C compiler during
// a test run and loads them, so tests exercise real C code.
//
// Everything that depends on the target is overridable, so that the same
// tests run cross-compiled under an emulator (qemu-user) or under wine:
// the compiler comes from $CC, the executable wrapper from $FFI_TEST_EXEC,
// and the file suffixes from LibSuffix and ExeSuffix.
package ctest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
)

// ExecEnv names an environment variable holding the command (words
// separated by spaces) that runs a program of the target on this machine,
// for example "qemu-aarch64 -L /usr/aarch64-linux-gnu" or "wine". Command
// puts it in front of every program it runs; unset, programs run directly.
const ExecEnv = "FFI_TEST_EXEC"

// LibSuffix is the file suffix of the shared libraries Build makes, and
// ExeSuffix that of the programs Program makes; both follow the target the
// test binary was built for.
var LibSuffix, ExeSuffix = suffixes(runtime.GOOS)

func suffixes(goos string) (lib, exe string) {
	switch goos {
	case "windows":
		return ".dll", ".exe"
	case "darwin", "ios":
		return ".dylib", ""
	}
	return ".so", ""
}

// fixtureFlags are given to the compiler for every fixture, before the
// caller's flags. -ffp-contract=off: C evaluates a*b+c with two roundings
// as the Go expressions the tests compare with do, on every target (GCC
// otherwise fuses them into one fma instruction where the CPU has one).
var fixtureFlags = []string{"-ffp-contract=off"}

// Command returns the command that runs program name of the target with
// args: through the wrapper in $FFI_TEST_EXEC if it is set.
func Command(name string, args ...string) *exec.Cmd {
	if w := strings.Fields(os.Getenv(ExecEnv)); len(w) > 0 {
		return exec.Command(w[0], slices.Concat(w[1:], []string{name}, args)...)
	}
	return exec.Command(name, args...)
}

var charSigned = sync.OnceValues(func() (bool, error) {
	if runtime.GOOS == "windows" {
		return true, nil // Microsoft x64 (MinGW too); no compiler runs under wine
	}
	cmd := exec.Command(CC(), "-dM", "-E", "-x", "c", os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		return false, fmt.Errorf("%s -dM -E: %v", CC(), err)
	}
	return !strings.Contains(string(out), "#define __CHAR_UNSIGNED__ "), nil
})

// CharSigned reports whether plain char is signed for the C compiler (it
// is unsigned on arm64 Linux, signed on x86-64 and Apple arm64), as the
// compiler's predefined macros say.
func CharSigned(t testing.TB) bool {
	t.Helper()
	signed, err := charSigned()
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// CC returns the C compiler: $CC, else `go env CC`, else "cc". On Windows
// it names the compiler of the agent (see AgentEnv): $CC, else
// x86_64-w64-mingw32-gcc.
func CC() string {
	if cc := os.Getenv("CC"); cc != "" {
		return cc
	}
	if runtime.GOOS == "windows" {
		return "x86_64-w64-mingw32-gcc"
	}
	if out, err := exec.Command("go", "env", "CC").Output(); err == nil {
		if cc := strings.TrimSpace(string(out)); cc != "" {
			return cc
		}
	}
	return "cc"
}

// DirEnv names an environment variable: a child process of a test that
// has it set builds into (and reuses fixtures from) that directory instead
// of making its own, and never removes it.
const DirEnv = "FFI_CTEST_DIR"

var (
	mu     sync.Mutex
	built  = map[string]string{}
	dir    string
	shared bool // dir belongs to a parent process
)

// Dir returns the directory of this process's fixtures ("" before the first
// Build), for handing to child processes through DirEnv.
func Dir() string {
	mu.Lock()
	defer mu.Unlock()
	return dir
}

// SharedLib compiles C source src into a shared library (once per test
// binary for the same source and flags) and returns its path. Extra
// arguments are passed to the compiler (for example "-O2", "-lm"). A
// compiler error fails the test with the compiler's output.
func SharedLib(t testing.TB, src string, flags ...string) string {
	t.Helper()
	so, err := Build(src, flags...)
	if err != nil {
		t.Fatal(err)
	}
	return so
}

// Build is SharedLib for code that has no testing.TB (child processes of
// a test): it returns the compiler's error instead of failing a test.
func Build(src string, flags ...string) (string, error) {
	key := sha256.Sum256([]byte(strings.Join(append([]string{src}, flags...), "\x00")))
	name := hex.EncodeToString(key[:8])
	mu.Lock()
	defer mu.Unlock()
	if p, ok := built[name]; ok {
		return p, nil
	}
	if dir == "" {
		if d := os.Getenv(DirEnv); d != "" {
			dir, shared = d, true
		} else if d := agentDir(); d != "" {
			dir, shared = d, true
		} else {
			d, err := os.MkdirTemp("", "ffi-ctest-")
			if err != nil {
				return "", err
			}
			dir = d
		}
	}
	c := filepath.Join(dir, name+".c")
	so := filepath.Join(dir, name+LibSuffix)
	if _, err := os.Stat(so); err == nil {
		// Built by this process's parent (same source and flags: the name
		// is their hash). Never rebuild a library another process has
		// loaded.
		built[name] = so
		return so, nil
	}
	if err := os.WriteFile(c, []byte(src), 0o644); err != nil {
		return "", err
	}
	args := slices.Concat(sharedFlags(), []string{"-o", name + LibSuffix, name + ".c"}, fixtureFlags, flags)
	out, err := compile(dir, args)
	if err != nil {
		return "", fmt.Errorf("compiling C fixture: %s %s: %v\n%s", CC(), strings.Join(args, " "), err, out)
	}
	built[name] = so
	return so, nil
}

// Cleanup removes the fixtures built so far. Call it from TestMain after
// the tests ran.
func Cleanup() {
	mu.Lock()
	defer mu.Unlock()
	if dir != "" && !shared {
		os.RemoveAll(dir)
	}
	dir, built, shared = "", map[string]string{}, false
}

// Program compiles C source src into an executable and returns its path.
func Program(t testing.TB, src string, flags ...string) string {
	t.Helper()
	d := agentDir()
	if d == "" {
		d = t.TempDir()
	}
	f, err := os.CreateTemp(d, "prog-*.c")
	if err != nil {
		t.Fatal(err)
	}
	c := filepath.Base(f.Name())
	exe := strings.TrimSuffix(c, ".c") + ExeSuffix
	_, err = f.WriteString(src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	args := slices.Concat([]string{"-o", exe, c}, fixtureFlags, flags)
	out, err := compile(d, args)
	if err != nil {
		t.Fatalf("compiling C program: %v\n%s", err, out)
	}
	return filepath.Join(d, exe)
}

// sharedFlags are the compiler flags that make a shared library.
func sharedFlags() []string {
	if runtime.GOOS == "windows" {
		return []string{"-shared"}
	}
	return []string{"-shared", "-fPIC"}
}
