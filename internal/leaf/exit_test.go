//go:build (linux && (amd64 || arm64)) || (windows && amd64)

package leaf

import (
	"runtime"
	"testing"
	"time"
)

// TestEntriesReleasedAtThreadExit: threads that come and go (goroutines
// that exit while locked to their thread take it with them), each making
// a leaf call, do not fill the table: each entry is released as its thread
// exits and claimed again by a later thread, so no probe window fills and
// a new thread's leaf calls stay recorded. Without the release, about half
// of the windows are full after 4,000 such threads on amd64 (a thread's
// identity there, its M's g0, is reused only sometimes); on arm64 (the
// thread pointer, which the C library reuses with the thread's stack)
// fewer fill, and the released entries tell; on Windows the identity is
// the g as on amd64.
func TestEntriesReleasedAtThreadExit(t *testing.T) {
	prepareExit()
	if !exitReady() {
		t.Fatal("no thread-exit hook: the thread key (Linux) or fiber-local storage index (Windows) was not made")
	}
	name := Name("noop")
	threadsN := 4000
	if testing.Short() {
		threadsN = 1000
	}
	for range threadsN {
		done := make(chan bool)
		go func() {
			runtime.LockOSThread() // the thread exits with the goroutine
			Call(noopAddr, nil, name)
			done <- true
		}()
		<-done
	}
	// The last threads may still be exiting.
	var held, rel, full int
	for try := 0; try < 100; try++ {
		held, rel, full = tableUse()
		if held <= 64 && rel > 0 && full == 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Errorf("after %d short-lived threads made leaf calls: %d entries held, %d released, %d of %d probe windows full; want at most 64 held (live threads), some released and none full", threadsN, held, rel, full, len(threads))
}

// tableUse counts the entries of the thread table held by a thread and
// those released, and the probe windows in which no entry can be claimed.
func tableUse() (held, rel, full int) {
	claimable := func(i int) bool {
		k := threads[i%len(threads)].key
		return k == 0 || k == released
	}
	for i := range threads {
		switch threads[i].key {
		case 0:
		case released:
			rel++
		default:
			held++
		}
		f := true
		for k := range probes {
			f = f && !claimable(i+k)
		}
		if f {
			full++
		}
	}
	return held, rel, full
}
