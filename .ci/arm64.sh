#!/usr/bin/env bash
# linux/arm64 under emulation: cross-compiles the test binaries with
# CGO_ENABLED=0, and runs them with qemu-user; the C fixtures the tests
# compile at run time are built by the aarch64 cross compiler ($CC) and run
# against the arm64 libc in /usr/aarch64-linux-gnu. Runs in about a minute
# on the 2-core CI machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -mod=mod"

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)"; }

step "install qemu-user and the aarch64 cross toolchain"
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross >/dev/null
fi
qemu-aarch64 --version | head -1
aarch64-linux-gnu-gcc --version | head -1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export CC=aarch64-linux-gnu-gcc
run() { # run <test binary> <go test flags...>
  qemu-aarch64 -L /usr/aarch64-linux-gnu "$@"
}

step "build the arm64 test binaries (CGO_ENABLED=0)"
CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go test -c -o "$out/ffi.test" .
for name in a64 mcode gateway downcall leaf; do
  CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go test -c -o "$out/$name.test" "./internal/$name"
done

step "encoder, executable memory and gateway packages"
for name in a64 mcode gateway leaf; do
  (cd "internal/$name" && run "$out/$name.test" -test.short -test.count=1)
done

step "downcall package"
# TestFastFramesStayOnStack runs `go build -gcflags=-m` (the host's go): the
# environment makes it report the arm64 build.
(cd internal/downcall && CGO_ENABLED=0 GOARCH=arm64 run "$out/downcall.test" -test.short -test.count=1)

step "callbacks: the agreed subset (root package, -short)"
callback_tests='^(TestFrameLayout|TestFastPathWorks|TestCallbackSignatures|TestCallbackResultWidening|TestQsortBsearch|TestSetAndFree|TestMillionCallbacks|TestCallbacksFromCThreads|TestNewCallbackErrors)$'
run "$out/ffi.test" -test.short -test.count=1 -test.v -test.run "$callback_tests" | grep -E '^(--- |ok|PASS|FAIL)'

step "the rest of the root package (-short), 500 conformance signatures"
# Not run here, and why:
#   TestZlib, TestSQLite: no arm64 zlib/SQLite in /usr/aarch64-linux-gnu.
#   TestSizeofMatchesCC, TestMemoryDenyWriteExecute, TestStalePointerEndsProcess,
#   TestPanicOnCThreadEndsProcess, TestLeafCallbackEndsProcess: they exec an arm64 program or the test
#   binary itself, which needs qemu registered with binfmt_misc.
#   TestBindScalars and TestLeafSignatures/Scalars (run apart, below; widen_char), TestConformanceWide (char parameters):
#   expect plain char to be signed; it is unsigned on arm64 Linux.
#   TestBindStructVec2: expects Go's rounding of a*b-c*d; gcc -O2 on arm64
#   fuses it into fmsub.
skip='^(TestZlib|TestSQLite|TestSizeofMatchesCC|TestMemoryDenyWriteExecute|TestStalePointerEndsProcess|TestPanicOnCThreadEndsProcess|TestLeafCallbackEndsProcess|TestBindScalars|TestLeafSignatures|TestConformanceWide|TestBindStructVec2)$'
run "$out/ffi.test" -test.short -test.count=1 -test.skip "$skip|$callback_tests" -conformance.n=500
run "$out/ffi.test" -test.short -test.count=1 -test.run '^TestLeafSignatures$' -test.skip '^TestLeafSignatures$/^Scalars$'
echo "arm64 under qemu: done"
