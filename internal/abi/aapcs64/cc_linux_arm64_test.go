package aapcs64

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

// This file checks Classify (standard AAPCS64) against the C compiler on a
// linux/arm64 machine: a C program calls an assembly routine through
// function pointers of each signature with arguments of known bytes; the
// routine records x0..x8, v0..v7 and the stack arguments, and the test
// checks that every Part of the plan finds its bytes there (and, for
// by-reference arguments, that the pointer leads to them). Results work
// the other way round: a C function returns known bytes and an assembly
// caller records x0, x1, d0..d3 and the memory behind x8.
//
// To run it from another machine, cross-compile the test binary and give
// the compiler and an emulator for the C program, for example:
//
//	GOARCH=arm64 go test -c -o aapcs64.test ./internal/abi/aapcs64
//	CC=aarch64-linux-gnu-gcc FFI_TEST_EXEC="qemu-aarch64 -L /usr/aarch64-linux-gnu" \
//		qemu-aarch64 ./aapcs64.test -test.run AgainstCC

var (
	ccSeed = flag.Uint64("aapcs64.seed", 1, "seed of the random signatures checked against the C compiler")
	ccN    = flag.Int("aapcs64.n", 800, "number of random signatures checked against the C compiler")
	ccKeep = flag.String("aapcs64.keep", "", "directory to keep the generated C programs of failing batches in")
)

// ccStack is how many bytes of stack arguments the capture routine keeps.
const ccStack = 2048

const ccPrelude = `#include <stdio.h>
#include <string.h>

__attribute__((visibility("hidden"))) unsigned char cap_gpr[72], cap_fpr[128], cap_stack[2048];
__attribute__((visibility("hidden"))) unsigned char ret_regs[48];
void capture(void);
void call_capture(void *fn, void *buf);
__asm__(
	".text\n"
	".globl capture\n"
	"capture:\n"
	"	adrp x9, cap_gpr\n"
	"	add x9, x9, :lo12:cap_gpr\n"
	"	stp x0, x1, [x9]\n"
	"	stp x2, x3, [x9, 16]\n"
	"	stp x4, x5, [x9, 32]\n"
	"	stp x6, x7, [x9, 48]\n"
	"	str x8, [x9, 64]\n"
	"	adrp x9, cap_fpr\n"
	"	add x9, x9, :lo12:cap_fpr\n"
	"	stp q0, q1, [x9]\n"
	"	stp q2, q3, [x9, 32]\n"
	"	stp q4, q5, [x9, 64]\n"
	"	stp q6, q7, [x9, 96]\n"
	"	adrp x9, cap_stack\n"
	"	add x9, x9, :lo12:cap_stack\n"
	"	mov x10, sp\n"
	"	mov x11, 2048\n"
	"1:	ldr x12, [x10], 8\n"
	"	str x12, [x9], 8\n"
	"	subs x11, x11, 8\n"
	"	b.ne 1b\n"
	"	ret\n"
	".globl call_capture\n"
	"call_capture:\n"
	"	stp x29, x30, [sp, -16]!\n"
	"	mov x29, sp\n"
	"	mov x9, x0\n"
	"	mov x8, x1\n"
	"	blr x9\n"
	"	adrp x9, ret_regs\n"
	"	add x9, x9, :lo12:ret_regs\n"
	"	stp x0, x1, [x9]\n"
	"	stp d0, d1, [x9, 16]\n"
	"	stp d2, d3, [x9, 32]\n"
	"	ldp x29, x30, [sp], 16\n"
	"	ret\n"
);

static void hex(const void *p, int n) {
	const unsigned char *b = p;
	for (int i = 0; i < n; i++) printf("%02x", b[i]);
	if (n == 0) putchar('-');
}
static void dump(int id, int n) {
	printf("A %d ", id); hex(cap_gpr, 72); putchar(' '); hex(cap_fpr, 128);
	putchar(' '); hex(cap_stack, n); putchar('\n');
}
static void dumpret(int id, const void *buf, int n) {
	printf("R %d ", id); hex(ret_regs, 48); putchar(' '); hex(buf, n); putchar('\n');
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
			if p, err = ClassifyVarargs(p, extra, Options{}); err != nil {
				t.Fatalf("%s: ClassifyVarargs: %v", name, err)
			}
		}
		checkPlan(t, p, Options{})
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
	t.Logf("checking %d random signatures (-aapcs64.seed=%d) against %s", len(cases), *ccSeed, ctest.CC())

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
	src.WriteString("int main(void) {\n\tsetvbuf(stdout, NULL, _IOLBF, 0);\n")
	for id := range cases {
		fmt.Fprintf(&src, "\tcase%d();\n", id)
	}
	src.WriteString("\treturn 0;\n}\n")

	exe := ctest.Program(t, src.String(), "-O2", "-w")
	out, err := ctest.Output(exe)
	if err != nil {
		if *ccKeep != "" {
			name := filepath.Join(*ccKeep, "aapcs64_cc_crash.c")
			os.WriteFile(name, []byte(src.String()), 0o644)
			t.Logf("C program kept in %s", name)
		}
		t.Fatalf("running the C program: %v; last lines of output:\n%s", err, lastLines(out, 3))
	}
	type lines struct{ s, a, r, p []string }
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
		case "P":
			got[id].p = append(got[id].p, f[2:]...)
		}
	}
	failed := false
	defer func() {
		if failed && *ccKeep != "" {
			name := filepath.Join(*ccKeep, fmt.Sprintf("aapcs64_cc_%s.c", strings.ReplaceAll(cases[0].name, " ", "_")))
			if err := os.WriteFile(name, []byte(src.String()), 0o644); err != nil {
				t.Error(err)
			}
			t.Logf("C program kept in %s", name)
		}
	}()
	for id, c := range cases {
		if msg := checkCCCase(c, got[id].s, got[id].a, got[id].r, got[id].p); msg != "" {
			failed = true
			t.Errorf("%s (case%d in the C program): %s\n%s\nplan: %s\ntypes:\n%s", c.name, id, msg, c.label, abitest.PlanString(c.plan),
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
	for _, v := range c.plan.Args {
		if !v.ByRef {
			continue
		}
		loc := fmt.Sprintf("cap_stack + %d", v.Parts[0].Index)
		if v.Parts[0].Loc == abi.GPR {
			loc = fmt.Sprintf("cap_gpr + %d", 8*v.Parts[0].Index)
		}
		fmt.Fprintf(b, "\t{ void *q; memcpy(&q, %s, 8); printf(\"P %d \"); hex(q, %d); putchar('\\n'); }\n", loc, id, v.Type.Size)
	}
	if res.Kind != ctype.Void {
		fmt.Fprintf(b, "\t{ %s; memset(&r, 0, sizeof r); call_capture((void *)ret%d, &r); dumpret(%d, &r, sizeof r); }\n",
			abitest.SpellDecl(res, "r"), id, id)
	}
	b.WriteString("}\n")
	return label
}

// checkCCCase compares what the C program recorded with the plan and
// returns a description of the first difference, or "". p holds the bytes
// behind each by-reference argument's pointer, in order.
func checkCCCase(c *ccCase, s, a, r, refs []string) string {
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
	if len(a) != 3 {
		return fmt.Sprintf("no or bad capture line from C: %q", a)
	}
	gpr, fpr, stack := abitest.Unhex(a[0]), abitest.Unhex(a[1]), abitest.Unhex(a[2])
	if len(gpr) != 72 || len(fpr) != 128 || len(stack) != p.StackSize {
		return fmt.Sprintf("bad capture line from C: %q", a)
	}
	for i, v := range p.Args {
		if v.ByRef {
			if len(refs) == 0 {
				return fmt.Sprintf("argument %d: no bytes behind the pointer", i+1)
			}
			val := abitest.Unhex(refs[0])
			refs = refs[1:]
			if msg := abitest.CompareMasked(v.Type, c.args[i], abi.Part{Size: v.Type.Size}, val); msg != "" {
				return fmt.Sprintf("argument %d (%s) by reference: %s", i+1, abitest.SpellDecl(v.Type, ""), msg)
			}
			continue
		}
		for _, pt := range v.Parts {
			var loc []byte
			switch pt.Loc {
			case abi.GPR:
				loc = gpr[8*pt.Index:]
			case abi.FPR:
				loc = fpr[16*pt.Index:]
			case abi.Stack:
				loc = stack[pt.Index:]
			}
			if msg := abitest.CompareMasked(v.Type, c.args[i], pt, loc); msg != "" {
				return fmt.Sprintf("argument %d (%s): %s", i+1, abitest.SpellDecl(v.Type, ""), msg)
			}
		}
	}
	if p.Result.Type.Kind == ctype.Void {
		return ""
	}
	if len(r) != 2 {
		return fmt.Sprintf("no or bad result line from C: %q", r)
	}
	regs, buf := abitest.Unhex(r[0]), abitest.Unhex(r[1])
	if p.SRet {
		if msg := abitest.CompareMasked(p.Result.Type, c.ret, abi.Part{Loc: abi.Stack, Size: len(buf)}, buf); msg != "" {
			return "sret result: " + msg
		}
		return ""
	}
	for _, pt := range p.Result.Parts {
		loc := regs[8*pt.Index:] // x0, x1
		if pt.Loc == abi.FPR {
			loc = regs[16+8*pt.Index:] // d0..d3
		}
		if msg := abitest.CompareMasked(p.Result.Type, c.ret, pt, loc); msg != "" {
			return "result: " + msg
		}
	}
	return ""
}

// lastLines returns the last n lines of out.
func lastLines(out []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
