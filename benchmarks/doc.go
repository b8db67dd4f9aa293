// Package benchmarks compares calling C from Go through this module with
// cgo and purego, side by side in one run:
//
//	go test -run '^$' -bench . -count 5 ./benchmarks | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da new.txt
//
// The cgo rows exist only when CGO_ENABLED=1 (package cgocall is cgo-only).
package benchmarks
