//go:build unix

package ptrcheck

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/ctest"
)

// cMemory returns memory the Go runtime does not manage (an anonymous
// mapping), standing in for C memory.
func cMemory(t *testing.T, n int) unsafe.Pointer {
	t.Helper()
	b, err := syscall.Mmap(-1, 0, n, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Munmap(b) })
	return unsafe.Pointer(&b[0])
}

type stream struct {
	next_in  *byte
	avail_in uint32
	state    unsafe.Pointer
}

type inner struct {
	n    int
	data []byte
}

type outer struct {
	tag   int
	parts [3]inner
	name  string
}

type withMap struct{ m map[int]int }

type withFunc struct{ f func() int }

type withAny struct{ v any }

type mirror struct {
	next_in  uintptr // a uintptr is not a pointer to the garbage collector
	avail_in uint32
}

type byValue struct {
	buf *[4]*byte
	n   int
}

func TestCheck(t *testing.T) {
	cmem := cMemory(t, 4096)
	goBuf := make([]byte, 16)
	var pinned [64]byte // not a tiny allocation, which could share a pinned block with others
	var pin runtime.Pinner
	pin.Pin(&pinned[0])
	defer pin.Unpin()
	n := 7
	closure := func() int { return n }

	tests := []struct {
		name string
		t    reflect.Type
		p    unsafe.Pointer
		want string // the error's Path, "" for none
	}{
		{"Go pointer field", reflect.TypeFor[*stream](), unsafe.Pointer(&stream{next_in: &goBuf[0]}), "stream.next_in"},
		{"one past the end", reflect.TypeFor[*stream](), unsafe.Pointer(&stream{next_in: &goBuf[15]}), "stream.next_in"},
		{"C memory in the field", reflect.TypeFor[*stream](), unsafe.Pointer(&stream{next_in: (*byte)(cmem), state: cmem}), ""},
		{"nil fields", reflect.TypeFor[*stream](), unsafe.Pointer(&stream{avail_in: 3}), ""},
		{"pinned target", reflect.TypeFor[*stream](), unsafe.Pointer(&stream{next_in: &pinned[0]}), ""},
		{"uintptr mirror", reflect.TypeFor[*mirror](), unsafe.Pointer(&mirror{next_in: uintptr(unsafe.Pointer(&goBuf[0]))}), ""},
		{"struct in C memory", reflect.TypeFor[*stream](), cmem, ""},
		{"nested slice", reflect.TypeFor[*outer](), unsafe.Pointer(&outer{parts: [3]inner{2: {data: goBuf}}}), "outer.parts[2].data"},
		{"Go string bytes", reflect.TypeFor[*outer](), unsafe.Pointer(&outer{name: strings.Repeat("x", 5*n)}), "outer.name"},
		{"string literal", reflect.TypeFor[*outer](), unsafe.Pointer(&outer{name: "read-only data"}), ""},
		{"map", reflect.TypeFor[*withMap](), unsafe.Pointer(&withMap{m: map[int]int{1: 1}}), "withMap.m"},
		{"closure", reflect.TypeFor[*withFunc](), unsafe.Pointer(&withFunc{f: closure}), "withFunc.f"},
		{"plain func", reflect.TypeFor[*withFunc](), unsafe.Pointer(&withFunc{f: runtime.NumGoroutine}), ""},
		{"interface", reflect.TypeFor[*withAny](), unsafe.Pointer(&withAny{v: &goBuf}), "withAny.v"},
		{"slice elements", reflect.TypeFor[[]stream](), unsafe.Pointer(&[]stream{{}, {next_in: &goBuf[1]}}[0]), "stream"},
		{"first slice element", reflect.TypeFor[[]stream](), unsafe.Pointer(&[]stream{{next_in: &goBuf[1]}, {}}[0]), "stream.next_in"},
		{"byte slice", reflect.TypeFor[[]byte](), unsafe.Pointer(&goBuf[0]), ""},
		{"unsafe.Pointer to pointers", reflect.TypeFor[unsafe.Pointer](), unsafe.Pointer(&stream{next_in: &goBuf[0]}), "unsafe.Pointer target"},
		{"unsafe.Pointer to bytes", reflect.TypeFor[unsafe.Pointer](), unsafe.Pointer(&goBuf[0]), ""},
		{"by value, target holds Go pointers", reflect.TypeFor[byValue](), unsafe.Pointer(&byValue{buf: &[4]*byte{2: &goBuf[0]}}), "*byValue.buf[2]"},
		{"by value, Go pointer at the top", reflect.TypeFor[byValue](), unsafe.Pointer(&byValue{buf: &[4]*byte{}}), ""},
		{"nil", reflect.TypeFor[*stream](), nil, ""},
	}
	for _, tt := range tests {
		err := Check(tt.t, tt.p)
		var e *Error
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", tt.name, err)
		case tt.want != "" && !errors.As(err, &e):
			t.Errorf("%s: error %v, want one at %s", tt.name, err, tt.want)
		case tt.want != "" && e.Path != tt.want:
			t.Errorf("%s: error at %q, want %q (%v)", tt.name, e.Path, tt.want, err)
		}
	}
	runtime.KeepAlive(goBuf)
}

func TestErrorMessage(t *testing.T) {
	buf := make([]byte, 8)
	err := Check(reflect.TypeFor[*stream](), unsafe.Pointer(&stream{next_in: &buf[0]}))
	for _, want := range []string{"stream.next_in holds Go pointer 0x", "Go memory passed to C may not hold Go pointers", "ffi.Malloc", "uintptr", "runtime.Pinner"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
}

func TestIsGo(t *testing.T) {
	x := new(int)
	var local [4]int
	if !isGo(unsafe.Pointer(x)) || !isGo(unsafe.Pointer(&local)) || !isGo(sentinel) {
		t.Error("Go heap or stack memory not recognized")
	}
	if isGo(cMemory(t, 64)) {
		t.Error("mapped memory taken for Go memory")
	}
	if !runtimeOn() {
		t.Error("runtime check is off")
	}
}

func TestEnabled(t *testing.T) {
	if Enabled() != (os.Getenv(EnvVar) == "1") {
		t.Errorf("Enabled() = %v with %s=%q", Enabled(), EnvVar, os.Getenv(EnvVar))
	}
}

const childEnv = "PTRCHECK_TEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" { // GODEBUG=cgocheck=0 child of TestRuntimeCheckOff
		buf := make([]byte, 8)
		fmt.Println(Check(reflect.TypeFor[*stream](), unsafe.Pointer(&stream{next_in: &buf[0]})))
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// TestRuntimeCheckOff: with the runtime's check disabled, Check says so
// instead of passing everything.
func TestRuntimeCheckOff(t *testing.T) {
	out, err := ctest.CombinedOutput(func() *exec.Cmd {
		cmd := ctest.Command(os.Args[0])
		cmd.Env = append(os.Environ(), childEnv+"=1", "GODEBUG=cgocheck=0")
		return cmd
	})
	if err != nil || strings.TrimSpace(string(out)) != errRuntimeOff.Error() {
		t.Errorf("child: %v, output %q, want %q", err, out, errRuntimeOff)
	}
}
