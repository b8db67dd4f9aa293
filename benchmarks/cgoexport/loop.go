//go:build cgo

// Package cgoexport is the cgo reference point for callback benchmarks: C
// loops calling Go functions exported with //export, the way cgo programs
// hand Go code to C.
package cgoexport

/*
int goAddII(int, int);
double goAddDD(double, double);

static long loopII(int n) {
	long s = 0;
	for (int i = 0; i < n; i++) s += goAddII(i, 1);
	return s;
}

static double loopDD(int n) {
	double s = 0;
	for (int i = 0; i < n; i++) s += goAddDD((double)i, 0.5);
	return s;
}
*/
import "C"

// LoopII calls the exported int goAddII(int, int) n times from C and
// returns the sum of the results.
func LoopII(n int) int64 { return int64(C.loopII(C.int(n))) }

// LoopDD calls the exported double goAddDD(double, double) n times from C
// and returns the sum of the results.
func LoopDD(n int) float64 { return float64(C.loopDD(C.int(n))) }
