// Package threadkey makes the Go runtime keep the M of a thread that C
// created bound to it between callbacks (BindThreads: through runtime/cgo
// with cgo on, with a thread key of its own with cgo off), and makes C
// library thread keys with destructors for code that must act when a
// thread exits (NewKey).
package threadkey
