//go:build !windows

package ffi_test

import (
	"bytes"
	"compress/zlib"
	hashcrc32 "hash/crc32"
	"io"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi"
	"github.com/seed5ca82032/ffi/internal/ctest"
)

// These tests load real system headers, preprocessed by the system C
// compiler during the test, into a Scope with Cdef, then bind and call
// functions and read constants of the real libraries with no hand-written
// declaration. A missing -dev package fails the test, naming it.

// header is a header loaded into its own scope, with its library open.
type header struct {
	t   *testing.T
	sc  *ffi.Scope
	lib *ffi.Library
}

func loadHeader(t *testing.T, name string) *header {
	t.Helper()
	h := ctest.HeaderNamed(t, name)
	sc := ffi.NewScope()
	if err := sc.Cdef(h.Preprocess(t, "-dD")); err != nil {
		t.Fatalf("Cdef of <%s> preprocessed with cc -E -dD: %v", name, err)
	}
	lib, err := ffi.Open(h.Lib)
	if err != nil {
		t.Fatalf("%v (install the Debian package %s)", err, h.Package)
	}
	t.Cleanup(func() { lib.Close() })
	return &header{t, sc, lib}
}

// bind binds the function name, declared by the header, to fnPtr.
func (h *header) bind(fnPtr any, name string) {
	h.t.Helper()
	addr, err := h.lib.Sym(name)
	if err != nil {
		h.t.Fatal(err)
	}
	if err := h.sc.Bind(fnPtr, addr, name); err != nil {
		h.t.Fatal(err)
	}
}

// constant returns the value of a constant of the header.
func (h *header) constant(name string) any {
	h.t.Helper()
	v, err := h.sc.Const(name)
	if err != nil {
		h.t.Fatal(err)
	}
	return v
}

func (h *header) wantConst(name string, want any) {
	h.t.Helper()
	if got := h.constant(name); got != want {
		h.t.Errorf("%s = %#v (%T), want %#v (%T)", name, got, got, want, want)
	}
}

func (h *header) sizeof(ctype string) int {
	h.t.Helper()
	n, err := h.sc.Sizeof(ctype)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

func (h *header) offsetof(ctype, field string) int {
	h.t.Helper()
	n, err := h.sc.Offsetof(ctype, field)
	if err != nil {
		h.t.Fatal(err)
	}
	return n
}

// goString copies the NUL-terminated C string at p.
func goString(p unsafe.Pointer) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(p, n)) != 0 {
		n++
	}
	return string(unsafe.Slice((*byte)(p), n))
}

func TestHeaderStdio(t *testing.T) {
	h := loadHeader(t, "stdio.h")
	var snprintf func(buf []byte, n uintptr, format string, args ...any) int32
	h.bind(&snprintf, "snprintf")
	buf := make([]byte, 64)
	n := snprintf(buf, uintptr(len(buf)), "%s=%d %.2f", "x", int32(42), 1.5)
	if got := string(buf[:n]); got != "x=42 1.50" {
		t.Errorf("snprintf wrote %q", got)
	}
	h.wantConst("EOF", int64(-1))
	h.wantConst("SEEK_END", int64(2))
	h.wantConst("BUFSIZ", int64(8192))
	h.wantConst("P_tmpdir", "/tmp")
	// vprintf takes a va_list: declared, but refused when bound, naming
	// the unsupported type and where it was declared.
	var vprintf func(string, unsafe.Pointer) int32
	addr, err := h.lib.Sym("vprintf")
	if err != nil {
		t.Fatal(err)
	}
	err = h.sc.Bind(&vprintf, addr, "vprintf")
	if err == nil || !strings.Contains(err.Error(), "__builtin_va_list is not supported (declared at ") {
		t.Errorf("binding vprintf: %v, want an error naming __builtin_va_list and where it was declared", err)
	}
}

func TestHeaderString(t *testing.T) {
	h := loadHeader(t, "string.h")
	var strlen func(string) uintptr
	var strstr func(string, string) unsafe.Pointer
	var memcmp func([]byte, []byte, uintptr) int32
	h.bind(&strlen, "strlen")
	h.bind(&strstr, "strstr")
	h.bind(&memcmp, "memcmp")
	if n := strlen("hello, headers"); n != 14 {
		t.Errorf("strlen = %d", n)
	}
	if p := strstr("haystack with needle", "needle"); goString(p) != "needle" {
		t.Errorf("strstr found %q", goString(p))
	}
	if memcmp([]byte("abc"), []byte("abd"), 3) >= 0 {
		t.Error("memcmp(abc, abd) >= 0")
	}
}

func TestHeaderStdlib(t *testing.T) {
	h := loadHeader(t, "stdlib.h")
	var strtol func(string, unsafe.Pointer, int32) int64
	var abs func(int32) int32
	var div func(int32, int32) struct{ Quot, Rem int32 }
	h.bind(&strtol, "strtol")
	h.bind(&abs, "abs")
	h.bind(&div, "div")
	if v := strtol("-0x1f", nil, 16); v != -31 {
		t.Errorf("strtol = %d", v)
	}
	if abs(-9) != 9 {
		t.Error("abs(-9) != 9")
	}
	if d := div(17, 5); d.Quot != 3 || d.Rem != 2 {
		t.Errorf("div(17, 5) = %+v", d)
	}
	h.wantConst("EXIT_FAILURE", int64(1))
	h.wantConst("RAND_MAX", int64(2147483647))
	if n := h.sizeof("div_t"); n != 8 {
		t.Errorf("sizeof(div_t) = %d", n)
	}
}

func TestHeaderPthread(t *testing.T) {
	h := loadHeader(t, "pthread.h")
	var self func() uintptr
	var equal func(uintptr, uintptr) int32
	var mutexInit func(unsafe.Pointer, unsafe.Pointer) int32
	var lock, trylock, unlock, destroy func(unsafe.Pointer) int32
	h.bind(&self, "pthread_self")
	h.bind(&equal, "pthread_equal")
	h.bind(&mutexInit, "pthread_mutex_init")
	h.bind(&lock, "pthread_mutex_lock")
	h.bind(&trylock, "pthread_mutex_trylock")
	h.bind(&unlock, "pthread_mutex_unlock")
	h.bind(&destroy, "pthread_mutex_destroy")
	if a, b := self(), self(); a == 0 || equal(a, b) == 0 {
		t.Errorf("pthread_self gave %#x then %#x", a, b)
	}
	// A mutex in C-sized memory: the size comes from the header.
	mu := make([]uint64, (h.sizeof("pthread_mutex_t")+7)/8)
	m := unsafe.Pointer(&mu[0])
	ebusy := int32(16)
	if mutexInit(m, nil) != 0 || lock(m) != 0 || trylock(m) != ebusy || unlock(m) != 0 || destroy(m) != 0 {
		t.Error("pthread mutex init/lock/trylock/unlock/destroy failed")
	}
	h.wantConst("PTHREAD_CREATE_DETACHED", int64(1))
	h.wantConst("PTHREAD_MUTEX_RECURSIVE", int64(1))
}

func TestHeaderZlib(t *testing.T) {
	h := loadHeader(t, "zlib.h")
	var version func() string
	var crc32 func(uint64, []byte, uint32) uint64
	var compressBound func(uint64) uint64
	var compress func(dst []byte, dstLen *uint64, src []byte, srcLen uint64) int32
	h.bind(&version, "zlibVersion")
	h.bind(&crc32, "crc32")
	h.bind(&compressBound, "compressBound")
	h.bind(&compress, "compress")
	if v := version(); v != h.constant("ZLIB_VERSION") {
		t.Errorf("zlibVersion() = %q, ZLIB_VERSION = %q", v, h.constant("ZLIB_VERSION"))
	}
	in := []byte(strings.Repeat("the header is the source of truth. ", 50))
	if got, want := crc32(0, in, uint32(len(in))), uint64(hashcrc32.ChecksumIEEE(in)); got != want {
		t.Errorf("crc32 = %#x, want %#x", got, want)
	}
	out := make([]byte, compressBound(uint64(len(in))))
	n := uint64(len(out))
	if rc := compress(out, &n, in, uint64(len(in))); any(int64(rc)) != h.constant("Z_OK") {
		t.Fatalf("compress returned %d", rc)
	}
	r, err := zlib.NewReader(bytes.NewReader(out[:n]))
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(back, in) {
		t.Errorf("Go's zlib read back %d bytes (%v), want the %d compressed", len(back), err, len(in))
	}
	h.wantConst("Z_OK", int64(0))
	h.wantConst("Z_BUF_ERROR", int64(-5))
	h.wantConst("Z_BEST_COMPRESSION", int64(9))
	h.wantConst("Z_NULL", int64(0))
	if off := h.offsetof("z_stream", "avail_out"); off != 32 {
		t.Errorf("offsetof(z_stream, avail_out) = %d", off)
	}
}

func TestHeaderSQLite(t *testing.T) {
	h := loadHeader(t, "sqlite3.h")
	var libversion func() string
	var open func(string, *unsafe.Pointer) int32
	var exec func(unsafe.Pointer, string, unsafe.Pointer, unsafe.Pointer, *unsafe.Pointer) int32
	var changes func(unsafe.Pointer) int32
	var closeDB func(unsafe.Pointer) int32
	h.bind(&libversion, "sqlite3_libversion")
	h.bind(&open, "sqlite3_open")
	h.bind(&exec, "sqlite3_exec")
	h.bind(&changes, "sqlite3_changes")
	h.bind(&closeDB, "sqlite3_close")
	if v := libversion(); v != h.constant("SQLITE_VERSION") {
		t.Errorf("sqlite3_libversion() = %q, SQLITE_VERSION = %q", v, h.constant("SQLITE_VERSION"))
	}
	ok := h.constant("SQLITE_OK")
	var db unsafe.Pointer
	if rc := open(":memory:", &db); any(int64(rc)) != ok {
		t.Fatalf("sqlite3_open = %d", rc)
	}
	if rc := exec(db, "create table t(x); insert into t values (1), (2), (3);", nil, nil, nil); any(int64(rc)) != ok {
		t.Fatalf("sqlite3_exec = %d", rc)
	}
	if n := changes(db); n != 3 {
		t.Errorf("sqlite3_changes = %d, want 3", n)
	}
	if rc := exec(db, "select nope from t", nil, nil, nil); any(int64(rc)) != h.constant("SQLITE_ERROR") {
		t.Errorf("bad SQL gave %d, want SQLITE_ERROR", rc)
	}
	if closeDB(db) != 0 {
		t.Error("sqlite3_close failed")
	}
	h.wantConst("SQLITE_ROW", int64(100))
	h.wantConst("SQLITE_IOERR_SHORT_READ", int64(522))
	h.wantConst("SQLITE_OPEN_CREATE", int64(4))
}

func TestHeaderExpat(t *testing.T) {
	h := loadHeader(t, "expat.h")
	var create func(unsafe.Pointer) unsafe.Pointer
	var parse func(unsafe.Pointer, []byte, int32, int32) int32
	var errorCode func(unsafe.Pointer) int32
	var errorString func(int32) string
	var free func(unsafe.Pointer)
	h.bind(&create, "XML_ParserCreate")
	h.bind(&parse, "XML_Parse")
	h.bind(&errorCode, "XML_GetErrorCode")
	h.bind(&errorString, "XML_ErrorString")
	h.bind(&free, "XML_ParserFree")
	p := create(nil)
	if p == nil {
		t.Fatal("XML_ParserCreate returned NULL")
	}
	defer free(p)
	doc := []byte("<a><b>text</b></a>")
	if st := parse(p, doc, int32(len(doc)), 1); any(int64(st)) != h.constant("XML_STATUS_OK") {
		t.Errorf("XML_Parse = %d (%s)", st, errorString(errorCode(p)))
	}
	q := create(nil)
	defer free(q)
	bad := []byte("<a></b>")
	if st := parse(q, bad, int32(len(bad)), 1); any(int64(st)) != h.constant("XML_STATUS_ERROR") {
		t.Errorf("XML_Parse of bad XML = %d", st)
	}
	if code := errorCode(q); any(int64(code)) != h.constant("XML_ERROR_TAG_MISMATCH") || errorString(code) != "mismatched tag" {
		t.Errorf("error %d: %q", code, errorString(code))
	}
	h.wantConst("XML_MAJOR_VERSION", int64(2))
}

func TestHeaderCurl(t *testing.T) {
	h := loadHeader(t, "curl/curl.h")
	var version func() string
	var strerror func(int32) string
	var easyInit func() unsafe.Pointer
	var setopt func(unsafe.Pointer, int32, ...any) int32
	var cleanup func(unsafe.Pointer)
	h.bind(&version, "curl_version")
	h.bind(&strerror, "curl_easy_strerror")
	h.bind(&easyInit, "curl_easy_init")
	h.bind(&setopt, "curl_easy_setopt")
	h.bind(&cleanup, "curl_easy_cleanup")
	if v := version(); !strings.HasPrefix(v, "libcurl/"+h.constant("LIBCURL_VERSION").(string)) {
		t.Errorf("curl_version() = %q, LIBCURL_VERSION = %q", v, h.constant("LIBCURL_VERSION"))
	}
	if s := strerror(0); s != "No error" {
		t.Errorf("curl_easy_strerror(CURLE_OK) = %q", s)
	}
	c := easyInit()
	if c == nil {
		t.Fatal("curl_easy_init returned NULL")
	}
	defer cleanup(c)
	url := int32(h.constant("CURLOPT_URL").(int64))
	if rc := setopt(c, url, "http://localhost/"); rc != 0 {
		t.Errorf("curl_easy_setopt(CURLOPT_URL) = %d (%s)", rc, strerror(rc))
	}
	h.wantConst("CURLOPT_URL", int64(10002))
	h.wantConst("CURLE_OK", int64(0))
	h.wantConst("CURL_GLOBAL_ALL", int64(3))
	h.wantConst("CURLINFO_RESPONSE_CODE", int64(0x200002))
}

func TestHeaderLibxml2(t *testing.T) {
	h := loadHeader(t, "libxml/parser.h")
	var readMemory func(doc []byte, size int32, url, encoding unsafe.Pointer, options int32) unsafe.Pointer
	var root func(unsafe.Pointer) unsafe.Pointer
	var freeDoc func(unsafe.Pointer)
	h.bind(&readMemory, "xmlReadMemory")
	h.bind(&root, "xmlDocGetRootElement")
	h.bind(&freeDoc, "xmlFreeDoc")
	doc := []byte("<greeting lang='en'>hello</greeting>")
	d := readMemory(doc, int32(len(doc)), nil, nil, int32(h.constant("XML_PARSE_NONET").(int64)))
	if d == nil {
		t.Fatal("xmlReadMemory returned NULL")
	}
	defer freeDoc(d)
	r := root(d)
	if r == nil {
		t.Fatal("no root element")
	}
	// Read the node's type and name through the header's layout of xmlNode.
	typ := *(*int32)(unsafe.Add(r, h.offsetof("xmlNode", "type")))
	name := goString(*(*unsafe.Pointer)(unsafe.Add(r, h.offsetof("xmlNode", "name"))))
	if any(int64(typ)) != h.constant("XML_ELEMENT_NODE") || name != "greeting" {
		t.Errorf("root element: type %d, name %q", typ, name)
	}
	if v, ok := h.constant("LIBXML_DOTTED_VERSION").(string); !ok || !strings.HasPrefix(v, "2.") {
		t.Errorf("LIBXML_DOTTED_VERSION = %#v", h.constant("LIBXML_DOTTED_VERSION"))
	}
}

func TestHeaderGLib(t *testing.T) {
	h := loadHeader(t, "glib.h")
	var strdup func(string) unsafe.Pointer
	var free func(unsafe.Pointer)
	var strHash func(unsafe.Pointer) uint32
	var ascii func(string, unsafe.Pointer, uint32) int64
	h.bind(&strdup, "g_strdup")
	h.bind(&free, "g_free")
	h.bind(&strHash, "g_str_hash")
	h.bind(&ascii, "g_ascii_strtoll")
	p := strdup("copied by glib")
	if goString(p) != "copied by glib" {
		t.Errorf("g_strdup gave %q", goString(p))
	}
	// g_str_hash is djb2: h = h*33 + c from 5381.
	want := uint32(5381)
	for _, c := range []byte("copied by glib") {
		want = want*33 + uint32(c)
	}
	if got := strHash(p); got != want {
		t.Errorf("g_str_hash = %d, want %d", got, want)
	}
	free(p)
	if v := ascii("-777", nil, 10); v != -777 {
		t.Errorf("g_ascii_strtoll = %d", v)
	}
	h.wantConst("GLIB_MAJOR_VERSION", int64(2))
	h.wantConst("TRUE", int64(1))
	h.wantConst("G_LOG_LEVEL_WARNING", int64(16))
	if pi, ok := h.constant("G_PI").(float64); !ok || pi < 3.14159 || pi > 3.1416 {
		t.Errorf("G_PI = %#v", h.constant("G_PI"))
	}
	// Static inline functions of the header have no symbol: using one is
	// an error naming it and where it was declared.
	addr, err := h.lib.Sym("g_free")
	if err != nil {
		t.Fatal(err)
	}
	var f func(unsafe.Pointer)
	err = h.sc.Bind(&f, addr, "glib_autoptr_clear_GAsyncQueue")
	if err == nil || !strings.Contains(err.Error(), "a static or inline function defined in the header") || !strings.Contains(err.Error(), "declared at ") {
		t.Errorf("binding a static inline function: %v", err)
	}
}
