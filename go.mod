module github.com/seed5ca82032/ffi

go 1.25.0

require (
	github.com/ebitengine/purego v0.11.3
	golang.org/x/arch v0.22.0
	golang.org/x/sys v0.40.0
)
