#!/usr/bin/env bash
# windows/amd64 under wine: installs wine and the MinGW cross compiler,
# prepares a wine prefix (with the ProcessPrng shim that Go needs and wine
# 8.0 lacks), cross-compiles every package's tests with GOOS=windows and
# runs them under wine. C fixtures are compiled into DLLs by
# x86_64-w64-mingw32-gcc through a compile agent (internal/ctest/ccagent),
# because a Windows test binary under wine cannot start the Linux compiler.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
export GOFLAGS="${GOFLAGS:-} -mod=mod"
start=$(date +%s)

step() { printf '\n=== windows: %s (%s)\n' "$*" "$(date +%T)"; }

step "install wine and MinGW"
if command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  if ! command -v wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null; then
    apt-get update -qq
    apt-get install -y -qq wine wine64 gcc-mingw-w64-x86-64 >/dev/null
  fi
fi
wine --version
x86_64-w64-mingw32-gcc --version | head -1

work=$(mktemp -d /tmp/ffi-windows.XXXXXX)
agent_pid=
cleanup() {
  if [ -n "$agent_pid" ]; then kill "$agent_pid" 2>/dev/null || true; fi
  WINEPREFIX="$work/prefix" wineserver -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step "wine prefix and the ProcessPrng shim (wine only; see .ci/wine/processprng.c)"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine wineboot -i >/dev/null 2>&1 || true
wineserver -w
x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" \
  .ci/wine/processprng.c .ci/wine/processprng.def -ladvapi32
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"

step "compile agent for the C fixtures (x86_64-w64-mingw32-gcc)"
mkdir "$work/agent"
go build -o "$work/ccagent" ./internal/ctest/ccagent
"$work/ccagent" -dir "$work/agent" -cc x86_64-w64-mingw32-gcc &
agent_pid=$!
# The test binaries see the agent's directory through wine's Z: drive.
export FFI_CTEST_AGENT="Z:$(printf '%s' "$work/agent" | tr / '\\')"

step "build test binaries (GOOS=windows GOARCH=amd64 CGO_ENABLED=0)"
# WINDOWS_PKGS (import paths) limits the run to those packages.
pkgs=${WINDOWS_PKGS:-$(GOOS=windows GOARCH=amd64 go list -f '{{if or .TestGoFiles .XTestGoFiles}}{{.ImportPath}}{{end}}' ./...)}
for p in $pkgs; do
  name=$(printf '%s' "${p#github.com/seed5ca82032/}" | tr / _)
  GOOS=windows GOARCH=amd64 CGO_ENABLED=0 go test -c -o "$work/$name.test.exe" "$p"
done

step "run them under wine"
# -test.short: the stress tests (millions of callbacks and calls, 16 C
# threads x 100,000 calls) run at full size natively in .ci/run; under wine
# they run at their short sizes. TestConformance checks 1,000 signatures
# against MinGW (TestConformanceWide its own 500).
export FFI_CONFORMANCE_N="${FFI_CONFORMANCE_N:-1000}"
flags="${WINE_TEST_FLAGS:--test.short}"
failed=0
for p in $pkgs; do
  name=$(printf '%s' "${p#github.com/seed5ca82032/}" | tr / _)
  dir=$(go list -f '{{.Dir}}' "$p")
  t0=$(date +%s)
  # Each binary runs in its package directory, as go test does.
  if (cd "$dir" && wine "$work/$name.test.exe" -test.count=1 $flags >"$work/$name.log" 2>&1); then
    echo "ok   $p ($(( $(date +%s) - t0 )) s, under wine)"
  else
    echo "FAIL $p ($(( $(date +%s) - t0 )) s, under wine)"
    cat "$work/$name.log"
    failed=1
  fi
done
# Every benchmark once, as natively (their results are checked).
for p in $pkgs; do
  [ "$p" = github.com/seed5ca82032/ffi/benchmarks ] || continue
  if (cd "$(go list -f '{{.Dir}}' "$p")" && wine "$work/ffi_benchmarks.test.exe" -test.run='^$' -test.bench=. -test.benchtime=1x >"$work/bench.log" 2>&1); then
    echo "ok   $p benchmarks, once each (under wine)"
  else
    echo "FAIL $p benchmarks, once each (under wine)"
    cat "$work/bench.log"
    failed=1
  fi
done
echo "windows/amd64 under wine: $(( $(date +%s) - start )) s in all"
exit $failed
