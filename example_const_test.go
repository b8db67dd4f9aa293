package ffi_test

import (
	"fmt"

	"github.com/seed5ca82032/ffi"
)

func ExampleConst() {
	sc := ffi.NewScope()
	err := sc.Cdef(`
enum level { LOW = 1, HIGH = 10 };
#define VERSION "1.2." "13"
#define MAX_LEVEL (HIGH * 2)
#define ALL_BITS ((unsigned long long) -1)
#define RATIO 1.5e-3
#define ADD(a, b) ((a) + (b))
`)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, name := range []string{"HIGH", "VERSION", "MAX_LEVEL", "ALL_BITS", "RATIO", "ADD"} {
		v, err := sc.Const(name)
		fmt.Printf("%s: %#v %v\n", name, v, err)
	}
	// Output:
	// HIGH: 10 <nil>
	// VERSION: "1.2.13" <nil>
	// MAX_LEVEL: 20 <nil>
	// ALL_BITS: 0xffffffffffffffff <nil>
	// RATIO: 0.0015 <nil>
	// ADD: <nil> ffi: const ADD: ADD is a function-like macro, not a constant (#define ADD at 7:1)
}
