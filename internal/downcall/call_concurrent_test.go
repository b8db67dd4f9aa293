//go:build amd64 && (linux || darwin || freebsd || netbsd || windows)

package downcall

import (
	"sync"
	"testing"
)

// TestConcurrentCalls calls add from eight goroutines at once (sym and the
// add fixture: call_amd64_test.go, call_windows_amd64_test.go).
func TestConcurrentCalls(t *testing.T) {
	add := sym(t, "add")
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				var f Frame
				f.Fn = add
				f.GPR[0], f.GPR[1] = uint64(g), uint64(i)
				Call(&f)
				if got := int32(f.RetGPR[0]); got != int32(g+i) {
					t.Errorf("add(%d, %d) = %d", g, i, got)
					return
				}
			}
		}()
	}
	wg.Wait()
}
