package upcall

import (
	"unsafe"

	"github.com/seed5ca82032/ffi/internal/leaf"
)

// DescribeCallback writes the C type and slot of the callback whose entry
// frame is frame, for the message of a callback called from inside a leaf
// call (package leaf's reporter). It runs on the system stack of a
// thread inside a leaf call, outside
// the Go runtime's accounting (see package leaf): no allocation, no locks,
// no race instrumentation, and plain loads instead of the atomic ones (the
// values were stored before the thread entered the leaf call or by another
// thread long before; a torn read only spoils the message).
//
//go:norace
//go:nocheckptr
func DescribeCallback(m *leaf.Msg, frame unsafe.Pointer) {
	slot := (*cframe)(frame).slot
	m.Str("callback ")
	decl := "of unknown type"
	cs := *(**[]*chunk)(unsafe.Pointer(&table.chunks))
	if cs != nil && slot>>chunkBits < uint64(len(*cs)) {
		rec := &(*cs)[slot>>chunkBits][slot&(1<<chunkBits-1)]
		if info := *(**slotInfo)(unsafe.Pointer(&rec.last)); info != nil {
			decl = info.decl
		}
	}
	m.Str(decl)
	m.Str(" (slot ")
	m.Uint(slot)
	m.Str(")")
}
