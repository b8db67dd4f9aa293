//go:build !(amd64 && (linux || darwin || freebsd || netbsd || windows)) && !(arm64 && (linux || darwin))

package downcall

// CallLeaf panics like Call.
func CallLeaf(f *Frame, name *string) {
	Call(f)
}
