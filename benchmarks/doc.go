// Package benchmarks compares this module with cgo and purego, side by side
// in one run: C calling Go (BenchmarkCallback*: a C loop calling a callback
// through a function pointer; cgo's row is a C loop calling a //export
// function) and Go calling C (BenchmarkAdd, BenchmarkHypot, BenchmarkMixed6;
// the ffiBindLeaf rows bind with ffi.Leaf).
//
//	go test -run '^$' -bench . -count 5 ./benchmarks | tee new.txt
//	go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da new.txt
//
// The cgo rows exist only when CGO_ENABLED=1 (packages cgocall and
// cgoexport are cgo-only).
package benchmarks
