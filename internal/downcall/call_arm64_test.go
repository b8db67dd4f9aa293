//go:build arm64 && linux

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
		"FRAME_SIZE":   frameSize,
	}
	f, err := os.Open("frame_arm64.h")
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
			t.Fatalf("frame_arm64.h:%d: %v", line, err)
		}
		got[fields[1]] = uintptr(n)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("frame_arm64.h = %v, Go layout = %v", got, want)
	}
	if unsafe.Offsetof(Frame{}.FPR) != unsafe.Offsetof(Frame{}.GPR)+unsafe.Sizeof(Frame{}.GPR) {
		t.Errorf("FPR does not follow GPR: the fast paths index them as one array")
	}
}
