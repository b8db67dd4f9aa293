package a64

import (
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/stub"
)

// TestMoverDisassembly checks an argument mover with every kind of move
// and a result mover against their listings: the C stack pointer loaded
// once, outgoing words through x22 (above the saved link register at sp)
// before any register is loaded, whole words, 32-bit integers sign- and
// zero-extended, a float and a double, and result registers of both
// classes.
func TestMoverDisassembly(t *testing.T) {
	in := stub.Mover{StackArgs: 0x90, Moves: []stub.GoMove{
		{From: loc(stub.Base, 0x00), To: loc(stub.GPR, 0), Size: 8},
		{From: loc(stub.Base, 0x08), To: loc(stub.GPR, 3), Size: 4, Signed: true},
		{From: loc(stub.Base, 0x10), To: loc(stub.GPR, 15), Size: 4},
		{From: loc(stub.Base, 0x20), To: loc(stub.GPR, 1), Size: 1, Signed: true},
		{From: loc(stub.Base, 0x28), To: loc(stub.GPR, 2), Size: 2},
		{From: loc(stub.Stack, 0x08), To: loc(stub.Out, 0x10), Size: 8, Store: 8},
		{From: loc(stub.Stack, 0x10), To: loc(stub.GPR, 5), Size: 8},
		{From: loc(stub.Base, 0x48), To: loc(stub.FPR, 0), Size: 8},
		{From: loc(stub.Base, 0x50), To: loc(stub.FPR, 15), Size: 4},
		{From: loc(stub.Stack, 0x00), To: loc(stub.Out, 0), Size: 4, Signed: true, Store: 4},
		{From: loc(stub.Stack, 0x18), To: loc(stub.Out, 4), Size: 2, Signed: true, Store: 2},
		{From: loc(stub.Stack, 0x20), To: loc(stub.Out, 6), Size: 1, Store: 1},
		{From: loc(stub.Base, 0x18), To: loc(stub.Out, 0xf8), Size: 4, Store: 8},
	}}
	code, err := AppendMover(nil, &in)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := disasm(t, code, 0x10000, nil)
	want := []string{
		"ldr x21, [x20,#144]",
		"ldr x22, [x21,#8]",
		"str x22, [sp,#24]",
		"ldrsw x22, [x21]",
		"str w22, [sp,#8]",
		"ldrsh x22, [x21,#24]",
		"strh w22, [sp,#12]",
		"ldrb w22, [x21,#32]",
		"strb w22, [sp,#14]",
		"ldr w22, [x20,#24]",
		"str x22, [sp,#256]",
		"ldr x0, [x20]",
		"ldrsw x3, [x20,#8]",
		"ldr w15, [x20,#16]",
		"ldrsb x1, [x20,#32]",
		"ldrh w2, [x20,#40]",
		"ldr x5, [x21,#16]",
		"ldr d0, [x20,#72]",
		"ldr s15, [x20,#80]",
		"ret",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("argument mover:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}

	out := stub.Mover{Moves: []stub.GoMove{
		{From: loc(stub.GPR, 0), To: loc(stub.Base, 0xa0), Size: 8},
		{From: loc(stub.GPR, 1), To: loc(stub.Base, 0xa8), Size: 4},
		{From: loc(stub.GPR, 2), To: loc(stub.Base, 0xac), Size: 2},
		{From: loc(stub.GPR, 3), To: loc(stub.Base, 0xae), Size: 1},
		{From: loc(stub.GPR, 4), To: loc(stub.Base, 0x98), Size: 2, Extend: true, Signed: true},
		{From: loc(stub.FPR, 3), To: loc(stub.Base, 0xd0), Size: 8},
		{From: loc(stub.FPR, 1), To: loc(stub.Base, 0xcc), Size: 4},
	}}
	code, err = AppendMover(nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ = disasm(t, code, 0x10000, nil)
	want = []string{
		"str x0, [x20,#160]",
		"str w1, [x20,#168]",
		"strh w2, [x20,#172]",
		"strb w3, [x20,#174]",
		"str x4, [x20,#152]",
		"ldrsh x22, [x20,#152]",
		"str x22, [x20,#152]",
		"str d3, [x20,#208]",
		"str s1, [x20,#204]",
		"ret",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("result mover:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestMoverErrors checks that a bad table is an error naming the problem,
// with nothing appended.
func TestMoverErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		m    stub.Mover
		want string
	}{
		{"register past Go's", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.GPR, 16), Size: 8}}}, "move 0 (base+0 to gpr 16)"},
		{"outgoing word past the frame", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.Out, 8*MoverOutWords), Size: 8, Store: 8}}}, "outgoing store of 8 bytes at byte 256"},
		{"misaligned whole word", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 4), To: loc(stub.GPR, 0), Size: 8}}}, "source offset 4 for 8 bytes"},
		{"extended float result", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.FPR, 0), To: loc(stub.Base, 0), Size: 4, Extend: true}}}, "extends only"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, err := AppendMover([]byte{1, 2, 3, 4}, &c.m)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one containing %q", err, c.want)
			}
			if len(code) != 4 {
				t.Errorf("%d bytes appended on error", len(code)-4)
			}
		})
	}
}
