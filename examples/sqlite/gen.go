package sqlite

// sqlite.go is generated from the system's sqlite3.h (Debian:
// libsqlite3-dev); the C compiler is needed only to regenerate it.
//go:generate go run github.com/seed5ca82032/ffi/cmd/ffigen -header sqlite3.h -lib libsqlite3.so.0 -package sqlite -include "^(sqlite3_(libversion|libversion_number|open|open_v2|close|exec|errmsg|errcode|changes|last_insert_rowid|prepare_v2|step|reset|finalize|bind_int64|bind_double|bind_text|bind_null|column_count|column_name|column_type|column_int64|column_double|column_text|column_bytes|free)|sqlite3|sqlite3_stmt|SQLITE_)$|^SQLITE_" -o sqlite.go
