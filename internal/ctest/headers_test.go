package ctest

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// fatalTB records the message of Fatalf and ends the goroutine, as
// testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func fatalOf(f func(tb testing.TB)) string {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(tb)
	}()
	<-done
	return tb.msg
}

// TestMissingHeaderNamesPackage checks that a header that is not installed
// fails the test naming the Debian package to install, rather than
// skipping it.
func TestMissingHeaderNamesPackage(t *testing.T) {
	h := Header{Name: "no/such/header.h", Package: "libnosuch-dev"}
	msg := fatalOf(func(tb testing.TB) { h.Preprocess(tb, "-P") })
	if !strings.Contains(msg, "install the Debian package libnosuch-dev") || !strings.Contains(msg, "no/such/header.h") {
		t.Errorf("message %q does not name the header and package", msg)
	}
	h = Header{Name: "x.h", PkgConfig: "no-such-module-1.0", Package: "libnosuch-dev"}
	msg = fatalOf(func(tb testing.TB) { h.Flags(tb) })
	if !strings.Contains(msg, "install the Debian package libnosuch-dev") {
		t.Errorf("message %q does not name the package", msg)
	}
}
