package a64

import (
	"encoding/binary"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/arch/arm64/arm64asm"
)

// sim runs decoded A64 code of the few forms the encoders emit, on 64-bit
// registers and a word-addressed memory, so that tests check what the
// entry does rather than only how it is spelled.
type sim struct {
	t       *testing.T
	x       [32]uint64 // x0..x30; index 31 is sp
	d       [32]uint64 // low 64 bits of v0..v31
	mem     map[uint64]uint64
	written map[string]bool // registers written
	call    func(s *sim, target uint64)
}

func newSim(t *testing.T) *sim {
	return &sim{t: t, mem: map[uint64]uint64{}, written: map[string]bool{}}
}

func (s *sim) load(addr uint64) uint64 {
	if addr%8 != 0 {
		s.t.Fatalf("unaligned load at %#x", addr)
	}
	v, ok := s.mem[addr]
	if !ok {
		s.t.Fatalf("load from unwritten memory at %#x", addr)
	}
	return v
}

func (s *sim) store(addr, v uint64) {
	if addr%8 != 0 {
		s.t.Fatalf("unaligned store at %#x", addr)
	}
	s.mem[addr] = v
}

// reg returns a pointer to the storage of a decoded register operand and
// whether it is a 32-bit (w) view.
func (s *sim) reg(a arm64asm.Arg) (p *uint64, name string, w bool) {
	var zero uint64
	switch r := a.(type) {
	case arm64asm.RegSP:
		if arm64asm.Reg(r) == arm64asm.SP {
			return &s.x[31], "sp", false
		}
		return s.reg(arm64asm.Reg(r))
	case arm64asm.Reg:
		switch {
		case r >= arm64asm.X0 && r <= arm64asm.X30:
			return &s.x[r-arm64asm.X0], fmt.Sprintf("x%d", r-arm64asm.X0), false
		case r >= arm64asm.W0 && r <= arm64asm.W30:
			return &s.x[r-arm64asm.W0], fmt.Sprintf("x%d", r-arm64asm.W0), true
		case r >= arm64asm.D0 && r <= arm64asm.D31:
			return &s.d[r-arm64asm.D0], fmt.Sprintf("d%d", r-arm64asm.D0), false
		case r == arm64asm.XZR || r == arm64asm.WZR:
			return &zero, "zr", r == arm64asm.WZR
		}
	}
	s.t.Fatalf("operand %v is not a register the simulator knows", a)
	return nil, "", false
}

func (s *sim) set(a arm64asm.Arg, v uint64) {
	p, name, w := s.reg(a)
	if w {
		v = uint64(uint32(v))
	}
	*p = v
	s.written[name] = true
}

func (s *sim) get(a arm64asm.Arg) uint64 {
	p, _, w := s.reg(a)
	if w {
		return uint64(uint32(*p))
	}
	return *p
}

var immRE = regexp.MustCompile(`#(-?(0x)?[0-9a-f]+)(, LSL #(\d+))?`)

// imm returns the value of an immediate operand, shift applied.
func (s *sim) imm(a arm64asm.Arg) int64 {
	m := immRE.FindStringSubmatch(a.String())
	if m == nil {
		s.t.Fatalf("operand %v has no immediate", a)
	}
	v, err := strconv.ParseInt(m[1], 0, 64)
	if err != nil {
		s.t.Fatal(err)
	}
	if m[4] != "" {
		sh, _ := strconv.Atoi(m[4])
		v <<= sh
	}
	return v
}

// addr computes the address of a memory operand and applies its writeback.
func (s *sim) addr(a arm64asm.Arg) uint64 {
	m, ok := a.(arm64asm.MemImmediate)
	if !ok {
		s.t.Fatalf("operand %v is not base+immediate", a)
	}
	base := s.get(m.Base)
	var off uint64
	if strings.Contains(m.String(), "#") {
		off = uint64(s.imm(m))
	}
	switch m.Mode {
	case arm64asm.AddrOffset:
		return base + off
	case arm64asm.AddrPreIndex:
		s.set(m.Base, base+off)
		return base + off
	case arm64asm.AddrPostIndex:
		s.set(m.Base, base+off)
		return base
	}
	s.t.Fatalf("addressing mode of %v not simulated", a)
	return 0
}

// run executes code placed at org from address start until a `ret` and
// returns the address it returns to.
func (s *sim) run(code []byte, org, start uint64) uint64 {
	pc := start
	for steps := 0; steps < 1000; steps++ {
		off := pc - org
		if off >= uint64(len(code)) {
			s.t.Fatalf("pc %#x left the code", pc)
		}
		in, err := arm64asm.Decode(code[off:])
		if err != nil {
			s.t.Fatalf("at %#x: %v", pc, err)
		}
		next := pc + 4
		a := in.Args
		switch in.Op {
		case arm64asm.STP:
			p := s.addr(a[2])
			s.store(p, s.get(a[0]))
			s.store(p+8, s.get(a[1]))
		case arm64asm.LDP:
			p := s.addr(a[2])
			v0, v1 := s.load(p), s.load(p+8)
			s.set(a[0], v0)
			s.set(a[1], v1)
		case arm64asm.STR:
			s.store(s.addr(a[1]), s.get(a[0]))
		case arm64asm.LDR:
			if rel, ok := a[1].(arm64asm.PCRel); ok {
				s.set(a[0], s.load(pc+uint64(rel)))
			} else {
				s.set(a[0], s.load(s.addr(a[1])))
			}
		case arm64asm.ADD:
			if sh, ok := a[2].(arm64asm.RegExtshiftAmount); ok {
				if !strings.HasSuffix(sh.String(), ", LSL #3") {
					s.t.Fatalf("at %#x: %v is not simulated", pc, in)
				}
				s.set(a[0], s.get(a[1])+s.get(regOf(s, sh))<<3)
			} else {
				s.set(a[0], s.get(a[1])+uint64(s.imm(a[2])))
			}
		case arm64asm.MOV:
			if _, isImm := a[1].(arm64asm.Imm); isImm {
				s.set(a[0], uint64(s.imm(a[1])))
			} else {
				s.set(a[0], s.get(a[1]))
			}
		case arm64asm.MOVK:
			v := uint64(s.imm(a[1]))
			sh := uint(0)
			for v > 0xffff {
				v >>= 16
				sh += 16
			}
			s.set(a[0], s.get(a[0])&^(0xffff<<sh)|v<<sh)
		case arm64asm.B:
			next = pc + uint64(a[0].(arm64asm.PCRel))
		case arm64asm.BLR:
			target := s.get(a[0])
			s.x[30] = next
			s.call(s, target)
		case arm64asm.RET:
			return s.x[30]
		default:
			s.t.Fatalf("at %#x: %v is not simulated", pc, in)
		}
		pc = next
	}
	s.t.Fatal("no ret after 1000 instructions")
	return 0
}

// regOf returns the register of a shifted-register operand.
func regOf(s *sim, a arm64asm.RegExtshiftAmount) arm64asm.Reg {
	name := strings.SplitN(a.String(), ",", 2)[0]
	for r := arm64asm.X0; r <= arm64asm.X30; r++ {
		if r.String() == name {
			return r
		}
	}
	s.t.Fatalf("operand %v has no register the simulator knows", a)
	return 0
}

func le64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }
