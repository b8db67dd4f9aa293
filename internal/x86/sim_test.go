package x86

import (
	"fmt"
	"testing"

	"golang.org/x/arch/x86/x86asm"
)

// This file is a tiny symbolic executor for the instructions the entries
// use. It runs decoded entry code from the moment a slot stub jumps in to
// the final ret, with every register and caller stack word holding a named
// symbolic value, so tests can check what the code does (what lands in each
// frame field, what crosscall2 receives, stack alignment, which registers
// survive) rather than only how it is spelled.

// sval is a symbolic 64-bit value: a named unknown, a constant, or an
// address on the stack relative to rsp at entry.
type sval struct {
	kind byte // 's' symbol, 'c' constant, 'p' stack address
	sym  string
	n    int64
}

func sym(s string) sval    { return sval{kind: 's', sym: s} }
func konst(n int64) sval   { return sval{kind: 'c', n: n} }
func stackAt(n int64) sval { return sval{kind: 'p', n: n} }
func (v sval) String() string {
	switch v.kind {
	case 's':
		return v.sym
	case 'c':
		return fmt.Sprintf("const %d", v.n)
	case 'p':
		return fmt.Sprintf("entry_rsp%+d", v.n)
	}
	return "undefined"
}

// machine is the symbolic state.
type machine struct {
	t     *testing.T
	reg   map[x86asm.Reg]sval // RAX..R15 and X0..X15
	mem   map[int64]sval      // stack qwords by offset from entry rsp
	words map[uint64]sval     // 8-byte data words outside the stack, by address
	cells map[sval]sval       // words at symbolic (non-stack) addresses
	// callee runs in place of the function a `call [rip+x]` reaches; it
	// gets the word the call read.
	callee func(m *machine, target sval)
}

func newMachine(t *testing.T) *machine {
	m := &machine{t: t, reg: map[x86asm.Reg]sval{}, mem: map[int64]sval{}, words: map[uint64]sval{}, cells: map[sval]sval{}}
	for r := x86asm.RAX; r <= x86asm.R15; r++ {
		m.reg[r] = sym(r.String() + "@entry")
	}
	for x := x86asm.X0; x <= x86asm.X15; x++ {
		m.reg[x] = sym(x.String() + "@entry")
	}
	m.reg[x86asm.RSP] = stackAt(0)
	m.mem[0] = sym("return address")
	return m
}

// full maps a 32-bit register name to its 64-bit register.
func full(r x86asm.Reg) x86asm.Reg {
	if r >= x86asm.EAX && r <= x86asm.R15L {
		return r - x86asm.EAX + x86asm.RAX
	}
	return r
}

func (m *machine) addr(mem x86asm.Mem, next uint64) (stack bool, off int64, abs uint64) {
	if mem.Index != 0 || mem.Segment != 0 {
		m.t.Fatalf("unsupported memory operand %v", mem)
	}
	disp := int64(int32(mem.Disp))
	if mem.Base == x86asm.RIP {
		return false, 0, uint64(int64(next) + disp)
	}
	base := m.reg[mem.Base]
	if base.kind != 'p' {
		m.t.Fatalf("memory operand %v based on a non-stack value %v", mem, base)
	}
	return true, base.n + disp, 0
}

func (m *machine) load(mem x86asm.Mem, next uint64) sval {
	stack, off, abs := m.addr(mem, next)
	if stack {
		v, ok := m.mem[off]
		if !ok {
			m.t.Fatalf("read of uninitialized stack word entry_rsp%+d", off)
		}
		return v
	}
	v, ok := m.words[abs]
	if !ok {
		m.t.Fatalf("read of unknown data word %#x", abs)
	}
	return v
}

func (m *machine) store(mem x86asm.Mem, next uint64, v sval) {
	stack, off, abs := m.addr(mem, next)
	if !stack {
		m.t.Fatalf("store to non-stack address %#x", abs)
	}
	m.mem[off] = v
}

func (m *machine) push(v sval) {
	sp := m.reg[x86asm.RSP]
	sp.n -= 8
	m.reg[x86asm.RSP] = sp
	m.mem[sp.n] = v
}

func (m *machine) pop() sval {
	sp := m.reg[x86asm.RSP]
	v, ok := m.mem[sp.n]
	if !ok {
		m.t.Fatalf("pop of uninitialized stack word entry_rsp%+d", sp.n)
	}
	sp.n += 8
	m.reg[x86asm.RSP] = sp
	return v
}

// run executes code placed at addr until its ret and returns the popped
// return address. Every instruction must be of a supported form.
func (m *machine) run(code []byte, addr uintptr) sval {
	m.t.Helper()
	for p := 0; p < len(code); {
		in, err := x86asm.Decode(code[p:], 64)
		if err != nil {
			m.t.Fatalf("decode at %d: %v", p, err)
		}
		p += in.Len
		next := uint64(addr) + uint64(p)
		a := in.Args
		switch {
		case in.Op == x86asm.PUSH:
			m.push(m.reg[a[0].(x86asm.Reg)])
		case in.Op == x86asm.MOV || in.Op == x86asm.MOVSD_XMM:
			switch dst := a[0].(type) {
			case x86asm.Reg:
				switch src := a[1].(type) {
				case x86asm.Reg:
					m.reg[dst] = m.reg[src]
				case x86asm.Imm:
					m.reg[full(dst)] = konst(int64(src))
				case x86asm.Mem:
					if at := m.reg[src.Base]; src.Base != 0 && src.Base != x86asm.RIP && at.kind != 'p' {
						// A word at a symbolic address, such as a slot's
						// state word.
						if src.Index != 0 || src.Disp != 0 {
							m.t.Fatalf("unsupported %v", in)
						}
						v, ok := m.cells[at]
						if !ok {
							m.t.Fatalf("read of unknown word at %v", at)
						}
						m.reg[dst] = v
						break
					}
					m.reg[dst] = m.load(src, next)
				default:
					m.t.Fatalf("unsupported %v", in)
				}
			case x86asm.Mem:
				m.store(dst, next, m.reg[a[1].(x86asm.Reg)])
			}
		case in.Op == x86asm.LEA && a[1].(x86asm.Mem).Index != 0:
			// An address outside the stack: a symbol naming its parts.
			mem := a[1].(x86asm.Mem)
			if mem.Disp != 0 || mem.Base == x86asm.RIP {
				m.t.Fatalf("unsupported %v", in)
			}
			m.reg[a[0].(x86asm.Reg)] = sym(fmt.Sprintf("%v+%v*%d", m.reg[mem.Base], m.reg[mem.Index], mem.Scale))
		case in.Op == x86asm.LEA:
			stack, off, _ := m.addr(a[1].(x86asm.Mem), next)
			if !stack {
				m.t.Fatalf("unsupported %v", in)
			}
			m.reg[a[0].(x86asm.Reg)] = stackAt(off)
		case in.Op == x86asm.SUB:
			r := a[0].(x86asm.Reg)
			v := m.reg[r]
			if v.kind != 'p' {
				m.t.Fatalf("sub on non-stack value %v", v)
			}
			v.n -= int64(a[1].(x86asm.Imm))
			m.reg[r] = v
		case in.Op == x86asm.XOR && a[0] == a[1]:
			m.reg[full(a[0].(x86asm.Reg))] = konst(0)
		case in.Op == x86asm.CALL:
			target := m.load(a[0].(x86asm.Mem), next)
			m.push(sym("address after call"))
			m.callee(m, target)
			if got := m.pop(); got != sym("address after call") {
				m.t.Fatalf("callee returned to %v", got)
			}
		case in.Op == x86asm.LEAVE:
			m.reg[x86asm.RSP] = m.reg[x86asm.RBP]
			m.reg[x86asm.RBP] = m.pop()
		case in.Op == x86asm.RET && a[0] == nil:
			if p != len(code) {
				m.t.Fatalf("ret at offset %d is not the last instruction (%d bytes)", p-in.Len, len(code))
			}
			return m.pop()
		default:
			m.t.Fatalf("simulator does not support %v", in)
		}
	}
	m.t.Fatalf("code ended without ret")
	return sval{}
}

// clobber gives each register a fresh unknown value, as a called function
// may do with caller-saved registers.
func (m *machine) clobber(regs ...x86asm.Reg) {
	for _, r := range regs {
		m.reg[r] = sym("clobbered " + r.String())
	}
}
