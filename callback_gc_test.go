package ffi_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// strGCSrc calls a callback with four long C strings, so that copying one
// into a Go string can start a garbage collection while the copies made
// before it are not yet in the Go func's frame.
const strGCSrc = `
#include <string.h>
#include <stdlib.h>
long long drive_strs(long long (*cb)(const char *, const char *, const char *, const char *), int n, int len) {
	char *s[4];
	for (int k = 0; k < 4; k++) {
		s[k] = malloc(len + 1);
		memset(s[k], 'a' + k, len);
		s[k][len] = 0;
	}
	long long bad = 0;
	for (int i = 0; i < n; i++) bad += cb(s[0], s[1], s[2], s[3]);
	for (int k = 0; k < 4; k++) free(s[k]);
	return bad;
}
`

// stringsUnderGC calls a four-string callback n times with collections as
// frequent as possible: the Go func forces another one and fills the heap
// with garbage before it reads its strings, and returns how many of them
// were not the C strings' bytes any more.
func stringsUnderGC(n, size int) (int64, error) {
	defer debug.SetGCPercent(debug.SetGCPercent(1))
	so, err := ctest.Build(strGCSrc, "-O2")
	if err != nil {
		return 0, err
	}
	lib, err := ffi.Open(so)
	if err != nil {
		return 0, err
	}
	defer lib.Close()
	var sink [][]byte
	check := func(s string, c byte) int64 {
		if len(s) != size || strings.Count(s, string(c)) != size {
			return 1
		}
		return 0
	}
	cb, err := ffi.NewCallback("long long (*)(const char *, const char *, const char *, const char *)", func(a, b, c, d string) int64 {
		runtime.GC()
		for i := range 16 {
			sink = append(sink[:i%4], bytes.Repeat([]byte{'x'}, size))
		}
		return check(a, 'a') + check(b, 'b') + check(c, 'c') + check(d, 'd')
	})
	if err != nil {
		return 0, err
	}
	defer cb.Free()
	sym, err := lib.Sym("drive_strs")
	if err != nil {
		return 0, err
	}
	var drive func(uintptr, int32, int32) int64
	if err := ffi.Bind(&drive, sym, "long long (*)(void *, int, int)"); err != nil {
		return 0, err
	}
	return drive(cb.Ptr(), int32(n), int32(size)), nil
}

func init() {
	helpers["strings-gc"] = func() {
		bad, err := stringsUnderGC(300, 256<<10)
		if err != nil || bad != 0 {
			fmt.Fprintf(os.Stderr, "strings changed: %d, error %v\n", bad, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// TestCallbackStringsSurviveGC checks that the Go strings made for char *
// parameters stay alive until the Go func has them (they reach it through
// integer registers of the erased call): in this process, and in a child
// whose collections stop the world and sweep at once
// (GODEBUG=gcstoptheworld=2), where a string freed too early is reported by
// the collector as a bad pointer or reused by the garbage.
func TestCallbackStringsSurviveGC(t *testing.T) {
	if bad, err := stringsUnderGC(100, 64<<10); err != nil || bad != 0 {
		t.Errorf("%d strings changed before the Go func read them (error %v)", bad, err)
	}
	t.Setenv("GODEBUG", "gcstoptheworld=2")
	if code, out := runHelper(t, "strings-gc"); code != 0 {
		t.Errorf("with GODEBUG=gcstoptheworld=2: exit %d\n%s", code, firstLines(out, 8))
	}
}

// firstLines returns the first n lines of s.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
