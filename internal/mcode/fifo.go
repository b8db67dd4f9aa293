package mcode

// fifo is a growable ring buffer of slot ids.
type fifo struct {
	buf        []uint32
	head, size int
}

func (q *fifo) len() int { return q.size }

func (q *fifo) push(id uint32) {
	if q.size == len(q.buf) {
		n := make([]uint32, max(16, 2*len(q.buf)))
		for i := 0; i < q.size; i++ {
			n[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = n, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = id
	q.size++
}

func (q *fifo) pop() uint32 {
	id := q.buf[q.head]
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	return id
}
