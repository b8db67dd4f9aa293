//go:build amd64 || arm64

package bindcall

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestMovesAsmMatchesGo runs random move tables through the trampoline's
// assembly loop and through runMoves and compares every byte.
func TestMovesAsmMatchesGo(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const size = 512
	for iter := range 2000 {
		var ms []move
		for range 1 + r.IntN(12) {
			from := uintptr(r.IntN(size/8-1)) * 8
			to := uintptr(r.IntN(size/8-1)) * 8
			var m move
			switch r.IntN(4) {
			case 0:
				m = mkMove(from, to, 0, 0, false, false, 0)
			case 1:
				m = mkMove(from, to, 0, 32, r.IntN(2) == 0, false, 0)
			default:
				m = mkMove(from, to, uint8(r.IntN(64)), uint8(r.IntN(64)), r.IntN(2) == 0, r.IntN(2) == 0, uint8(r.IntN(64)))
			}
			ms = append(ms, m)
		}
		a := make([]uint64, size/8)
		for i := range a {
			a[i] = r.Uint64()
		}
		b := append([]uint64(nil), a...)
		movesAsm(unsafe.Pointer(&a[0]), &ms[0], uintptr(len(ms)))
		runMoves(unsafe.Slice((*byte)(unsafe.Pointer(&b[0])), size), ms)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("iteration %d, moves %x: word %d is %#x, want %#x", iter, ms, i, a[i], b[i])
			}
		}
	}
}
