//go:build unix

package threadkey

import (
	"runtime"
	"testing"

	"github.com/ebitengine/purego"
)

// TestNewKey makes a key (no destructor) and sets and reads the calling
// thread's value through the C library.
func TestNewKey(t *testing.T) {
	key, set, err := NewKey(0)
	if err != nil {
		t.Fatal(err)
	}
	get, err := purego.Dlsym(purego.RTLD_DEFAULT, "pthread_getspecific")
	if err != nil {
		t.Fatal(err)
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if r, _, _ := purego.SyscallN(set, uintptr(key), 0x5a5a0); r != 0 {
		t.Fatalf("pthread_setspecific = %d", r)
	}
	if v, _, _ := purego.SyscallN(get, uintptr(key)); v != 0x5a5a0 {
		t.Fatalf("pthread_getspecific = %#x, want 0x5a5a0", v)
	}
	if r, _, _ := purego.SyscallN(set, uintptr(key), 0); r != 0 {
		t.Fatalf("pthread_setspecific(NULL) = %d", r)
	}
}
