package ffi

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		want []string // substrings of the error
	}{
		{"libdoes-not-exist.so.9", []string{`"libdoes-not-exist.so.9"`, "cannot open shared object file"}},
		{"/nonexistent/dir/libx.so", []string{`"/nonexistent/dir/libx.so"`, "No such file or directory"}},
		{"/etc/hostname", []string{`"/etc/hostname"`}}, // not an ELF object
	}
	for _, tt := range tests {
		lib, err := Open(tt.name)
		if err == nil {
			lib.Close()
			t.Errorf("Open(%q) succeeded", tt.name)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Open(%q) error %q does not contain %q", tt.name, err, w)
			}
		}
	}
}

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

func TestLibrarySymAndClose(t *testing.T) {
	so := ctest.SharedLib(t, "int lib_answer = 42; int lib_twice(int x) { return 2 * x; }")
	lib, err := Open(so)
	if err != nil {
		t.Fatal(err)
	}
	if lib.Name() != so {
		t.Errorf("Name() = %q, want %q", lib.Name(), so)
	}
	for _, name := range []string{"lib_answer", "lib_twice"} {
		if addr, err := lib.Sym(name); err != nil || addr == 0 {
			t.Errorf("Sym(%q) = %#x, %v", name, addr, err)
		}
	}
	if v, _ := lib.Sym("lib_answer"); v != 0 {
		if got := *(*int32)(symPtr(v)); got != 42 {
			t.Errorf("lib_answer = %d, want 42", got)
		}
	}
	_, err = lib.Sym("lib_thrice")
	if err == nil || !strings.Contains(err.Error(), "lib_thrice") || !strings.Contains(err.Error(), so) {
		t.Errorf("missing symbol: error %v, want the symbol and %s named", err, so)
	}
	if err := lib.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := lib.Close(); err == nil || !strings.Contains(err.Error(), "already closed") {
		t.Errorf("second Close: %v", err)
	}
	if _, err := lib.Sym("lib_twice"); err == nil || !strings.Contains(err.Error(), "closed") {
		t.Errorf("Sym after Close: %v", err)
	}
}

// symPtr turns a symbol address from Sym into a pointer (dlsym's memory is
// not Go memory, so the conversion is safe; the indirection keeps vet quiet).
func symPtr(addr uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&addr)) }

// The tests below call real system libraries through Open and Bind, with no
// cgo involved.

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

func TestLibm(t *testing.T) {
	libm, err := Open("libm.so.6")
	if err != nil {
		t.Fatal(err)
	}
	defer libm.Close()
	var pow func(float64, float64) float64
	var frexp func(float64, *int32) float64
	var ldexp func(float64, int32) float64
	mustBind(t, libm, &pow, "double pow(double x, double y)")
	mustBind(t, libm, &frexp, "double frexp(double x, int *exp)")
	mustBind(t, libm, &ldexp, "double ldexp(double x, int exp)")
	for _, c := range [][2]float64{{2, 10}, {10, -2}, {0.5, 0.5}, {-8, 3}} {
		// pow is correctly rounded for these in both libraries.
		if got, want := pow(c[0], c[1]), math.Pow(c[0], c[1]); got != want {
			t.Errorf("pow(%v, %v) = %v, want %v", c[0], c[1], got, want)
		}
	}
	for _, x := range []float64{1, 8, 0.1, -1234.5678, 1e-310, math.MaxFloat64} {
		var e int32
		frac := frexp(x, &e)
		wf, we := math.Frexp(x)
		if frac != wf || int(e) != we {
			t.Errorf("frexp(%v) = %v, %d, want %v, %d", x, frac, e, wf, we)
		}
		if got := ldexp(frac, e); got != x {
			t.Errorf("ldexp(%v, %d) = %v, want %v", frac, e, got, x)
		}
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
