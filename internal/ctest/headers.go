package ctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Header is a system C header the tests preprocess and load, with what it
// takes to find it.
type Header struct {
	Name      string // as in #include <Name>
	PkgConfig string // pkg-config module for its -I flags ("" if none)
	Package   string // the Debian package that installs it
	Lib       string // the shared library that implements it
}

// Headers are the real headers the header tests load: libc's and those of
// the -dev packages CI installs (.ci/run).
var Headers = []Header{
	{"stdio.h", "", "libc6-dev", "libc.so.6"},
	{"stdlib.h", "", "libc6-dev", "libc.so.6"},
	{"string.h", "", "libc6-dev", "libc.so.6"},
	{"pthread.h", "", "libc6-dev", "libc.so.6"},
	{"zlib.h", "zlib", "zlib1g-dev", "libz.so.1"},
	{"sqlite3.h", "sqlite3", "libsqlite3-dev", "libsqlite3.so.0"},
	{"expat.h", "expat", "libexpat1-dev", "libexpat.so.1"},
	{"curl/curl.h", "libcurl", "libcurl4-openssl-dev", "libcurl.so.4"},
	{"libxml/parser.h", "libxml-2.0", "libxml2-dev", "libxml2.so.2"},
	{"glib.h", "glib-2.0", "libglib2.0-dev", "libglib-2.0.so.0"},
}

// HeaderNamed returns the entry of Headers for name.
func HeaderNamed(t testing.TB, name string) Header {
	t.Helper()
	for _, h := range Headers {
		if h.Name == name {
			return h
		}
	}
	t.Fatalf("ctest: no header %q in ctest.Headers", name)
	return Header{}
}

// Flags returns the compiler flags (-I...) the header needs. A missing
// pkg-config module fails the test, naming the package to install. With a
// Debian cross compiler (CC=aarch64-linux-gnu-gcc), the modules are the
// target's, from its multiarch directory, as Debian's
// aarch64-linux-gnu-pkg-config gives them (unless PKG_CONFIG_LIBDIR is
// set): the host's would name the host's include directories.
func (h Header) Flags(t testing.TB) []string {
	t.Helper()
	if h.PkgConfig == "" {
		return nil
	}
	cmd := exec.Command("pkg-config", "--cflags", h.PkgConfig)
	if dir := crossPkgConfigDir(CC()); dir != "" && os.Getenv("PKG_CONFIG_LIBDIR") == "" {
		cmd.Env = append(os.Environ(), "PKG_CONFIG_LIBDIR="+dir+":/usr/share/pkgconfig")
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pkg-config --cflags %s: %v: %s\ninstall the Debian package %s (apt-get install %s)", h.PkgConfig, err, out, h.Package, h.Package)
	}
	return strings.Fields(string(out))
}

// crossPkgConfigDir returns the multiarch pkg-config directory of the
// target of cc when cc is a cross compiler named <triplet>-gcc whose
// triplet has one (/usr/lib/aarch64-linux-gnu/pkgconfig), else "".
func crossPkgConfigDir(cc string) string {
	triplet, ok := strings.CutSuffix(filepath.Base(cc), "-gcc")
	if !ok || strings.Count(triplet, "-") < 2 {
		return ""
	}
	dir := "/usr/lib/" + triplet + "/pkgconfig"
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return ""
	}
	return dir
}

// Preprocess runs the system C compiler's preprocessor on the header with
// the given mode flags ("-P" for declarations only, "-dD" to keep the
// #define lines) and returns its output. A missing header fails the test
// loudly, naming the Debian package that provides it.
func (h Header) Preprocess(t testing.TB, mode ...string) string {
	t.Helper()
	return h.PreprocessAfter(t, "", mode...)
}

// PreprocessAfter is Preprocess with the C text prelude (other #include
// lines, say) placed before the header's #include.
func (h Header) PreprocessAfter(t testing.TB, prelude string, mode ...string) string {
	t.Helper()
	args := append([]string{"-E"}, mode...)
	args = append(args, h.Flags(t)...)
	args = append(args, "-")
	cmd := exec.Command(CC(), args...)
	cmd.Stdin = strings.NewReader(fmt.Sprintf("%s\n#include <%s>\n", prelude, h.Name))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("preprocessing <%s> with %s %s: %v\n%s\nthe header is missing: install the Debian package %s (apt-get install %s)",
			h.Name, CC(), strings.Join(args, " "), err, stderr.String(), h.Package, h.Package)
	}
	return string(out)
}
