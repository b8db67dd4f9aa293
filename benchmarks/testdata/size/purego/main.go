// Command purego is the same program as ../ffi written with purego, the
// baseline of TestMinimalProgramSize.
package main

import (
	"fmt"

	"github.com/ebitengine/purego"
)

func main() {
	libc, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW)
	if err != nil {
		panic(err)
	}
	var abs func(int32) int32
	purego.RegisterLibFunc(&abs, libc, "abs")
	cb := purego.NewCallback(func(x int32) int32 { return x + 1 })
	fmt.Println(abs(-3), cb != 0)
}
