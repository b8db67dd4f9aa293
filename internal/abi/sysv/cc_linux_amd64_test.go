package sysv

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/seed5ca82032/ffi/internal/abi"
	"github.com/seed5ca82032/ffi/internal/abi/abitest"
	"github.com/seed5ca82032/ffi/internal/ctest"
	"github.com/seed5ca82032/ffi/internal/ctype"
)

// This file checks Classify against the C compiler on the machine: a C
// program calls an assembly routine through function pointers of each
// signature with arguments of known bytes; the routine records rdi..r9,
// xmm0..7, al and the stack arguments, and the test checks that every Part
// of the plan finds its bytes there. Results work the other way round: a C
// function returns known bytes and an assembly caller records rax, rdx,
// xmm0, xmm1 and the memory behind the hidden pointer.

var (
	ccSeed = flag.Uint64("sysv.seed", 1, "seed of the random signatures checked against the C compiler")
	ccN    = flag.Int("sysv.n", 800, "number of random signatures checked against the C compiler")
	ccKeep = flag.String("sysv.keep", "", "directory to keep the generated C programs of failing batches in")
)

// ccStack is how many bytes of stack arguments the capture routine keeps.
const ccStack = 2048

const ccPrelude = `#include <stdio.h>
#include <string.h>

__attribute__((visibility("hidden"))) unsigned char cap_gpr[48], cap_xmm[64], cap_al, cap_stack[` + "2048" + `];
__attribute__((visibility("hidden"))) unsigned char ret_regs[32];
void capture(void);
void call_capture(void *fn, void *buf);
__asm__(
	".text\n"
	".globl capture\n"
	"capture:\n"
	"	movq %rdi, cap_gpr(%rip)\n"
	"	movq %rsi, cap_gpr+8(%rip)\n"
	"	movq %rdx, cap_gpr+16(%rip)\n"
	"	movq %rcx, cap_gpr+24(%rip)\n"
	"	movq %r8, cap_gpr+32(%rip)\n"
	"	movq %r9, cap_gpr+40(%rip)\n"
	"	movq %xmm0, cap_xmm(%rip)\n"
	"	movq %xmm1, cap_xmm+8(%rip)\n"
	"	movq %xmm2, cap_xmm+16(%rip)\n"
	"	movq %xmm3, cap_xmm+24(%rip)\n"
	"	movq %xmm4, cap_xmm+32(%rip)\n"
	"	movq %xmm5, cap_xmm+40(%rip)\n"
	"	movq %xmm6, cap_xmm+48(%rip)\n"
	"	movq %xmm7, cap_xmm+56(%rip)\n"
	"	movb %al, cap_al(%rip)\n"
	"	leaq 8(%rsp), %rsi\n"
	"	leaq cap_stack(%rip), %rdi\n"
	"	movl $2048, %ecx\n"
	"	rep movsb\n"
	"	movq cap_gpr(%rip), %rax\n"
	"	ret\n"
	".globl call_capture\n"
	"call_capture:\n"
	"	pushq %rbx\n"
	"	movq %rsi, %rbx\n"
	"	movq %rdi, %rax\n"
	"	movq %rsi, %rdi\n"
	"	call *%rax\n"
	"	movq %rax, ret_regs(%rip)\n"
	"	movq %rdx, ret_regs+8(%rip)\n"
	"	movq %xmm0, ret_regs+16(%rip)\n"
	"	movq %xmm1, ret_regs+24(%rip)\n"
	"	cmpq %rax, %rbx\n"
	"	sete cap_al(%rip)\n"
	"	popq %rbx\n"
	"	ret\n"
);

static void hex(const void *p, int n) {
	const unsigned char *b = p;
	for (int i = 0; i < n; i++) printf("%02x", b[i]);
	if (n == 0) putchar('-');
}
static void dump(int id, int n) {
	printf("A %d ", id); hex(cap_gpr, 48); putchar(' '); hex(cap_xmm, 64);
	printf(" %02x ", cap_al); hex(cap_stack, n); putchar('\n');
}
static void dumpret(int id, const void *buf, int n) {
	printf("R %d ", id); hex(ret_regs, 32); printf(" %d ", cap_al); hex(buf, n); putchar('\n');
}
`

// ccCase is one signature to check, with the bytes of its arguments and
// result.
type ccCase struct {
	name  string
	plan  *abi.Plan // includes the variadic extra arguments, if any
	args  [][]byte
	ret   []byte
	label string // C declaration for messages
}

func TestAgainstCC(t *testing.T) {
	var cases []*ccCase
	bytesRng := rand.New(rand.NewPCG(*ccSeed, 99))
	add := func(name string, fn *ctype.Type, extra []*ctype.Type) bool {
		p, err := Classify(fn)
		if err != nil {
			t.Fatalf("%s: Classify(%s): %v", name, abi.TypeString(fn), err)
		}
		if len(extra) > 0 || p.Func.Variadic {
			if p, err = ClassifyVarargs(p, extra); err != nil {
				t.Fatalf("%s: ClassifyVarargs: %v", name, err)
			}
		}
		checkPlan(t, p)
		if p.StackSize > ccStack {
			return false
		}
		c := &ccCase{name: name, plan: p}
		for _, v := range p.Args {
			c.args = append(c.args, abitest.FillBytes(v.Type, bytesRng))
		}
		if p.Result.Type.Kind != ctype.Void {
			c.ret = abitest.FillBytes(p.Result.Type, bytesRng)
		}
		cases = append(cases, c)
		return true
	}
	for _, tc := range classifyCases() {
		add(tc.name, tc.fn, nil)
	}
	vaExtra := []*ctype.Type{tDbl, tInt, m.Int("unsigned int"), tLong, tPtr}

	rng := rand.New(rand.NewPCG(*ccSeed, 1))
	g := &abitest.Gen{Next: func() byte { return byte(rng.Uint32()) }, D: decls}
	for n := 0; n < *ccN; {
		variadic := rng.IntN(6) == 0
		fn, err := g.Function(14, variadic)
		if err != nil {
			t.Fatalf("the model refused a generated type: %v", err)
		}
		var extra []*ctype.Type
		if variadic {
			for k := rng.IntN(7); k > 0; k-- {
				if rng.IntN(4) == 0 {
					at, err := g.Aggregate(1)
					if err != nil {
						t.Fatalf("the model refused a generated type: %v", err)
					}
					extra = append(extra, at)
				} else {
					extra = append(extra, vaExtra[rng.IntN(len(vaExtra))])
				}
			}
		}
		if add(fmt.Sprintf("seed %d #%d", *ccSeed, n), fn, extra) {
			n++
		}
	}
	t.Logf("checking %d signatures (%d random from -sysv.seed=%d) against %s", len(cases), *ccN, *ccSeed, ctest.CC())

	const batch = 300
	for lo := 0; lo < len(cases); lo += batch {
		runCCBatch(t, cases[lo:min(lo+batch, len(cases))])
	}
}

// runCCBatch writes, compiles and runs one C program for cases and checks
// its output.
func runCCBatch(t *testing.T, cases []*ccCase) {
	var types []*ctype.Type
	for _, c := range cases {
		types = append(types, c.plan.Func)
		for _, v := range c.plan.Args {
			types = append(types, v.Type)
		}
	}
	var src strings.Builder
	src.WriteString(ccPrelude)
	src.WriteString(decls.Source(types))
	for id, c := range cases {
		c.label = writeCCCase(&src, id, c)
	}
	src.WriteString("int main(void) {\n")
	for id := range cases {
		fmt.Fprintf(&src, "\tcase%d();\n", id)
	}
	src.WriteString("\treturn 0;\n}\n")

	exe := ctest.Program(t, src.String(), "-O2", "-w")
	out, err := ctest.Output(exe)
	if err != nil {
		t.Fatalf("running the C program: %v", err)
	}
	type lines struct{ s, a, r []string }
	got := make([]lines, len(cases))
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		id, err := strconv.Atoi(f[1])
		if err != nil || id < 0 || id >= len(cases) {
			t.Fatalf("bad output line %q", sc.Text())
		}
		switch f[0] {
		case "S":
			got[id].s = f[2:]
		case "A":
			got[id].a = f[2:]
		case "R":
			got[id].r = f[2:]
		}
	}
	failed := false
	defer func() {
		if failed && *ccKeep != "" {
			name := filepath.Join(*ccKeep, fmt.Sprintf("sysv_cc_%s.c", strings.ReplaceAll(cases[0].name, " ", "_")))
			if err := os.WriteFile(name, []byte(src.String()), 0o644); err != nil {
				t.Error(err)
			}
			t.Logf("C program kept in %s", name)
		}
	}()
	for id, c := range cases {
		if msg := checkCCCase(c, got[id].s, got[id].a, got[id].r); msg != "" {
			failed = true
			t.Errorf("%s (case%d in the C program): %s\n%s\nplan: %s\ntypes:\n%s", c.name, id, msg, c.label, planString(c.plan),
				decls.Source([]*ctype.Type{c.plan.Func}))
		}
	}
}

// writeCCCase writes the C code of case id and returns its declaration.
func writeCCCase(b *strings.Builder, id int, c *ccCase) string {
	fn := c.plan.Func
	res := fn.Result
	var ps []string
	for _, p := range fn.Params {
		ps = append(ps, abitest.SpellDecl(p.Type, ""))
	}
	if fn.Variadic {
		ps = append(ps, "...")
	}
	if len(ps) == 0 {
		ps = []string{"void"}
	}
	decl := fmt.Sprintf("typedef %s(%s);", abitest.SpellDecl(res, fmt.Sprintf("(*F%d)", id)), strings.Join(ps, ", "))
	b.WriteString(decl + "\n")
	label := decl
	if len(c.plan.Args) > len(fn.Params) {
		var es []string
		for _, v := range c.plan.Args[len(fn.Params):] {
			es = append(es, abitest.SpellDecl(v.Type, ""))
		}
		label += " /* called with extra arguments: " + strings.Join(es, ", ") + " */"
	}
	for i, a := range c.args {
		fmt.Fprintf(b, "static const unsigned char A%d_%d[] = {%s};\n", id, i, abitest.CBytes(a))
	}
	if res.Kind != ctype.Void {
		fmt.Fprintf(b, "static const unsigned char R%d[] = {%s};\n", id, abitest.CBytes(c.ret))
		fmt.Fprintf(b, "__attribute__((noipa)) %s(void) { %s; memcpy(&r, R%d, sizeof r); return r; }\n",
			abitest.SpellDecl(res, fmt.Sprintf("ret%d", id)), abitest.SpellDecl(res, "r"), id)
	}
	fmt.Fprintf(b, "static void case%d(void) {\n", id)
	var xs []string
	for i, v := range c.plan.Args {
		fmt.Fprintf(b, "\t%s; memcpy(&x%d, A%d_%d, sizeof x%d);\n", abitest.SpellDecl(v.Type, fmt.Sprintf("x%d", i)), i, id, i, i)
		xs = append(xs, fmt.Sprintf("x%d", i))
	}
	fmt.Fprintf(b, "\tprintf(\"S %d\");\n", id)
	for i := range c.plan.Args {
		fmt.Fprintf(b, "\tprintf(\" %%d %%d\", (int)sizeof x%d, (int)_Alignof(__typeof__(x%d)));\n", i, i)
	}
	b.WriteString("\tputchar('\\n');\n")
	fmt.Fprintf(b, "\t((F%d)(void *)capture)(%s);\n", id, strings.Join(xs, ", "))
	fmt.Fprintf(b, "\tdump(%d, %d);\n", id, c.plan.StackSize)
	if res.Kind != ctype.Void {
		fmt.Fprintf(b, "\t{ %s; memset(&r, 0, sizeof r); call_capture((void *)ret%d, &r); dumpret(%d, &r, sizeof r); }\n",
			abitest.SpellDecl(res, "r"), id, id)
	}
	b.WriteString("}\n")
	return label
}

// checkCCCase compares what the C program recorded with the plan and
// returns a description of the first difference, or "".
func checkCCCase(c *ccCase, s, a, r []string) string {
	p := c.plan
	if len(s) != 2*len(p.Args) {
		return fmt.Sprintf("no or bad size line from C: %q", s)
	}
	for i, v := range p.Args {
		if fmt.Sprint(v.Type.Size) != s[2*i] || fmt.Sprint(v.Type.Align) != s[2*i+1] {
			return fmt.Sprintf("layout differs (type model bug): argument %d %s: C says size %s align %s, model %d %d",
				i+1, abitest.SpellDecl(v.Type, ""), s[2*i], s[2*i+1], v.Type.Size, v.Type.Align)
		}
	}
	if len(a) != 4 {
		return fmt.Sprintf("no or bad capture line from C: %q", a)
	}
	gpr, xmm, al, stack := abitest.Unhex(a[0]), abitest.Unhex(a[1]), abitest.Unhex(a[2]), abitest.Unhex(a[3])
	if len(gpr) != 48 || len(xmm) != 64 || len(al) != 1 || len(stack) != p.StackSize {
		return fmt.Sprintf("bad capture line from C: %q", a)
	}
	for i, v := range p.Args {
		for _, pt := range v.Parts {
			var loc []byte
			switch pt.Loc {
			case abi.GPR:
				loc = gpr[8*pt.Index:]
			case abi.FPR:
				loc = xmm[8*pt.Index:]
			case abi.Stack:
				loc = stack[pt.Index:]
			}
			if msg := abitest.CompareMasked(v.Type, c.args[i], pt, loc); msg != "" {
				return fmt.Sprintf("argument %d (%s): %s", i+1, abitest.SpellDecl(v.Type, ""), msg)
			}
		}
	}
	if p.Func.Variadic && int(al[0]) != p.NumFPR {
		return fmt.Sprintf("C passed al=%d, plan has NumFPR=%d", al[0], p.NumFPR)
	}
	if p.Result.Type.Kind == ctype.Void {
		return ""
	}
	if len(r) != 3 {
		return fmt.Sprintf("no or bad result line from C: %q", r)
	}
	regs, same, buf := abitest.Unhex(r[0]), r[1], abitest.Unhex(r[2])
	if p.SRet {
		if same != "1" {
			return "result: plan says sret, but C did not return the hidden pointer in rax"
		}
		if msg := abitest.CompareMasked(p.Result.Type, c.ret, abi.Part{Loc: abi.Stack, Size: len(buf)}, buf); msg != "" {
			return "sret result: " + msg
		}
		return ""
	}
	for _, pt := range p.Result.Parts {
		loc := regs[8*pt.Index:] // rax, rdx
		if pt.Loc == abi.FPR {
			loc = regs[16+8*pt.Index:] // xmm0, xmm1
		}
		if msg := abitest.CompareMasked(p.Result.Type, c.ret, pt, loc); msg != "" {
			return "result: " + msg
		}
	}
	return ""
}
