//go:build unix

package threadkey

import (
	"errors"
	"unsafe"

	"github.com/ebitengine/purego"
)

// NewKey makes a C library thread key (pthread_key_create) whose
// destructor, a C function of one pointer argument, the C library calls as
// a thread exits with the thread's non-NULL value of the key. It returns
// the key, zero-extended (pthread_key_t is an unsigned int on Linux, an
// unsigned long on macOS), and the address of pthread_setspecific, which
// sets the calling thread's value.
func NewKey(destructor uintptr) (key uint64, setspecific uintptr, err error) {
	create, err := purego.Dlsym(purego.RTLD_DEFAULT, "pthread_key_create")
	if err != nil {
		return 0, 0, err
	}
	if setspecific, err = purego.Dlsym(purego.RTLD_DEFAULT, "pthread_setspecific"); err != nil {
		return 0, 0, err
	}
	if r, _, _ := purego.SyscallN(create, uintptr(unsafe.Pointer(&key)), destructor); r != 0 {
		return 0, 0, errors.New("threadkey: pthread_key_create failed")
	}
	return key, setspecific, nil
}
