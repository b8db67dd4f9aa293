package ffi

import (
	"github.com/seed5ca82032/ffi/internal/errfmt"
	"github.com/seed5ca82032/ffi/internal/leaf"
	"github.com/seed5ca82032/ffi/internal/upcall"
)

// An Option changes how Bind binds a C function. Options are passed after
// the declaration: lib.Bind(&fn, decl, ffi.Leaf). The only Option so far
// is Leaf; the type is an interface so that later options, with or without
// parameters, are passed the same way.
type Option interface {
	// applyBind records the option in the binding's configuration.
	applyBind(c *bindConfig) error
	String() string
}

// bindConfig is what the options of one Bind call asked for.
type bindConfig struct {
	// leaf names the C function for leaf calls (see Leaf); nil for calls
	// with the scheduler transition.
	leaf *string
	name string // the bound function's name, for messages
}

// bindLeafAll makes every binding a leaf binding; tests set it to run the
// Bind tests through leaf calls.
var bindLeafAll = false

// newBindConfig applies opts in order for the function named name.
func newBindConfig(name string, opts []Option) (bindConfig, error) {
	c := bindConfig{name: name}
	if bindLeafAll {
		c.leaf = leaf.Name(name)
	}
	for i, o := range opts {
		if o == nil {
			return c, errfmt.Errorf("option %d is nil", i+1)
		}
		if err := o.applyBind(&c); err != nil {
			return c, errfmt.Errorf("option %d (%v): %v", i+1, o, err)
		}
	}
	return c, nil
}

// Leaf makes the bound function call C as a leaf call: on the thread's
// system stack, without the scheduler transition that every other call
// into C makes (the runtime's entersyscall and exitsyscall, which let C
// block and call back into Go). That transition is most of the cost of a
// call of a small C function: the system-stack switch alone costs a few
// nanoseconds, a cgo call a few tens. Java's Linker.Option.critical() is
// the same idea.
//
// The C function must obey three rules, each for a reason:
//
//   - It must return quickly. During the call its goroutine keeps its P
//     and cannot be preempted, exactly like a tight Go loop without
//     function calls: the scheduler cannot run another goroutine on that
//     P, and a garbage collection that needs to stop the world, or to
//     scan this goroutine's stack, waits for the call to return. Calls
//     of microseconds are fine; a call of milliseconds stalls the program
//     like a loop of milliseconds does.
//
//   - It must not block (wait on a lock, a condition, I/O, sleep). The
//     runtime does not know the thread is blocked, so it does not hand the
//     P to another thread: the P sits idle, and if the blocked call waits
//     for something a Go goroutine has to do, that goroutine may never run
//     and the program deadlocks.
//
//   - It must not call back into Go, through a Callback or any other way
//     (cgo //export functions, purego callbacks). The runtime's path for C
//     calling Go expects the thread to be in a system call, which a leaf
//     call is not; entering Go there would corrupt the scheduler's state.
//     A Callback called from inside a leaf call on its thread is caught
//     before it enters the runtime: the process ends (exit status 2) with
//     the message
//
//     ffi: callback <C type> (slot <n>) was called from inside the leaf call of <function>: ...
//
//     naming the callback and the bound function (on linux/amd64,
//     linux/arm64 and windows/amd64). Callbacks that other code provides
//     (cgo, purego) are not caught and end the process with a runtime
//     error.
//
// Everything else about the binding is the same as without Leaf: every
// signature Bind accepts (structs, strings, slices, stack arguments,
// variadic functions) works, a Go pointer, string or slice passed to C is
// valid for the call, and -race builds see the call as the same
// synchronization point as a cgo call. Leaf is checked on linux/amd64,
// linux/arm64 and windows/amd64; on other platforms where Bind works, the
// misuse is not caught.
var Leaf Option = leafOption{}

type leafOption struct{}

func (leafOption) applyBind(c *bindConfig) error {
	c.leaf = leaf.Name(c.name)
	return nil
}

func (leafOption) String() string { return "ffi.Leaf" }

func init() { leaf.SetReporter(upcall.DescribeCallback) }
