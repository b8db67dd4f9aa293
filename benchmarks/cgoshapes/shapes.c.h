// The C functions of the bound-call shape benchmarks; benchmarks/shapes.go
// holds the same text for the shared library the ffi and purego rows load.
#include <stdio.h>
struct vec { double x, y; };
struct big3 { long a, b, c; };
SHAPES_STATIC double mixed6(int a, double b, void *p, long long c, float d, int e) {
	return a + b + (p != 0) + c + d + e;
}
SHAPES_STATIC long args10(long a, long b, long c, long d, long e, long f, long g, long h, double x, double y) {
	return a + b + c + d + e + f + g + h + (long)x + (long)y;
}
SHAPES_STATIC struct vec vadd(struct vec a, struct vec b) {
	struct vec r = {a.x + b.x, a.y + b.y};
	return r;
}
SHAPES_STATIC struct big3 make3(long x) {
	struct big3 r = {x, x + 1, x + 2};
	return r;
}
SHAPES_STATIC int fmt2(char *buf, size_t n, const char *format, int a, int b) {
	return snprintf(buf, n, format, a, b);
}
