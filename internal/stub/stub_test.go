package stub

import (
	"strings"
	"testing"
)

// TestCheck checks that a table no stub can run is an error naming the
// move.
func TestCheck(t *testing.T) {
	for _, c := range []struct {
		name string
		s    Call
		want string
	}{
		{"seventh integer register", Call{Args: []Move{{To: Loc{GPR, 6}}}}, "argument move 0: from base+0 to gpr 6"},
		{"ninth vector register", Call{Args: []Move{{To: Loc{FPR, 8}}}}, "to fpr 8"},
		{"stack word past NStack", Call{NStack: 1, Args: []Move{{To: Loc{Stack, 8}}}}, "to stack+8"},
		{"unaligned stack word", Call{NStack: 2, Args: []Move{{To: Loc{Stack, 4}}}}, "to stack+4"},
		{"argument from a register", Call{Args: []Move{{From: Loc{GPR, 0}, To: Loc{GPR, 0}}}}, "from gpr 0"},
		{"third result register", Call{Results: []Move{{From: Loc{GPR, 2}}}}, "result move 0: from gpr 2"},
		{"result to a register", Call{Results: []Move{{From: Loc{GPR, 0}, To: Loc{GPR, 1}}}}, "to gpr 1"},
		{"shift out of range", Call{Args: []Move{{To: Loc{GPR, 0}, Ext: 64}}}, "shift out of range"},
		{"negative stack words", Call{NStack: -1}, "-1 stack words"},
		{"memory result's address to a result register", Call{SRetSize: 8, SRetDst: Loc{FPR, 9}}, "memory result's address goes to fpr 9"},
		{"memory result too big", Call{SRetSize: 1 << 20}, "memory result of 1048576 bytes"},
		{"guarded move to a vector register", Call{Args: []Move{{To: Loc{FPR, 0}, Guarded: true}}}, "a guarded move must be a whole word to a gpr or stack word, not to fpr 0"},
		{"guarded move of 32 bits", Call{Args: []Move{{To: Loc{GPR, 0}, Ext: 32, Guarded: true}}}, "a guarded move must be a whole word"},
		{"guarded result", Call{Results: []Move{{From: Loc{GPR, 0}, Guarded: true}}}, "result move 0 is guarded"},
		{"more vector registers than the ABI's", Call{Variadic: true, VecRegs: 9}, "variadic call with 9 vector registers"},
		{"leaf record in a call that may call back", Call{Enter: 0x1000, Name: 0x2000, TopOfStack: 0x3000}, "leaf record (enter 0x1000, name 0x2000)"},
		{"leaf record without a name", Call{Enter: 0x1000}, "without a name"},
		{"read past the memory result", Call{SRetSize: 12, SRetDst: Loc{GPR, 0}, Results: []Move{{From: Loc{SRet, 12}}}}, "result move 0: from sret+12"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.s.Check(Regs{ArgGPR: 6, ArgFPR: 8, ResGPR: 2, ResFPR: 2})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestCheckAccepts(t *testing.T) {
	c := Call{NStack: 2, SRetSize: 12, SRetDst: Loc{GPR, 0}, Enter: 0x1000, Name: 0x2000,
		Args:    []Move{{From: Loc{Base, 8}, To: Loc{GPR, 5}}, {From: Loc{Base, 16}, To: Loc{Stack, 8}}, {From: Loc{Base, 24}, To: Loc{FPR, 7}, Ext: 32}},
		Results: []Move{{From: Loc{SRet, 8}, To: Loc{Base, 0}, Ext: 32}, {From: Loc{FPR, 1}, To: Loc{Base, 8}}},
	}
	if err := c.Check(Regs{ArgGPR: 6, ArgFPR: 8, ResGPR: 2, ResFPR: 2}); err != nil {
		t.Fatal(err)
	}
}

func TestLocString(t *testing.T) {
	for l, want := range map[Loc]string{{Base, 16}: "base+16", {Base, -8}: "base-8", {GPR, 2}: "gpr 2", {FPR, 0}: "fpr 0", {Stack, 8}: "stack+8", {SRet, 4}: "sret+4", {9, 1}: "loc(9, 1)"} {
		if got := l.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", l, got, want)
		}
	}
}

func TestResultSlot(t *testing.T) {
	for l, want := range map[Loc]int{{GPR, 0}: 0, {GPR, 1}: 1, {FPR, 0}: 2, {FPR, 3}: 5, {SRet, 8}: -1, {Base, 0}: -1} {
		if got := l.ResultSlot(); got != want {
			t.Errorf("%v.ResultSlot() = %d, want %d", l, got, want)
		}
	}
}
