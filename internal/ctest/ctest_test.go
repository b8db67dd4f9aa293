package ctest

import (
	"slices"
	"testing"
)

func TestSuffixes(t *testing.T) {
	for _, c := range []struct{ goos, lib, exe string }{
		{"linux", ".so", ""},
		{"darwin", ".dylib", ""},
		{"windows", ".dll", ".exe"},
		{"freebsd", ".so", ""},
	} {
		if lib, exe := suffixes(c.goos); lib != c.lib || exe != c.exe {
			t.Errorf("suffixes(%s) = %q %q, want %q %q", c.goos, lib, exe, c.lib, c.exe)
		}
	}
}

func TestCommandWrapper(t *testing.T) {
	for _, c := range []struct {
		env  string
		want []string
	}{
		{"", []string{"/bin/prog", "-x", "y"}},
		{"qemu-aarch64", []string{"qemu-aarch64", "/bin/prog", "-x", "y"}},
		{" qemu-aarch64  -L /usr/aarch64-linux-gnu ", []string{"qemu-aarch64", "-L", "/usr/aarch64-linux-gnu", "/bin/prog", "-x", "y"}},
	} {
		t.Setenv(ExecEnv, c.env)
		if got := Command("/bin/prog", "-x", "y").Args; !slices.Equal(got, c.want) {
			t.Errorf("%s=%q: args %q, want %q", ExecEnv, c.env, got, c.want)
		}
	}
}

// TestCharSigned checks the compiler's answer against a program it
// compiles and runs: (char)-1 < 0 exactly when plain char is signed.
func TestCharSigned(t *testing.T) {
	want := CharSigned(t)
	exe := Program(t, "int main(void) { return (char)-1 < 0 ? 3 : 4; }")
	err := Command(exe).Run()
	code := 0
	if err != nil {
		ee, ok := err.(interface{ ExitCode() int })
		if !ok {
			t.Fatal(err)
		}
		code = ee.ExitCode()
	}
	if got := code == 3; code != 3 && code != 4 || got != want {
		t.Errorf("program exits %d; CharSigned says %v", code, want)
	}
}
