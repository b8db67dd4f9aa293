package abi

// StackAlign returns the alignment in bytes that the start of the stack
// argument area of p needs: 16 (the call-site alignment of System V,
// AAPCS64 and Windows x64), or more when an over-aligned aggregate is
// passed on the stack (System V keeps a 32-aligned struct 32-aligned).
func StackAlign(p *Plan) int {
	a := 16
	for _, v := range p.Args {
		if v.ByRef {
			continue
		}
		for _, pt := range v.Parts {
			if pt.Loc == Stack && v.Type.Align > a {
				a = v.Type.Align
			}
		}
	}
	return a
}
