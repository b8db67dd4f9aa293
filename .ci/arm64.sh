#!/usr/bin/env bash
# linux/arm64 under emulation: cross-compiles the test binary of every
# package for linux/arm64, once with CGO_ENABLED=0 and once with
# CGO_ENABLED=1 (cgo through the aarch64 cross compiler), and runs them all
# with qemu-user, nothing skipped (-short only makes the stress tests
# smaller). The C fixtures the tests compile at run time are built by the
# cross compiler ($CC) and loaded into the emulated process; programs the
# tests run (C programs, and the test binary itself in helper mode) go
# through qemu too ($FFI_TEST_EXEC, see internal/ctest). The arm64 libc,
# zlib and SQLite come from Debian's arm64 packages (multiarch), so the
# dynamic loader finds them where it would on an arm64 machine. Measured:
# 19m23s wall on a 2-core machine shared with other jobs (load ~20), of
# which 3m12s CPU (user+sys, compilers and qemu included).
#
# Run alone: sudo .ci/arm64.sh (Debian/Ubuntu, as root for apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -mod=mod"

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)"; }
start=$(date +%s)

step "install qemu-user, the aarch64 cross compiler, and arm64 libc, zlib and SQLite"
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  dpkg --add-architecture arm64
  apt-get update -qq
  apt-get install -y -qq qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
    libc6:arm64 zlib1g:arm64 libsqlite3-0:arm64 >/dev/null
fi
qemu-aarch64 --version | head -1
aarch64-linux-gnu-gcc --version | head -1

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export CC=aarch64-linux-gnu-gcc
export FFI_TEST_EXEC=qemu-aarch64
# At least 500 generated signatures per run, in both directions.
conformance_n=500

for cgo in 0 1; do
  step "build the arm64 test binaries (CGO_ENABLED=$cgo)"
  mkdir -p "$out/$cgo"
  # One binary per package with tests, named after its import path (two
  # packages may share a name: cmd/ffigen and internal/ffigen).
  pkgs=$(go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./...)
  for pkg in $pkgs; do
    CGO_ENABLED=$cgo GOOS=linux GOARCH=arm64 go test -c -o "$out/$cgo/$(printf '%s' "$pkg" | tr / _).test" "$pkg"
  done

  for pkg in $pkgs; do
    bin="$out/$cgo/$(printf '%s' "$pkg" | tr / _).test"
    step "CGO_ENABLED=$cgo $pkg under qemu"
    args=(-test.short -test.count=1 -test.timeout=15m)
    if [ "$pkg" = "$(go list .)" ]; then
      # The one test that cannot run here: qemu-user refuses
      # prctl(PR_SET_MDWE) (EINVAL), and qemu itself cannot run under that
      # policy (its code buffer needs mprotect to executable).
      args+=(-conformance.n=$conformance_n -test.skip '^TestMemoryDenyWriteExecute$')
    fi
    env=()
    if [ "${pkg##*/}" = downcall ] || [ "${pkg##*/}" = bindcall ]; then
      # Their escape tests run the host's go build: report the arm64 build.
      env=(CGO_ENABLED=$cgo GOARCH=arm64)
    fi
    (cd "$(go list -f '{{.Dir}}' "$pkg")" && env "${env[@]}" qemu-aarch64 "$bin" "${args[@]}")
  done
done
echo "linux/arm64 under qemu: every package passed with cgo off and on in $(( $(date +%s) - start )) s"
