package cparse

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/ctest"

	"github.com/seed5ca82032/ffi/internal/ctype"
)

// sqliteDecls is part of SQLite's C interface, written out by hand from its
// public documentation (sqlite.org/c3ref), as a user would paste it.
const sqliteDecls = `
/* Objects */
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
typedef struct sqlite3_value sqlite3_value;
typedef struct sqlite3_context sqlite3_context;
typedef long long int sqlite_int64;
typedef unsigned long long int sqlite_uint64;
typedef sqlite_int64 sqlite3_int64;
typedef sqlite_uint64 sqlite3_uint64;
typedef int (*sqlite3_callback)(void*,int,char**, char**);
typedef void (*sqlite3_destructor_type)(void*);

enum {
  SQLITE_OK = 0, SQLITE_ERROR = 1, SQLITE_BUSY = 5, SQLITE_MISUSE = 21,
  SQLITE_ROW = 100, SQLITE_DONE = 101,
  SQLITE_OPEN_READONLY = 0x00000001, SQLITE_OPEN_READWRITE = 0x00000002,
  SQLITE_OPEN_CREATE = 0x00000004, SQLITE_OPEN_URI = 0x00000040,
  SQLITE_UTF8 = 1, SQLITE_DETERMINISTIC = 0x000000800,
  SQLITE_INTEGER = 1, SQLITE_FLOAT = 2, SQLITE_TEXT = 3, SQLITE_BLOB = 4, SQLITE_NULL = 5,
  SQLITE_IOERR = 10, SQLITE_IOERR_READ = (SQLITE_IOERR | (1<<8)),
  SQLITE_IOERR_SHORT_READ = (SQLITE_IOERR | (2<<8))
};

const char *sqlite3_libversion(void);
int sqlite3_libversion_number(void);
int sqlite3_threadsafe(void);

int sqlite3_open(
  const char *filename,   /* Database filename (UTF-8) */
  sqlite3 **ppDb          /* OUT: SQLite db handle */
);
int sqlite3_open_v2(
  const char *filename,   /* Database filename (UTF-8) */
  sqlite3 **ppDb,         /* OUT: SQLite db handle */
  int flags,              /* Flags */
  const char *zVfs        /* Name of VFS module to use */
);
int sqlite3_close(sqlite3*);
int sqlite3_close_v2(sqlite3*);

int sqlite3_exec(
  sqlite3*,                                  /* An open database */
  const char *sql,                           /* SQL to be evaluated */
  int (*callback)(void*,int,char**,char**),  /* Callback function */
  void *,                                    /* 1st argument to callback */
  char **errmsg                              /* Error msg written here */
);

int sqlite3_errcode(sqlite3 *db);
const char *sqlite3_errmsg(sqlite3*);
const char *sqlite3_errstr(int);
void *sqlite3_malloc(int);
void *sqlite3_malloc64(sqlite3_uint64);
void *sqlite3_realloc(void*, int);
void sqlite3_free(void*);
char *sqlite3_mprintf(const char*,...);
char *sqlite3_snprintf(int,char*,const char*, ...);
int sqlite3_config(int, ...);
int sqlite3_db_config(sqlite3*, int op, ...);

int sqlite3_prepare_v2(
  sqlite3 *db,            /* Database handle */
  const char *zSql,       /* SQL statement, UTF-8 encoded */
  int nByte,              /* Maximum length of zSql in bytes. */
  sqlite3_stmt **ppStmt,  /* OUT: Statement handle */
  const char **pzTail     /* OUT: Pointer to unused portion of zSql */
);
int sqlite3_step(sqlite3_stmt*);
int sqlite3_reset(sqlite3_stmt *pStmt);
int sqlite3_finalize(sqlite3_stmt *pStmt);

int sqlite3_bind_blob(sqlite3_stmt*, int, const void*, int n, void(*)(void*));
int sqlite3_bind_double(sqlite3_stmt*, int, double);
int sqlite3_bind_int(sqlite3_stmt*, int, int);
int sqlite3_bind_int64(sqlite3_stmt*, int, sqlite3_int64);
int sqlite3_bind_null(sqlite3_stmt*, int);
int sqlite3_bind_text(sqlite3_stmt*,int,const char*,int,void(*)(void*));
int sqlite3_bind_parameter_count(sqlite3_stmt*);

int sqlite3_column_count(sqlite3_stmt *pStmt);
const char *sqlite3_column_name(sqlite3_stmt*, int N);
const void *sqlite3_column_blob(sqlite3_stmt*, int iCol);
double sqlite3_column_double(sqlite3_stmt*, int iCol);
int sqlite3_column_int(sqlite3_stmt*, int iCol);
sqlite3_int64 sqlite3_column_int64(sqlite3_stmt*, int iCol);
const unsigned char *sqlite3_column_text(sqlite3_stmt*, int iCol);
sqlite3_value *sqlite3_column_value(sqlite3_stmt*, int iCol);
int sqlite3_column_bytes(sqlite3_stmt*, int iCol);
int sqlite3_column_type(sqlite3_stmt*, int iCol);

int sqlite3_create_function_v2(
  sqlite3 *db,
  const char *zFunctionName,
  int nArg,
  int eTextRep,
  void *pApp,
  void (*xFunc)(sqlite3_context*,int,sqlite3_value**),
  void (*xStep)(sqlite3_context*,int,sqlite3_value**),
  void (*xFinal)(sqlite3_context*),
  void(*xDestroy)(void*)
);

const void *sqlite3_value_blob(sqlite3_value*);
double sqlite3_value_double(sqlite3_value*);
int sqlite3_value_int(sqlite3_value*);
sqlite3_int64 sqlite3_value_int64(sqlite3_value*);
const unsigned char *sqlite3_value_text(sqlite3_value*);
int sqlite3_value_bytes(sqlite3_value*);
int sqlite3_value_type(sqlite3_value*);

void *sqlite3_aggregate_context(sqlite3_context*, int nBytes);
void *sqlite3_user_data(sqlite3_context*);
sqlite3 *sqlite3_context_db_handle(sqlite3_context*);

void sqlite3_result_blob(sqlite3_context*, const void*, int, void(*)(void*));
void sqlite3_result_double(sqlite3_context*, double);
void sqlite3_result_error(sqlite3_context*, const char*, int);
void sqlite3_result_error_nomem(sqlite3_context*);
void sqlite3_result_int(sqlite3_context*, int);
void sqlite3_result_int64(sqlite3_context*, sqlite3_int64);
void sqlite3_result_null(sqlite3_context*);
void sqlite3_result_text(sqlite3_context*, const char*, int, void(*)(void*));
void sqlite3_result_value(sqlite3_context*, sqlite3_value*);

int sqlite3_busy_handler(sqlite3*,int(*)(void*,int),void*);
void *sqlite3_update_hook(
  sqlite3*,
  void(*)(void *,int ,char const *,char const *,sqlite3_int64),
  void*
);
int sqlite3_create_collation_v2(
  sqlite3*,
  const char *zName,
  int eTextRep,
  void *pArg,
  int(*xCompare)(void*,int,const void*,int,const void*),
  void(*xDestroy)(void*)
);

typedef struct sqlite3_mem_methods sqlite3_mem_methods;
struct sqlite3_mem_methods {
  void *(*xMalloc)(int);         /* Memory allocation function */
  void (*xFree)(void*);          /* Free a prior allocation */
  void *(*xRealloc)(void*,int);  /* Resize an allocation */
  int (*xSize)(void*);           /* Return the size of an allocation */
  int (*xRoundup)(int);          /* Round up request size to allocation size */
  int (*xInit)(void*);           /* Initialize the memory allocator */
  void (*xShutdown)(void*);      /* Deinitialize the memory allocator */
  void *pAppData;                /* Argument to xInit() and xShutdown() */
};

typedef struct sqlite3_file sqlite3_file;
struct sqlite3_file {
  const struct sqlite3_io_methods *pMethods;  /* Methods for an open file */
};
typedef void (*sqlite3_syscall_ptr)(void);
typedef struct sqlite3_vfs sqlite3_vfs;
struct sqlite3_vfs {
  int iVersion;            /* Structure version number (currently 3) */
  int szOsFile;            /* Size of subclassed sqlite3_file */
  int mxPathname;          /* Maximum file pathname length */
  sqlite3_vfs *pNext;      /* Next registered VFS */
  const char *zName;       /* Name of this virtual file system */
  void *pAppData;          /* Pointer to application-specific data */
  int (*xOpen)(sqlite3_vfs*, const char *zName, sqlite3_file*,
               int flags, int *pOutFlags);
  int (*xDelete)(sqlite3_vfs*, const char *zName, int syncDir);
  int (*xAccess)(sqlite3_vfs*, const char *zName, int flags, int *pResOut);
  int (*xFullPathname)(sqlite3_vfs*, const char *zName, int nOut, char *zOut);
  void *(*xDlOpen)(sqlite3_vfs*, const char *zFilename);
  void (*xDlError)(sqlite3_vfs*, int nByte, char *zErrMsg);
  void (*(*xDlSym)(sqlite3_vfs*,void*, const char *zSymbol))(void);
  void (*xDlClose)(sqlite3_vfs*, void*);
  int (*xRandomness)(sqlite3_vfs*, int nByte, char *zOut);
  int (*xSleep)(sqlite3_vfs*, int microseconds);
  int (*xCurrentTime)(sqlite3_vfs*, double*);
  int (*xGetLastError)(sqlite3_vfs*, int, char *);
  int (*xCurrentTimeInt64)(sqlite3_vfs*, sqlite3_int64*);
  int (*xSetSystemCall)(sqlite3_vfs*, const char *zName, sqlite3_syscall_ptr);
  sqlite3_syscall_ptr (*xGetSystemCall)(sqlite3_vfs*, const char *zName);
  const char *(*xNextSystemCall)(sqlite3_vfs*, const char *zName);
};
`

func TestSQLiteDeclarations(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	if err := s.Parse(sqliteDecls); err != nil {
		t.Fatal(err)
	}
	// Headers repeat themselves: parsing everything again is accepted.
	if err := s.Parse(sqliteDecls); err != nil {
		t.Fatalf("identical redeclaration: %v", err)
	}
	if n := len(s.Funcs()); n < 60 {
		t.Errorf("%d functions declared, want at least 60", n)
	}
	sigs := map[string]string{
		"sqlite3_open":               "int (const char *, sqlite3 **)",
		"sqlite3_exec":               "int (sqlite3 *, const char *, int (*)(void *, int, char **, char **), void *, char **)",
		"sqlite3_prepare_v2":         "int (sqlite3 *, const char *, int, sqlite3_stmt **, const char **)",
		"sqlite3_step":               "int (sqlite3_stmt *)",
		"sqlite3_column_int64":       "sqlite3_int64 (sqlite3_stmt *, int)",
		"sqlite3_column_text":        "const unsigned char *(sqlite3_stmt *, int)",
		"sqlite3_create_function_v2": "int (sqlite3 *, const char *, int, int, void *, void (*)(sqlite3_context *, int, sqlite3_value **), void (*)(sqlite3_context *, int, sqlite3_value **), void (*)(sqlite3_context *), void (*)(void *))",
		"sqlite3_value_double":       "double (sqlite3_value *)",
		"sqlite3_result_text":        "void (sqlite3_context *, const char *, int, void (*)(void *))",
		"sqlite3_mprintf":            "char *(const char *, ...)",
		"sqlite3_update_hook":        "void *(sqlite3 *, void (*)(void *, int, const char *, const char *, sqlite3_int64), void *)",
		"sqlite3_libversion":         "const char *(void)",
	}
	wantFuncs(t, s, sigs)

	// sqlite3_exec's callback: a pointer to int(void*, int, char**, char**).
	exec, _ := s.Func("sqlite3_exec")
	cb := exec.Params[2]
	if cb.Name != "callback" || cb.Type.Kind != ctype.Pointer || cb.Type.Elem.Kind != ctype.Func {
		t.Fatalf("sqlite3_exec callback parameter: %+v", cb)
	}
	if cbt, _ := s.Lookup("sqlite3_callback"); !ctype.Identical(cb.Type, cbt) {
		t.Errorf("callback %s is not sqlite3_callback %s", cb.Type, cbt.Unnamed())
	}
	if r := cb.Type.Elem.Result; r.Kind != ctype.Int || r.IntName != "int" {
		t.Errorf("callback result %s", r)
	}

	// Opaque handles stay incomplete; sqlite3** is a pointer to a pointer.
	open, _ := s.Func("sqlite3_open")
	db := open.Params[1].Type.Elem.Elem
	if db.Kind != ctype.Struct || db.Complete || db.Tag != "sqlite3" || db.Name != "sqlite3" {
		t.Errorf("sqlite3: %+v", db)
	}
	if !open.Params[0].Type.Elem.Const {
		t.Error("filename is not const char *")
	}

	// Variadic functions.
	if f, _ := s.Func("sqlite3_config"); !f.Variadic || len(f.Params) != 1 {
		t.Errorf("sqlite3_config: %s", f)
	}
	// sqlite3_int64 is long long through two typedefs.
	if f, _ := s.Func("sqlite3_bind_int64"); f.Params[2].Type.IntName != "long long" || f.Params[2].Type.Name != "sqlite3_int64" {
		t.Errorf("sqlite3_int64 parameter: %+v", f.Params[2].Type)
	}
	cf, _ := s.Func("sqlite3_create_function_v2")
	if len(cf.Params) != 9 || cf.Params[7].Name != "xFinal" {
		t.Errorf("sqlite3_create_function_v2 params: %d", len(cf.Params))
	}

	// Enum constants with expressions.
	for name, want := range map[string]int64{"SQLITE_ROW": 100, "SQLITE_DETERMINISTIC": 0x800, "SQLITE_IOERR_SHORT_READ": 522} {
		if v, ok := s.Const(name); !ok || v != want {
			t.Errorf("%s = %d, want %d", name, v, want)
		}
	}

	// Structs of function pointers.
	mm, ok := s.Tag(ctype.Struct, "sqlite3_mem_methods")
	if !ok || mm.Size != 64 || len(mm.Fields) != 8 {
		t.Fatalf("sqlite3_mem_methods: %v", mm)
	}
	if f, _ := mm.FieldByName("pAppData"); f.Offset != 56 {
		t.Errorf("pAppData at %d", f.Offset)
	}
	vfs, _ := s.Tag(ctype.Struct, "sqlite3_vfs")
	sym, _ := vfs.FieldByName("xDlSym")
	if got := sym.Type.String(); got != "void (*(*)(sqlite3_vfs *, void *, const char *))(void)" {
		t.Errorf("xDlSym: %s", got)
	}
	gsc, _ := vfs.FieldByName("xGetSystemCall")
	if gsc.Offset != 152 || gsc.Type.Elem.Result.Name != "sqlite3_syscall_ptr" {
		t.Errorf("xGetSystemCall: %+v", gsc)
	}
	if vfs.Size != 168 {
		t.Errorf("sqlite3_vfs size %d", vfs.Size)
	}
}

// TestSQLiteLayoutMatchesCC compiles the same declarations with the C
// compiler and compares the layout of SQLite's structs.
func TestSQLiteLayoutMatchesCC(t *testing.T) {
	s := NewScope(ctype.Host())
	if err := s.Parse(sqliteDecls); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("#include <stdio.h>\n#include <stddef.h>\n#include <string.h>\n")
	b.WriteString(sqliteDecls)
	b.WriteString("static void bits(const char *w, const void *p, size_t n) { (void)w; (void)p; (void)n; }\nint main(void) {\n")
	var want []string
	for _, tag := range []string{"sqlite3_mem_methods", "sqlite3_file", "sqlite3_vfs"} {
		ty, _ := s.Tag(ctype.Struct, tag)
		want = append(want, layoutLines("struct "+tag, ty)...)
		cLines(&b, "struct "+tag, "struct "+tag, ty)
	}
	b.WriteString("\treturn 0;\n}\n")
	out, err := ctest.Output(ctest.Program(t, b.String(), "-w"))
	if err != nil {
		t.Fatal(err)
	}
	// Windows C runtimes print \r\n for \n.
	if got := strings.Split(strings.TrimSpace(strings.ReplaceAll(string(out), "\r\n", "\n")), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("cc:\n%s\nmodel:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestRedeclarationIgnoresParameterQualifiers: a parameter's own
// qualifiers are not part of a function's type, so a header may declare
// a function again without them (glibc's getline, redeclared without
// restrict by its inline definition under -O2); what a parameter points to
// keeps its qualifiers.
func TestRedeclarationIgnoresParameterQualifiers(t *testing.T) {
	s := NewScope(ctype.LinuxAMD64)
	src := `
		typedef long ssize_t; typedef struct FILE FILE; typedef unsigned long size_t;
		ssize_t getline(char **restrict p, size_t *restrict n, FILE *restrict f);
		ssize_t getline(char **p, size_t *n, FILE *f);
		int g(const int x);
		int g(int x);
		int h(volatile char *const p);
		int h(volatile char *p);`
	if err := s.Parse(src); err != nil {
		t.Fatal(err)
	}
	wantFuncs(t, s, map[string]string{
		"getline": "ssize_t (char **restrict, size_t *restrict, FILE *restrict)",
		"g":       "int (const int)",
		"h":       "int (volatile char *const)",
	})
}

// wantFuncs checks that s declares each function of want with the type
// spelled there.
func wantFuncs(t *testing.T, s *Scope, want map[string]string) {
	t.Helper()
	for name, w := range want {
		f, ok := s.Func(name)
		if !ok {
			t.Errorf("%s not declared", name)
			continue
		}
		if got := f.String(); got != w {
			t.Errorf("%s: %s, want %s", name, got, w)
		}
	}
}
