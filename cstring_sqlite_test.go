//go:build !windows

package ffi

import (
	"runtime"
	"testing"
	"unsafe"
)

// TestCStringsWithSQLite keeps a CString alive for SQLite (bound with
// SQLITE_STATIC, so SQLite reads it until the statement is finalized), and
// reads and frees an error message SQLite allocated.
func TestCStringsWithSQLite(t *testing.T) {
	lib, err := Open("libsqlite3.so.0")
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()
	s := NewScope()
	if err := s.Cdef(`
		typedef struct sqlite3 sqlite3;
		typedef struct sqlite3_stmt sqlite3_stmt;`); err != nil {
		t.Fatal(err)
	}
	bind := func(fnPtr any, name, decl string) {
		t.Helper()
		addr, err := lib.Sym(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Bind(fnPtr, addr, decl); err != nil {
			t.Fatal(err)
		}
	}
	var open func(filename unsafe.Pointer, db *unsafe.Pointer) int32
	var closeDB func(unsafe.Pointer) int32
	var exec func(db unsafe.Pointer, sql string, cb, arg unsafe.Pointer, errmsg *unsafe.Pointer) int32
	var prepare func(db unsafe.Pointer, sql string, n int32, stmt *unsafe.Pointer, tail unsafe.Pointer) int32
	var bindText func(stmt unsafe.Pointer, i int32, text unsafe.Pointer, n int32, destructor uintptr) int32
	var step func(stmt unsafe.Pointer) int32
	var columnText func(stmt unsafe.Pointer, i int32) unsafe.Pointer
	var finalize func(stmt unsafe.Pointer) int32
	var sqliteFree func(unsafe.Pointer)
	bind(&open, "sqlite3_open", "int sqlite3_open(const char *, sqlite3 **)")
	bind(&closeDB, "sqlite3_close", "int sqlite3_close(sqlite3 *)")
	bind(&exec, "sqlite3_exec", "int sqlite3_exec(sqlite3 *, const char *, void *, void *, char **)")
	bind(&prepare, "sqlite3_prepare_v2", "int sqlite3_prepare_v2(sqlite3 *, const char *, int, sqlite3_stmt **, const char **)")
	bind(&bindText, "sqlite3_bind_text", "int sqlite3_bind_text(sqlite3_stmt *, int, const char *, int, void (*)(void *))")
	bind(&step, "sqlite3_step", "int sqlite3_step(sqlite3_stmt *)")
	bind(&columnText, "sqlite3_column_text", "const unsigned char *sqlite3_column_text(sqlite3_stmt *, int)")
	bind(&finalize, "sqlite3_finalize", "int sqlite3_finalize(sqlite3_stmt *)")
	bind(&sqliteFree, "sqlite3_free", "void sqlite3_free(void *)")

	name := CString(":memory:")
	var db unsafe.Pointer
	rc := open(name, &db)
	Free(name)
	if rc != 0 {
		t.Fatalf("sqlite3_open = %d", rc)
	}
	defer closeDB(db)

	var msg unsafe.Pointer
	if rc := exec(db, "SELECT * FROM nowhere", nil, nil, &msg); rc == 0 || msg == nil {
		t.Fatalf("exec of a bad query: rc %d, errmsg %p", rc, msg)
	}
	if got := GoString(msg); got != "no such table: nowhere" {
		t.Errorf("errmsg = %q", got)
	}
	sqliteFree(msg)

	var stmt unsafe.Pointer
	if rc := prepare(db, "SELECT upper(?1) || '!'", -1, &stmt, nil); rc != 0 {
		t.Fatalf("prepare = %d", rc)
	}
	text := CString("kept by sqlite")
	defer Free(text)
	const sqliteStatic = 0 // SQLite keeps the pointer and never frees it
	if rc := bindText(stmt, 1, text, -1, sqliteStatic); rc != 0 {
		t.Fatalf("bind_text = %d", rc)
	}
	runtime.GC()
	const sqliteRow = 100
	if rc := step(stmt); rc != sqliteRow {
		t.Fatalf("step = %d", rc)
	}
	if got := GoString(columnText(stmt, 0)); got != "KEPT BY SQLITE!" {
		t.Errorf("column = %q", got)
	}
	finalize(stmt)
}

func BenchmarkMallocFree(b *testing.B) {
	for b.Loop() {
		Free(Malloc(64))
	}
}

func BenchmarkCStringGoString(b *testing.B) {
	for b.Loop() {
		p := CString("hello, world")
		_ = GoString(p)
		Free(p)
	}
}
