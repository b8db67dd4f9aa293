package ffi

// CallsInWindow returns the number of calls of cb's slot that have entered
// the slot (announced themselves in its state word) and not yet looked
// their binding up: what Free must let finish with the func they started
// with (see slots.go).
func CallsInWindow(cb *Callback) uint32 { return cb.slot.CallsInWindow() }
