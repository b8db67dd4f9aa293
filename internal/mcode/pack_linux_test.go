package mcode

import (
	"encoding/binary"
	"runtime"
	"testing"
	"unsafe"

	"github.com/ebitengine/purego"
)

// retCode returns machine code for this architecture that returns v:
//
//	amd64: mov eax, v ; ret          (b8 imm32 ; c3)
//	arm64: movz w0, #lo ; movk w0, #hi, lsl #16 ; ret
func retCode(t *testing.T, v uint32) []byte {
	switch runtime.GOARCH {
	case "amd64":
		b := []byte{0xb8, 0, 0, 0, 0, 0xc3}
		binary.LittleEndian.PutUint32(b[1:], v)
		return b
	case "arm64":
		b := make([]byte, 12)
		binary.LittleEndian.PutUint32(b[0:], 0x52800000|(v&0xffff)<<5) // movz w0, #lo
		binary.LittleEndian.PutUint32(b[4:], 0x72a00000|(v>>16)<<5)    // movk w0, #hi, lsl #16
		binary.LittleEndian.PutUint32(b[8:], 0xd65f03c0)               // ret
		return b
	}
	t.Skipf("no test code for %s", runtime.GOARCH)
	return nil
}

// TestPlacePacks: pieces placed one by one share read-execute pages (a
// few packs for hundreds of pieces, instead of a page each), hold exactly
// the bytes placed, start on their own cache line, and run; a piece too
// large for a pack gets pages of its own and runs too.
func TestPlacePacks(t *testing.T) {
	const n = 600 // more than one pack of 64-byte pieces
	pages := map[uintptr]bool{}
	addrs := make([]uintptr, n)
	for i := range addrs {
		code := retCode(t, uint32(i)*0x10001+7)
		addr, err := Place(code)
		if err != nil {
			t.Fatal(err)
		}
		if addr%packAlign != 0 {
			t.Fatalf("piece %d at %#x: not %d-byte aligned", i, addr, packAlign)
		}
		if got := unsafe.Slice((*byte)(ptrAt(addr)), len(code)); string(got) != string(code) {
			t.Fatalf("piece %d at %#x holds % x, want % x", i, addr, got, code)
		}
		addrs[i] = addr
		pages[addr&^uintptr(packSize-1)] = true
	}
	for i, addr := range addrs {
		if r, _, _ := purego.SyscallN(addr); uint32(r) != uint32(i)*0x10001+7 {
			t.Fatalf("piece %d at %#x returned %#x", i, addr, uint32(r))
		}
		if perm := mappingPerm(t, addr); perm[:3] != "r-x" {
			t.Fatalf("piece %d at %#x mapped %s, want r-x", i, addr, perm)
		}
	}
	if want := n*packAlign/packSize + 2; len(pages) > want {
		t.Errorf("%d pieces of %d bytes took %d packs of %d KB, want at most %d", n, len(retCode(t, 0)), len(pages), packSize>>10, want)
	}

	big := make([]byte, packSize/2)
	copy(big, retCode(t, 42))
	addr, err := Place(big)
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _ := purego.SyscallN(addr); uint32(r) != 42 {
		t.Fatalf("large piece at %#x returned %d", addr, uint32(r))
	}
	if perm := mappingPerm(t, addr); perm[:3] != "r-x" {
		t.Fatalf("large piece at %#x mapped %s, want r-x", addr, perm)
	}
}
