// Command ffigen generates Go bindings for a C library from its header,
// for use with github.com/seed5ca82032/ffi:
//
//	go run github.com/seed5ca82032/ffi/cmd/ffigen -header zlib.h -lib libz.so.1 \
//		-package zlib -include '^(deflate|inflate|zlibVersion|crc32|Z_|z_stream)' -o zlib.go
//
// It runs the system C compiler's preprocessor on the header (cc -E -dD;
// the only time a C toolchain is needed), parses it with the C types of
// that compiler's target (cc -dumpmachine: $CC=aarch64-linux-gnu-gcc
// generates bindings for linux/arm64), keeps the functions, types and
// constants whose C names match -include together with the types they
// need, and writes one gofmt'ed Go file with:
//
//   - Go constants for the enum constants and #define constants, and for
//     the enumerators of every enum type a kept function or struct uses;
//   - Go struct types mirroring the C structs (pointer members as uintptr;
//     structs Go cannot mirror member by member, such as those with
//     bitfields or unions, as opaque blobs of the same size and alignment;
//     incomplete structs as handle types used through pointers);
//   - a package-level func variable per C function, named as in C with the
//     first letter upper-cased (deflate → Deflate, z_stream → Z_stream,
//     Z_OK stays; a struct or union tag that a function's name would take
//     is prefixed with its kind: struct stat → Struct_stat beside stat →
//     Stat; a typedef whose Go name a function or the package itself has
//     gets a "_" (typedef struct foo_s Foo beside foo: Foo_); a function or
//     constant whose Go name is taken (by Load, Lib or Scope, which the
//     package declares itself, or by an earlier name) is listed as not
//     bound);
//   - func Load() error, which opens -lib, checks every struct type's size,
//     alignment and member offsets against the C layout, and binds the
//     func variables;
//   - func Scope() (*ffi.Scope, error), the scope Load declared the
//     bindings' C types in, with the typedefs -include names, for ffi
//     calls that name them (NewCallback of a function pointer typedef,
//     Sizeof, Offsetof).
//
// The output builds with CGO_ENABLED=0 and needs no C toolchain at run
// time; put the command in a //go:generate line to regenerate it.
// What -include names but the output cannot hold is listed, with the
// reason, in a comment of the output: functions that use types the binding
// cannot pass (va_list, long double, unions or opaque structs by value,
// ...), static and inline functions (they have no symbol), and #defines
// that are not constants (empty ones excepted).
//
// Flags:
//
//	-header     header, as in #include <header>, or a path to a file
//	-lib        shared library Load opens (libz.so.1)
//	-package    Go package name
//	-include    regular expression of the C names to keep
//	-o          output file (default standard output)
//	-cc         C compiler (default $CC, else cc)
//	-cflags     extra preprocessor flags (-I..., -D...)
//	-pkg-config pkg-config modules whose --cflags are added
package main

import (
	"os"

	"github.com/seed5ca82032/ffi/internal/ffigen"
)

func main() {
	os.Exit(ffigen.Main(os.Args[1:], os.Stdout, os.Stderr))
}
