#!/usr/bin/env bash
# linux/arm64 under emulation: cross-compiles the test binary of every
# package for linux/arm64, once with CGO_ENABLED=0 and once with
# CGO_ENABLED=1 (cgo through the aarch64 cross compiler), and runs them all
# with qemu-user, nothing skipped (-short only makes the stress tests
# smaller). The C fixtures the tests compile at run time are built by the
# cross compiler ($CC) and loaded into the emulated process; programs the
# tests run (C programs, and the test binary itself in helper mode) go
# through qemu too ($FFI_TEST_EXEC, see internal/ctest). The arm64 libc
# and the libraries the header tests load (zlib, SQLite, expat, curl,
# libxml2, GLib), with their headers, come from Debian's arm64 packages
# (multiarch), so the dynamic loader finds them where it would on an arm64
# machine and the headers are preprocessed with the target's include
# directories (the target's pkg-config files: see ctest.Header.Flags).
# Measured: 7m44s wall on a 2-core machine shared with other jobs, packages
# already installed (4m05s user, 26s sys); 500 conformance signatures per
# cgo mode.
#
# Run alone: sudo .ci/arm64.sh (Debian/Ubuntu, as root for apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -mod=mod"

step() { printf '\n=== %s (%s)\n' "$*" "$(date +%T)"; }
start=$(date +%s)

step "install qemu-user, the aarch64 cross compiler, and the arm64 libraries the tests load"
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  dpkg --add-architecture arm64
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends qemu-user gcc-aarch64-linux-gnu libc6-dev-arm64-cross \
    libc6:arm64 zlib1g-dev:arm64 libsqlite3-dev:arm64 libexpat1-dev:arm64 libcurl4-openssl-dev:arm64 \
    libxml2-dev:arm64 libglib2.0-dev:arm64 >/dev/null
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
    args=(-test.short -test.count=1 -test.timeout=15m -test.v)
    if [ "$pkg" = "$(go list .)" ]; then
      args+=(-conformance.n=$conformance_n)
    fi
    env=()
    if [ "${pkg##*/}" = downcall ] || [ "${pkg##*/}" = bindcall ]; then
      # Their escape tests run the host's go build: report the arm64 build.
      env=(CGO_ENABLED=$cgo GOARCH=arm64)
    fi
    # Verbose into a log: on failure the log without the passing tests'
    # lines, else the summary and how many conformance signatures ran.
    log="$out/$cgo/$(printf '%s' "$pkg" | tr / _).log"
    if ! (cd "$(go list -f '{{.Dir}}' "$pkg")" && env "${env[@]}" qemu-aarch64 "$bin" "${args[@]}") >"$log" 2>&1; then
      grep -v -E '^ *(=== (RUN|PAUSE|CONT|NAME)|--- PASS)' "$log"
      exit 1
    fi
    if grep -E -- '--- SKIP' "$log"; then
      echo "tests were skipped on linux/arm64"
      exit 1
    fi
    grep -E -o 'conformance: [0-9]+ signatures.*|^(PASS|ok).*' "$log" | sed 's/^/  /' || true
  done

  step "CGO_ENABLED=$cgo every benchmark once under qemu (results checked, no timing judged)"
  bin="$out/$cgo/$(go list ./benchmarks | tr / _).test"
  if ! (cd benchmarks && qemu-aarch64 "$bin" -test.run='^$' -test.bench=. -test.benchtime=1x) >"$out/bench.log" 2>&1; then
    cat "$out/bench.log"
    exit 1
  fi
  grep -E '^(PASS|ok)' "$out/bench.log" | sed 's/^/  /' || true
done
echo "linux/arm64 under qemu: every package passed with cgo off and on in $(( $(date +%s) - start )) s"
