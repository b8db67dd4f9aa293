package ffi_test

import (
	"fmt"

	"github.com/seed5ca82032/ffi"
)

func ExampleCdef() {
	err := ffi.Cdef(`
		typedef struct sqlite3 sqlite3;
		int sqlite3_open(const char *filename, sqlite3 **ppDb);
		struct ex_point { int x, y; };
	`)
	fmt.Println(err)

	// Mistakes are reported with line and column.
	err = ffi.Cdef("struct ex_bad {\n  int x\n};")
	fmt.Println(err)
	// Output:
	// <nil>
	// cdef:3:1: expected ';' after struct member "x", found "}"
}

func ExampleSizeof() {
	if err := ffi.Cdef(`struct ex_pair { char tag; double value; };`); err != nil {
		panic(err)
	}
	n, _ := ffi.Sizeof("struct ex_pair")
	a, _ := ffi.Alignof("struct ex_pair")
	p, _ := ffi.Sizeof("int (*)(const void *, const void *)")
	fmt.Println(n, a, p)
	// Output: 16 8 8
}

func ExampleOffsetof() {
	if err := ffi.Cdef(`
		struct ex_header { unsigned char kind; unsigned int length; };
		struct ex_packet {
			struct ex_header hdr;
			union { int code; char text[6]; };
			unsigned short crc;
		};`); err != nil {
		panic(err)
	}
	for _, field := range []string{"hdr.length", "code", "text", "crc"} {
		off, _ := ffi.Offsetof("struct ex_packet", field)
		fmt.Println(field, off)
	}
	// Output:
	// hdr.length 4
	// code 8
	// text 8
	// crc 16
}

func ExampleNewScope() {
	s := ffi.NewScope() // separate from the default scope
	if err := s.Cdef("typedef unsigned long long ex_u64; typedef ex_u64 ex_table[4];"); err != nil {
		panic(err)
	}
	n, _ := s.Sizeof("ex_table")
	_, err := ffi.Sizeof("ex_table") // not declared in the default scope
	fmt.Println(n, err)
	// Output: 32 cdef:1:1: unknown type name "ex_table"
}
