//go:build amd64 && (linux || darwin || freebsd || netbsd || windows)

package downcall

import (
	"bufio"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestFrameOffsets compares the offsets in the assembly stub's header
// (frameHeader) with the Go layout of Frame.
func TestFrameOffsets(t *testing.T) {
	want := map[string]uintptr{
		"FRAME_FN":     unsafe.Offsetof(Frame{}.Fn),
		"FRAME_GPR":    unsafe.Offsetof(Frame{}.GPR),
		"FRAME_FPR":    unsafe.Offsetof(Frame{}.FPR),
		"FRAME_STACK":  unsafe.Offsetof(Frame{}.Stack),
		"FRAME_NSTACK": unsafe.Offsetof(Frame{}.NStack),
		"FRAME_AL":     unsafe.Offsetof(Frame{}.AL),
		"FRAME_RETGPR": unsafe.Offsetof(Frame{}.RetGPR),
		"FRAME_RETFPR": unsafe.Offsetof(Frame{}.RetFPR),
		"FRAME_FLAGS":  unsafe.Offsetof(Frame{}.Flags),
		"FRAME_ERRNO":  unsafe.Offsetof(Frame{}.Errno),
		"FRAME_SIZE":   frameSize,
	}
	f, err := os.Open(frameHeader)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := map[string]uintptr{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) != 3 || fields[0] != "#define" {
			continue
		}
		n, err := strconv.ParseUint(fields[2], 0, 64)
		if err != nil {
			t.Fatalf("%s:%d: %v", frameHeader, line, err)
		}
		got[fields[1]] = uintptr(n)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %v, Go layout = %v", frameHeader, got, want)
	}
}
