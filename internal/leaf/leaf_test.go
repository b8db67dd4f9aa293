//go:build (linux && (amd64 || arm64)) || (windows && amd64)

package leaf

import (
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestMsg(t *testing.T) {
	for _, c := range []struct {
		build func(m *Msg)
		want  string
	}{
		{func(m *Msg) { m.Str("slot "); m.Uint(0) }, "slot 0"},
		{func(m *Msg) { m.Uint(7); m.Str("/"); m.Uint(1234567890) }, "7/1234567890"},
		{func(m *Msg) { m.Uint(^uint64(0)) }, "18446744073709551615"},
		{func(m *Msg) { m.Str(strings.Repeat("x", 2000)); m.Uint(5) }, strings.Repeat("x", 1024)},
	} {
		var m Msg
		c.build(&m)
		if got := string(m.b[:m.n]); got != c.want {
			t.Errorf("got %.40q (%d bytes), want %.40q (%d bytes)", got, len(got), c.want, len(c.want))
		}
	}
}

func TestName(t *testing.T) {
	a, b := Name("sqlite3_column_int"), Name("sqlite3_column_int")
	if a != b || *a != "sqlite3_column_int" {
		t.Fatalf("Name: %p %q and %p %q", a, *a, b, *b)
	}
	if c := Name("hypot"); c == a || *c != "hypot" {
		t.Fatalf("Name(hypot) = %p %q", c, *c)
	}
}

// TestCallClaimsThreadEntries makes leaf calls of an empty C function from
// many goroutines locked to their own, simultaneously live threads: each
// thread claims one entry of its own (keys distinct), the name is recorded
// only during the call, and Crosscall2 is the guard once entries exist.
func TestCallClaimsThreadEntries(t *testing.T) {
	if !Supported {
		t.Skip("no leaf-call table on " + runtime.GOOS + "/" + runtime.GOARCH)
	}
	name := Name("noop")
	const n = 16
	var called, done sync.WaitGroup
	release := make(chan struct{})
	for range n {
		called.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			// A thread of its own, alive until the table is checked.
			runtime.LockOSThread()
			for range 100 {
				Call(noopAddr, nil, name)
			}
			called.Done()
			<-release
		}()
	}
	called.Wait()
	// Scan while every thread is alive: a thread that exits releases its
	// entry (exit_linux.go).
	defer func() {
		close(release)
		done.Wait()
	}()
	if used != 1 {
		t.Fatal("no thread claimed an entry")
	}
	keys := map[uintptr]bool{}
	for i := range threads {
		e := &threads[i]
		if e.key == 0 || e.key == released {
			continue
		}
		if keys[e.key] {
			t.Errorf("key %#x claimed twice", e.key)
		}
		keys[e.key] = true
		if e.name != 0 {
			t.Errorf("entry %d still names a function (%#x) after its call returned", i, e.name)
		}
	}
	if len(keys) < n {
		t.Errorf("%d entries claimed by %d threads", len(keys), n)
	}
	if Crosscall2() != guardAddr || guardAddr == 0 {
		t.Errorf("Crosscall2() = %#x, guard at %#x", Crosscall2(), guardAddr)
	}
}

// TestCallWindowFull: a thread whose probe window of the table is full
// (every entry held by another key) makes its leaf calls unrecorded: the
// call runs, returns, and leaves every entry as it was. Threads of earlier
// tests may still be exiting while it runs, and each marks its old entry
// released in the emptied table (under wine this happened in CI): such
// writes are not this thread's and are ignored.
func TestCallWindowFull(t *testing.T) {
	if !Supported {
		t.Skip("no leaf-call table on " + runtime.GOOS + "/" + runtime.GOARCH)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// An empty table (restored at the end), so that the one entry the
	// next call claims is this thread's.
	saved := threads
	defer func() { threads = saved }()
	threads = [len(threads)]thread{}
	name := Name("noop")
	Call(noopAddr, nil, name)
	var key uintptr
	for i := range threads {
		if threads[i].key > released {
			if key != 0 {
				t.Fatal("one leaf call claimed two entries")
			}
			key = threads[i].key
		}
	}
	if key == 0 {
		t.Fatal("the leaf call claimed no entry")
	}
	// Every entry of the thread's window held by another key.
	threads = [len(threads)]thread{}
	first := int(key * 0x9E3779B97F4A7C15 >> (64 - tableBits))
	for k := range probes {
		threads[(first+k)%len(threads)].key = uintptr(0x1000 + 8*k)
	}
	want := threads
	for range 3 {
		Call(noopAddr, nil, name)
	}
	for i := range threads {
		if got := threads[i]; got != want[i] && !(got.key == released && want[i].key == 0) {
			t.Errorf("entry %d: %+v, want %+v", i, got, want[i])
		}
	}
}
