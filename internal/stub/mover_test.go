package stub

import (
	"fmt"
	"strings"
	"testing"
)

// asmLog records the calls Mover.Emit makes, one line each.
type asmLog struct{ lines []string }

func (l *asmLog) add(format string, args ...any) {
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func reg(r int32) string {
	if r == Scratch {
		return "scratch"
	}
	return fmt.Sprint(r)
}

func (l *asmLog) LoadStackArgs(off int32) { l.add("stackargs %d", off) }
func (l *asmLog) LoadInt(r int32, src Loc, n uint8, signed bool) {
	l.add("loadint %s %v %d %v", reg(r), src, n, signed)
}
func (l *asmLog) LoadFloat(r int32, src Loc, n uint8) { l.add("loadfloat %d %v %d", r, src, n) }
func (l *asmLog) StoreOut(off int32, n uint8)         { l.add("storeout %d %d", off, n) }
func (l *asmLog) StoreInt(off, r int32, n uint8)      { l.add("storeint %d %s %d", off, reg(r), n) }
func (l *asmLog) StoreFloat(off, r int32, n uint8)    { l.add("storefloat %d %d %d", off, r, n) }

// TestMoverEmit: the stack argument pointer first (once, only when a move
// reads the C stack), then every Out word through the scratch register,
// then the registers in table order; an extended result goes through the
// scratch register after the register is stored whole.
func TestMoverEmit(t *testing.T) {
	for _, c := range []struct {
		name string
		m    Mover
		want []string
	}{
		{"registers only", Mover{StackArgs: 64, Moves: []GoMove{
			{From: Loc{Base, 8}, To: Loc{GPR, 1}, Size: 4, Signed: true},
			{From: Loc{Base, 16}, To: Loc{FPR, 0}, Size: 8},
		}}, []string{
			"loadint 1 base+8 4 true",
			"loadfloat 0 base+16 8",
		}},
		{"stack and out words", Mover{StackArgs: 64, Moves: []GoMove{
			{From: Loc{Base, 0}, To: Loc{GPR, 0}, Size: 8},
			{From: Loc{Stack, 8}, To: Loc{Out, 0}, Size: 2, Store: 2},
			{From: Loc{Stack, 0}, To: Loc{FPR, 3}, Size: 4},
			{From: Loc{Base, 24}, To: Loc{Out, 8}, Size: 1, Signed: true, Store: 8},
		}}, []string{
			"stackargs 64",
			"loadint scratch stack+8 2 false",
			"storeout 0 2",
			"loadint scratch base+24 1 true",
			"storeout 8 8",
			"loadint 0 base+0 8 false",
			"loadfloat 3 stack+0 4",
		}},
		{"results", Mover{Moves: []GoMove{
			{From: Loc{GPR, 0}, To: Loc{Base, 0}, Size: 2, Signed: true, Extend: true},
			{From: Loc{GPR, 1}, To: Loc{Base, 8}, Size: 4},
			{From: Loc{FPR, 0}, To: Loc{Base, 16}, Size: 4},
		}}, []string{
			"storeint 0 0 8",
			"loadint scratch base+0 2 true",
			"storeint 0 scratch 8",
			"storeint 8 1 4",
			"storefloat 16 0 4",
		}},
	} {
		if err := c.m.Check(Regs{ArgGPR: 9, ArgFPR: 15}, 32); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var log asmLog
		c.m.Emit(&log)
		if got, want := strings.Join(log.lines, "\n"), strings.Join(c.want, "\n"); got != want {
			t.Errorf("%s: emitted\n%s\nwant\n%s", c.name, got, want)
		}
	}
}
