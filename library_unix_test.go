//go:build !windows

package ffi

// Tests of Linux system libraries (glibc, zlib, SQLite) and of Open("")
// giving the whole process's symbols, which Windows does not have: there a
// program's own module exports nothing, and the C library (msvcrt.dll) has
// different printf formats.

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

func TestOpenRunningProgram(t *testing.T) {
	lib, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	for _, name := range []string{"strlen", "malloc", "dlopen"} {
		if addr, err := lib.Sym(name); err != nil || addr == 0 {
			t.Errorf("Sym(%q) = %#x, %v", name, addr, err)
		}
	}
	_, err = lib.Sym("no_such_symbol_xyz")
	if err == nil || !strings.Contains(err.Error(), "no_such_symbol_xyz") || !strings.Contains(err.Error(), "running program") {
		t.Errorf("missing symbol: error %v", err)
	}
}

func TestLibc(t *testing.T) {
	libc, err := Open("libc.so.6")
	if err != nil {
		t.Fatal(err)
	}
	defer libc.Close()
	var strlen func(string) uintptr
	var strlenPtr func(*byte) uintptr
	mustBind(t, libc, &strlen, "size_t strlen(const char *s)")
	mustBind(t, libc, &strlenPtr, "size_t strlen(const char *s)")
	if n := strlen("hello, libc"); n != 11 {
		t.Errorf("strlen = %d", n)
	}
	if n := strlenPtr(&[]byte("abc\x00def")[0]); n != 3 {
		t.Errorf("strlen(*byte) = %d", n)
	}

	var snprintf func([]byte, uintptr, string, ...any) int32
	mustBind(t, libc, &snprintf, "int snprintf(char *str, size_t size, const char *format, ...)")
	buf := make([]byte, 256)
	x := 1.0 / 3
	n := snprintf(buf, uintptr(len(buf)), "%d|%u|%ld|%s|%.6f|%c|%x|%5.2e|%hhd|%s",
		-42, uint32(4_000_000_000), int64(-1)<<40, "str", x, 'Z', 255, float32(1234.5), int8(-7), "end")
	want := fmt.Sprintf("%d|%d|%d|%s|%.6f|%c|%x|%5.2e|%d|%s", -42, uint32(4_000_000_000), int64(-1)<<40, "str", x, 'Z', 255, 1234.5, -7, "end")
	if got := string(buf[:n]); got != want {
		t.Errorf("snprintf = %q, want %q", got, want)
	}
	// More doubles than vector registers, more integers than GPRs.
	n = snprintf(buf, uintptr(len(buf)), "%g %g %g %g %g %g %g %g %g %g %d %d %d %d %d %d %d",
		1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.5, 10.25, 1, 2, 3, 4, 5, 6, 7)
	if got, want := string(buf[:n]), "1 2 3 4 5 6 7 8 9.5 10.25 1 2 3 4 5 6 7"; got != want {
		t.Errorf("snprintf = %q, want %q", got, want)
	}

	var qsort func(unsafe.Pointer, uintptr, uintptr, *Callback)
	mustBind(t, libc, &qsort, "void qsort(void *base, size_t nmemb, size_t size, int (*compar)(const void *, const void *))")
	cmp, err := NewCallback("int (*)(const void *, const void *)", func(a, b *float64) int32 {
		switch {
		case *a < *b:
			return -1
		case *a > *b:
			return 1
		}
		return 0
	})
	if err != nil {
		t.Fatal(err)
	}
	defer cmp.Free()
	r := rand.New(rand.NewPCG(1, 2))
	vals := make([]float64, 1000)
	for i := range vals {
		vals[i] = r.NormFloat64()
	}
	sorted := slices.Clone(vals)
	slices.Sort(sorted)
	qsort(unsafe.Pointer(&vals[0]), uintptr(len(vals)), 8, cmp)
	if !slices.Equal(vals, sorted) {
		t.Errorf("qsort did not sort")
	}
}

func TestZlib(t *testing.T) {
	z, err := Open("libz.so.1")
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	var bound func(uint64) uint64
	var compress2 func([]byte, *uint64, []byte, uint64, int32) int32
	var uncompress func([]byte, *uint64, []byte, uint64) int32
	var version func() string
	mustBind(t, z, &bound, "unsigned long compressBound(unsigned long sourceLen)")
	mustBind(t, z, &compress2, "int compress2(unsigned char *dest, unsigned long *destLen, const unsigned char *source, unsigned long sourceLen, int level)")
	mustBind(t, z, &uncompress, "int uncompress(unsigned char *dest, unsigned long *destLen, const unsigned char *source, unsigned long sourceLen)")
	mustBind(t, z, &version, "const char *zlibVersion(void)")
	if v := version(); !strings.HasPrefix(v, "1.") {
		t.Errorf("zlibVersion = %q", v)
	}
	src := make([]byte, 1<<20)
	r := rand.New(rand.NewPCG(3, 4))
	words := []string{"alpha ", "beta ", "gamma ", "delta ", "\x00\x01\x02 "}
	for i := 0; i < len(src); {
		i += copy(src[i:], words[r.IntN(len(words))])
	}
	dst := make([]byte, bound(uint64(len(src))))
	dlen := uint64(len(dst))
	if rc := compress2(dst, &dlen, src, uint64(len(src)), 9); rc != 0 {
		t.Fatalf("compress2 returned %d", rc)
	}
	if dlen == 0 || dlen >= uint64(len(src))/2 {
		t.Fatalf("compressed 1 MiB to %d bytes", dlen)
	}
	out := make([]byte, len(src))
	olen := uint64(len(out))
	if rc := uncompress(out, &olen, dst[:dlen], dlen); rc != 0 {
		t.Fatalf("uncompress returned %d", rc)
	}
	if olen != uint64(len(src)) || !bytes.Equal(out, src) {
		t.Errorf("round trip changed the data (%d bytes back)", olen)
	}
}

func TestSQLite(t *testing.T) {
	lib, err := Open("libsqlite3.so.0")
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	if err := Cdef("typedef struct sqlite3 sqlite3;"); err != nil && !strings.Contains(err.Error(), "redefin") {
		t.Fatal(err)
	}
	var open func(string, *unsafe.Pointer) int32
	var closeDB func(unsafe.Pointer) int32
	var exec func(db unsafe.Pointer, sql string, cb *Callback, arg unsafe.Pointer, errmsg *unsafe.Pointer) int32
	var errmsg func(unsafe.Pointer) string
	mustBind(t, lib, &open, "int sqlite3_open(const char *filename, sqlite3 **ppDb)")
	mustBind(t, lib, &closeDB, "int sqlite3_close(sqlite3 *)")
	mustBind(t, lib, &exec, "int sqlite3_exec(sqlite3 *, const char *sql, int (*callback)(void *, int, char **, char **), void *, char **errmsg)")
	mustBind(t, lib, &errmsg, "const char *sqlite3_errmsg(sqlite3 *)")

	var db unsafe.Pointer
	if rc := open(":memory:", &db); rc != 0 || db == nil {
		t.Fatalf("sqlite3_open = %d", rc)
	}
	defer closeDB(db)
	run := func(sql string, cb *Callback) {
		t.Helper()
		if rc := exec(db, sql, cb, nil, nil); rc != 0 {
			t.Fatalf("sqlite3_exec(%q) = %d: %s", sql, rc, errmsg(db))
		}
	}
	run("CREATE TABLE t(id INTEGER, name TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, NULL);", nil)

	var rows [][]string
	cstr := func(p unsafe.Pointer) string {
		if p == nil {
			return "NULL"
		}
		n := 0
		for *(*byte)(unsafe.Add(p, n)) != 0 {
			n++
		}
		return string(unsafe.Slice((*byte)(p), n))
	}
	collect, err := NewCallback("int (*)(void *, int, char **, char **)",
		func(_ unsafe.Pointer, n int32, vals, names *unsafe.Pointer) int32 {
			vs := unsafe.Slice(vals, n)
			ns := unsafe.Slice(names, n)
			row := make([]string, n)
			for i := range row {
				row[i] = cstr(ns[i]) + "=" + cstr(vs[i])
			}
			rows = append(rows, row)
			return 0
		})
	if err != nil {
		t.Fatal(err)
	}
	defer collect.Free()
	run("SELECT id, name FROM t ORDER BY id", collect)
	want := [][]string{{"id=1", "name=one"}, {"id=2", "name=two"}, {"id=3", "name=NULL"}}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows = %v, want %v", rows, want)
	}
	if rc := exec(db, "SELECT * FROM missing", nil, nil, nil); rc == 0 || !strings.Contains(errmsg(db), "missing") {
		t.Errorf("query of a missing table: rc %d, %q", rc, errmsg(db))
	}
}
