//go:build amd64 || arm64

package upcall

import (
	"runtime"
	"unsafe"
)

// The general invokers call the Go func through callGo<W> (callgo_*.s),
// which loads every argument register of Go's register ABI (ABIInternal)
// from regs, copies the args words of stack-assigned arguments at blk to
// the bottom of its frame (its outgoing argument area), calls fn (a func
// value), stores the result registers back into regs and copies the
// results words of stack-assigned results, which follow the arguments,
// back into blk after them. Its frame holds W block words and the spill
// area of the argument registers, which the callee may use; args+results
// is at most W. Since Go's register ABI assigns the two
// register classes independently and in order, a func using fewer
// registers ignores the extra ones, and one with a smaller block finds its
// stack-assigned results right after its own arguments: the call fits any
// func whose frame goabi places within the block.
//
// They hide nothing from the garbage collector that the Go func does not
// see: while it runs, its arguments and results in the block are scanned
// and adjusted through its own argument maps, like those of any Go
// caller; callGo's frame has no pointers of its own.

//go:noescape
func callGo8(fn unsafe.Pointer, regs *[goRegsN]uint64, blk unsafe.Pointer, args, results int)

//go:noescape
func callGo32(fn unsafe.Pointer, regs *[goRegsN]uint64, blk unsafe.Pointer, args, results int)

//go:noescape
func callGo128(fn unsafe.Pointer, regs *[goRegsN]uint64, blk unsafe.Pointer, args, results int)

//go:noescape
func callGo1024(fn unsafe.Pointer, regs *[goRegsN]uint64, blk unsafe.Pointer, args, results int)

// blockInvokers are the general invokers by the words of their block.
var blockInvokers = [...]sized{
	{8, invokeBlock[[8]uint64]},
	{32, invokeBlock[[32]uint64]},
	{128, invokeBlock[[128]uint64]},
	{1024, invokeBlock[[1024]uint64]},
}

// invokeBlock is the general invoker with a block of type B.
func invokeBlock[B [8]uint64 | [32]uint64 | [128]uint64 | [1024]uint64](b *binding, f *cframe) {
	var blk B
	invokeGeneral(b, f, unsafe.Pointer(&blk), len(blk))
}

// invokeGeneral runs one call of a general shape with the block blk of w
// words: the moves into the argument registers and the block, callGo<w>,
// the result moves.
func invokeGeneral(b *binding, f *cframe, blk unsafe.Pointer, w int) {
	var r [goRegsN]uint64
	var keep strKeep
	sh := b.shape
	sh.fill(f, r[:], blk, &keep)
	callGo(b, &r, blk, w)
	runtime.KeepAlive(&keep)
	sh.store(f, r[:goInts], (*[goFloats]float64)(unsafe.Pointer(&r[goInts]))[:], unsafe.Add(blk, 8*sh.resultsWord))
}

// callGo calls b's func through callGo<w> with the argument registers r
// and the block blk of w words.
func callGo(b *binding, r *[goRegsN]uint64, blk unsafe.Pointer, w int) {
	sh := b.shape
	args, results := int(sh.resultsWord), int(sh.blockWords-sh.resultsWord)
	switch w {
	case 8:
		callGo8(b.fnv, r, blk, args, results)
	case 32:
		callGo32(b.fnv, r, blk, args, results)
	case 128:
		callGo128(b.fnv, r, blk, args, results)
	default:
		callGo1024(b.fnv, r, blk, args, results)
	}
}
