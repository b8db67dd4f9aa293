//go:build cgo

// Package cgoexport is the cgo reference point for callback benchmarks: C
// loops calling Go functions exported with //export, the way cgo programs
// hand Go code to C.
package cgoexport

/*
#cgo LDFLAGS: -lpthread
#include <pthread.h>
#include "vec.h"
int goAddII(int, int);
double goAddDD(double, double);
struct vec goVec(struct vec);
long goMixed8(int, double, long, float, char, short, char *, unsigned);
long goLong12(long, long, long, long, long, long, long, long, long, long, long, long);

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
static double loopVec(int n) {
	struct vec v = {0, 0.5};
	for (int i = 0; i < n; i++) v = goVec(v);
	return v.x + v.y;
}

static long loopMixed8(int n) {
	long s = 0;
	for (int i = 0; i < n; i++) s += goMixed8(i, 0.5, 2, 1.5f, 3, -4, (char *)16, 5u);
	return s;
}

static long loopLong12(int n) {
	long s = 0;
	for (int i = 0; i < n; i++) s += goLong12(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
	return s;
}

struct threadLoop { int n; long sum; };
static void *threadMain(void *p) {
	struct threadLoop *l = p;
	for (int i = 0; i < l->n; i++) l->sum += goAddII(i, 1);
	return 0;
}
static long loopThreadII(int n) {
	struct threadLoop l = {n, 0};
	pthread_t t;
	if (pthread_create(&t, 0, threadMain, &l) != 0) return -1;
	pthread_join(t, 0);
	return l.sum;
}
*/
import "C"

// LoopII calls the exported int goAddII(int, int) n times from C and
// returns the sum of the results.
func LoopII(n int) int64 { return int64(C.loopII(C.int(n))) }

// LoopDD calls the exported double goAddDD(double, double) n times from C
// and returns the sum of the results.
func LoopDD(n int) float64 { return float64(C.loopDD(C.int(n))) }

// LoopVec calls the exported struct vec goVec(struct vec) n times from C,
// feeding each result back, and returns x + y of the last.
func LoopVec(n int) float64 { return float64(C.loopVec(C.int(n))) }

// LoopMixed8 calls the exported goMixed8 (eight mixed parameters) n times
// from C and returns the sum of the results.
func LoopMixed8(n int) int64 { return int64(C.loopMixed8(C.int(n))) }

// LoopLong12 calls the exported goLong12 (twelve long parameters) n times
// from C and returns the sum of the results.
func LoopLong12(n int) int64 { return int64(C.loopLong12(C.int(n))) }

// LoopThreadII calls goAddII n times from a thread that C creates and
// returns the sum of the results.
func LoopThreadII(n int) int64 { return int64(C.loopThreadII(C.int(n))) }
