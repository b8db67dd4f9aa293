// Test fixture for package downcall, compiled by the tests with cc.
#include <stdarg.h>
#include <stdint.h>

long weigh_longs(long a, long b, long c, long d, long e, long f, long g,
                 long h, long i, long j) {
	return a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 +
	       i * 9 + j * 10;
}

double weigh_doubles(double a, double b, double c, double d, double e,
                     double f, double g, double h, double i, double j,
                     double k) {
	return a * 1 + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8 +
	       i * 9 + j * 10 + k * 11;
}

// mixed: 7 integers and 9 doubles, so both register files overflow.
double mixed(int a, double b, long c, double d, short e, double f, long g,
             double h, long i, double k, long l, double m, double n,
             double o, double p, long q) {
	return a - b + c * 2 - d * 2 + e * 3 - f * 3 + g * 4 - h * 4 + i * 5 -
	       k * 5 + l * 6 - m * 6 + n * 7 - o * 7 + p * 8 - q * 8;
}

// stack_align returns the low four bits of the stack pointer at the call
// (rsp before the call instruction); n stack arguments precede it.
uintptr_t stack_align(long a, long b, long c, long d, long e, long f, ...) {
	return ((uintptr_t)__builtin_frame_address(0) + 16) & 15;
}

// sum_varargs adds n doubles passed as variadic arguments; al must be set.
double sum_varargs(int n, ...) {
	va_list ap;
	va_start(ap, n);
	double s = 0;
	for (int i = 0; i < n; i++) s += va_arg(ap, double) * (i + 1);
	va_end(ap);
	return s;
}

typedef struct { long a, b; } lpair;
typedef struct { double a, b; } dpair;

lpair make_lpair(long a, long b) { lpair p = {a * 3, b - 7}; return p; }
dpair make_dpair(double a, double b) { dpair p = {a / 4, b * 1.5}; return p; }

// The callback versions call back into Go before building the result.
lpair cb_lpair(long (*cb)(long), long x) {
	long r = cb(x);
	lpair p = {r + 1, r * 3};
	return p;
}

dpair cb_dpair(long (*cb)(long), double x) {
	long r = cb((long)x);
	dpair p = {r + 0.5, x * 2};
	return p;
}

int add(int a, int b) { return a + b; }
