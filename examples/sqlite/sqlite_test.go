//go:build !windows

package sqlite

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ffigen"
)

// transient is SQLITE_TRANSIENT, ((sqlite3_destructor_type)-1): SQLite
// copies the text before bind returns (the Go string is copied to C memory
// only for the call).
const transient = ^uintptr(0)

func TestQuery(t *testing.T) {
	if err := Load(); err != nil {
		t.Fatalf("Load: %v (install libsqlite3-0)", err)
	}
	if v := Sqlite3_libversion(); v != SQLITE_VERSION || Sqlite3_libversion_number() != SQLITE_VERSION_NUMBER {
		t.Errorf("library %q (%d), header %q (%d)", v, Sqlite3_libversion_number(), SQLITE_VERSION, SQLITE_VERSION_NUMBER)
	}
	var db *Sqlite3
	// A const char * parameter is a Go string, which cannot be NULL:
	// sqlite3_open_v2's zVfs would be "" (no such VFS), so sqlite3_open.
	if rc := Sqlite3_open(":memory:", &db); rc != SQLITE_OK {
		t.Fatalf("sqlite3_open = %d", rc)
	}
	defer Sqlite3_close(db)
	exec := func(sql string) {
		t.Helper()
		if rc := Sqlite3_exec(db, sql, 0, nil, nil); rc != SQLITE_OK {
			t.Fatalf("%s: %d %s", sql, rc, Sqlite3_errmsg(db))
		}
	}
	exec("create table fruit (id integer primary key, name text, price real)")
	var ins *Sqlite3_stmt
	if rc := Sqlite3_prepare_v2(db, "insert into fruit (name, price) values (?, ?)", -1, &ins, nil); rc != SQLITE_OK {
		t.Fatalf("prepare: %s", Sqlite3_errmsg(db))
	}
	rows := []struct {
		name  string
		price float64
	}{{"apple", 1.25}, {"pear", 2.5}, {"fig", 4.75}}
	for _, r := range rows {
		Sqlite3_bind_text(ins, 1, r.name, -1, transient)
		Sqlite3_bind_double(ins, 2, r.price)
		if rc := Sqlite3_step(ins); rc != SQLITE_DONE {
			t.Fatalf("insert step = %d: %s", rc, Sqlite3_errmsg(db))
		}
		Sqlite3_reset(ins)
	}
	Sqlite3_finalize(ins)
	if id := Sqlite3_last_insert_rowid(db); id != 3 {
		t.Errorf("last rowid %d", id)
	}

	var q *Sqlite3_stmt
	if rc := Sqlite3_prepare_v2(db, "select id, name, price from fruit where price > ? order by price desc", -1, &q, nil); rc != SQLITE_OK {
		t.Fatalf("prepare: %s", Sqlite3_errmsg(db))
	}
	defer Sqlite3_finalize(q)
	Sqlite3_bind_double(q, 1, 2)
	if n := Sqlite3_column_count(q); n != 3 || Sqlite3_column_name(q, 1) != "name" {
		t.Errorf("%d columns, second %q", n, Sqlite3_column_name(q, 1))
	}
	var got []string
	for Sqlite3_step(q) == SQLITE_ROW {
		if Sqlite3_column_type(q, 0) != SQLITE_INTEGER || Sqlite3_column_type(q, 1) != SQLITE_TEXT {
			t.Errorf("column types %d %d", Sqlite3_column_type(q, 0), Sqlite3_column_type(q, 1))
		}
		// The text lives in SQLite's memory until the next step: copy it.
		text := strings.Clone(unsafe.String(Sqlite3_column_text(q, 1), Sqlite3_column_bytes(q, 1)))
		got = append(got, text)
		if text == "fig" && (Sqlite3_column_int64(q, 0) != 3 || Sqlite3_column_double(q, 2) != 4.75) {
			t.Errorf("fig: id %d price %v", Sqlite3_column_int64(q, 0), Sqlite3_column_double(q, 2))
		}
	}
	if len(got) != 2 || got[0] != "fig" || got[1] != "pear" {
		t.Errorf("query gave %q, want [fig pear]", got)
	}
	if rc := Sqlite3_exec(db, "select nope from fruit", 0, nil, nil); rc != SQLITE_ERROR || Sqlite3_errmsg(db) != "no such column: nope" {
		t.Errorf("bad query: %d %q", rc, Sqlite3_errmsg(db))
	}
}

// TestRegenerate runs ffigen with the arguments of the go:generate line
// and checks that it writes sqlite.go byte for byte.
func TestRegenerate(t *testing.T) {
	args, err := ffigen.GenerateArgs("gen.go")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ffigen.ParseArgs(args, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ffigen.Generate(c)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(c.Out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("regenerating %s gives different bytes (%d, was %d): run go generate", c.Out, len(got), len(want))
	}
}
