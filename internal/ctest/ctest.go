// Package ctest compiles C test fixtures with the system C compiler during
// a test run and loads them, so tests exercise real C code.
package ctest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

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
	so := filepath.Join(dir, name+libSuffix)
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
	args := append([]string{"-shared", "-o", name + libSuffix, name + ".c"}, flags...)
	if runtime.GOOS != "windows" {
		args = append([]string{"-fPIC"}, args...)
	}
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
	exe := strings.TrimSuffix(c, ".c") + exeSuffix
	_, err = f.WriteString(src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"-o", exe, c}, flags...)
	out, err := compile(d, args)
	if err != nil {
		t.Fatalf("compiling C program: %v\n%s", err, out)
	}
	return filepath.Join(d, exe)
}
