package benchmarks

import "runtime"

// libmName is the C library that exports hypot on the target, and
// hypotName its name there: a Windows program has msvcrt.dll (the C
// library MinGW code uses), which exports it as _hypot (wine's has no
// other name); macOS has libSystem.
var libmName, hypotName = func() (string, string) {
	switch runtime.GOOS {
	case "windows":
		return "msvcrt.dll", "_hypot"
	case "darwin":
		return "libSystem.B.dylib", "hypot"
	}
	return "libm.so.6", "hypot"
}()
