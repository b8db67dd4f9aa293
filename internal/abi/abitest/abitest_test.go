package abitest

import (
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

func TestCheckCatchesBrokenPlans(t *testing.T) {
	m := ctype.LinuxAMD64
	i32, f64 := m.Int("int"), m.Double()
	pair, err := m.Struct("pair", []ctype.Member{{Name: "a", Type: f64}, {Name: "b", Type: f64}}, false, 0)
	if err != nil {
		t.Fatal(err)
	}
	rules := Rules{GPR: 6, FPR: 8, SRetGPR: -1, SlotAlign: 8}
	good := func() *abi.Plan {
		return &abi.Plan{
			Args: []abi.Value{
				{Type: i32, Parts: []abi.Part{{Loc: abi.GPR, Index: 0, Size: 4}}},
				{Type: pair, Parts: []abi.Part{{Loc: abi.FPR, Index: 0, Size: 8}, {Loc: abi.FPR, Index: 1, Offset: 8, Size: 8}}},
				{Type: pair, Parts: []abi.Part{{Loc: abi.Stack, Index: 0, Size: 16}}},
				{Type: i32, Parts: []abi.Part{{Loc: abi.Stack, Index: 16, Size: 4}}},
			},
			Result:    abi.Value{Type: m.Void()},
			NumGPR:    1,
			NumFPR:    2,
			StackSize: 24,
		}
	}
	if err := Check(good(), rules); err != nil {
		t.Fatalf("Check rejected a good plan: %v", err)
	}
	if got, want := PlanString(good()), "r=[] a=[g0:0/4][f0:0/8 f1:8/8][s0:0/16][s16:0/4] gpr=1 fpr=2 stack=24"; got != want {
		t.Errorf("PlanString = %s, want %s", got, want)
	}
	breakers := map[string]func(p *abi.Plan){
		"register reused":   func(p *abi.Plan) { p.Args[1].Parts[1].Index = 0 },
		"byte uncovered":    func(p *abi.Plan) { p.Args[1].Parts = p.Args[1].Parts[:1]; p.NumFPR = 1 },
		"byte twice":        func(p *abi.Plan) { p.Args[1].Parts[1].Offset = 4 },
		"stack overlap":     func(p *abi.Plan) { p.Args[3].Parts[0].Index = 8 },
		"stack misaligned":  func(p *abi.Plan) { p.Args[3].Parts[0].Index = 20; p.StackSize = 32 },
		"StackSize short":   func(p *abi.Plan) { p.StackSize = 16 },
		"NumFPR wrong":      func(p *abi.Plan) { p.NumFPR = 3 },
		"register too high": func(p *abi.Plan) { p.Args[0].Parts[0].Index = 6; p.NumGPR = 7 },
		"part outside":      func(p *abi.Plan) { p.Args[0].Parts[0].Size = 8 },
	}
	for name, brk := range breakers {
		p := good()
		brk(p)
		if err := Check(p, rules); err == nil {
			t.Errorf("%s: Check accepted %s", name, PlanString(p))
		}
	}
}
