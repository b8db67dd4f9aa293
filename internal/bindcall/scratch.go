package bindcall

import (
	"sync"
	"unsafe"
)

// scratchSize is the size of a pooled scratch buffer: strings up to a few
// hundred bytes and aggregates copied for a call fit without allocating.
const scratchSize = 1024

// scratch is memory handed to C for one call: string copies, aggregates
// passed by reference and the memory result. It is a Go heap object, so it
// never moves (unlike the goroutine stack, which a callback from C can
// grow and copy while C holds the address); dispatch keeps it reachable
// until C returns and then gives it back to the pool.
type scratch struct {
	buf  [scratchSize]byte
	used int
	// fix is the fixed part: the start of buf, or a buffer from the
	// binding's own pool when the fixed part is large.
	fix []byte
	bb  *bigBuf
	// big holds buffers allocated for what did not fit in buf, kept
	// reachable for the call.
	big [][]byte
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxFixed is the largest fixed part kept in buf.
const maxFixed = scratchSize / 2

func getScratch(st *state) *scratch {
	s := scratchPool.Get().(*scratch)
	if st.args.scratch <= maxFixed {
		s.fix = s.buf[:st.args.scratch:st.args.scratch]
		s.used = st.args.scratch
	} else {
		s.bb = st.bigPool.Get().(*bigBuf)
		s.fix = s.bb.b
		s.used = 0
	}
	return s
}

func putScratch(s *scratch) {
	if s.bb != nil {
		s.bb.pool.Put(s.bb)
		s.bb = nil
	}
	s.fix = nil
	if s.big != nil {
		clear(s.big)
		s.big = s.big[:0]
	}
	scratchPool.Put(s)
}

// at returns the address of byte off of the fixed part.
func (s *scratch) at(off int) unsafe.Pointer {
	return unsafe.Pointer(&s.fix[off])
}

// cstring copies Go string bytes (p, n) to a NUL-terminated buffer that
// lives as long as s, and returns its address.
func (s *scratch) cstring(p unsafe.Pointer, n int) uintptr {
	var dst []byte
	if s.used+n+1 <= len(s.buf) {
		dst = s.buf[s.used : s.used+n+1]
		s.used += n + 1
	} else {
		dst = make([]byte, n+1)
		s.big = append(s.big, dst)
	}
	copy(dst, unsafe.Slice((*byte)(p), n))
	dst[n] = 0
	return uintptr(unsafe.Pointer(&dst[0]))
}

// bigBuf is a fixed part too large for scratch.buf, pooled per binding.
type bigBuf struct {
	b    []byte
	pool *sync.Pool
}

// initBigPool sets up st's pool of fixed parts when they do not fit in a
// scratch buffer.
func (st *state) initBigPool() {
	n := st.args.scratch
	st.bigPool.New = func() any { return &bigBuf{b: make([]byte, n), pool: &st.bigPool} }
}

// words returns n 8-byte words from the buffer (or the heap).
func (s *scratch) words(n int) []uint64 {
	off := (s.used + 7) &^ 7
	if off+8*n <= len(s.buf) {
		s.used = off + 8*n
		return unsafe.Slice((*uint64)(unsafe.Pointer(&s.buf[off])), n)
	}
	w := make([]uint64, n)
	s.big = append(s.big, unsafe.Slice((*byte)(unsafe.Pointer(&w[0])), 8*n))
	return w
}
