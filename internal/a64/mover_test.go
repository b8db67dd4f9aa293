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
		{From: loc(stub.Stack, 0x08), To: loc(stub.Out, 0x10), Size: 8},
		{From: loc(stub.Stack, 0x10), To: loc(stub.GPR, 5), Size: 8},
		{From: loc(stub.Base, 0x48), To: loc(stub.FPR, 0), Size: 8},
		{From: loc(stub.Base, 0x50), To: loc(stub.FPR, 15), Size: 4},
		{From: loc(stub.Stack, 0x00), To: loc(stub.Out, 0), Size: 4, Signed: true},
		{From: loc(stub.Base, 0x18), To: loc(stub.Out, 0xf8), Size: 4},
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
		"str x22, [sp,#8]",
		"ldr w22, [x20,#24]",
		"str x22, [sp,#256]",
		"ldr x0, [x20]",
		"ldrsw x3, [x20,#8]",
		"ldr w15, [x20,#16]",
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
		{From: loc(stub.GPR, 1), To: loc(stub.Base, 0xa8), Size: 8},
		{From: loc(stub.FPR, 3), To: loc(stub.Base, 0xd0), Size: 8},
	}}
	code, err = AppendMover(nil, &out)
	if err != nil {
		t.Fatal(err)
	}
	lines, _ = disasm(t, code, 0x10000, nil)
	want = []string{
		"str x0, [x20,#160]",
		"str x1, [x20,#168]",
		"str d3, [x20,#208]",
		"ret",
	}
	if got := strings.Join(lines, "\n"); got != strings.Join(want, "\n") {
		t.Errorf("result mover:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestMoverErrors checks that a bad table, and a move the encoder cannot
// express (an 8-byte load at an offset that is not a multiple of 8), are
// errors naming the problem, with nothing appended.
func TestMoverErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		m    stub.Mover
		want string
	}{
		{"register past Go's", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.GPR, 16), Size: 8}}}, "move 0 (base+0 to gpr 16)"},
		{"outgoing word past the frame", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 0), To: loc(stub.Out, 8*MoverOutWords), Size: 8}}}, "outgoing word at byte 256"},
		{"misaligned whole word", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.Base, 4), To: loc(stub.GPR, 0), Size: 8}}}, "offset 4 is not a multiple of 8"},
		{"narrow result", stub.Mover{Moves: []stub.GoMove{{From: loc(stub.FPR, 0), To: loc(stub.Base, 0), Size: 4}}}, "whole word"},
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
