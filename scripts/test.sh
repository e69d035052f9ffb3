#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite with ctest:
# the normal build, the libFuzzer targets for a bounded time (clang), the
# concurrent paths under ThreadSanitizer, then the whole suite again under
# AddressSanitizer + UBSan.
# usage: scripts/test.sh [--no-sanitize | --sanitize-only]
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-all}

scripts/deps.sh test
jobs=$(nproc 2>/dev/null || echo 2)
status=0

run_suite() {  # build-dir cmake-args...
  local dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs" >/dev/null
  (cd "$dir" && ctest --output-on-failure --no-tests=error -j "$jobs") || status=1
}

if [ "$mode" != --sanitize-only ]; then
  echo "== test suite (build/)"
  run_suite build
fi
if [ "$mode" = all ]; then
  echo "== fuzz targets (build-fuzz/, clang + libFuzzer)"
  CC=clang cmake -S . -B build-fuzz -DLANDCONS_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build-fuzz -j "$jobs" --target fuzz_register fuzz_geometry >/dev/null
  (cd build-fuzz && ctest -L fuzz --output-on-failure --no-tests=error -j "$jobs") || status=1
fi
if [ "$mode" != --no-sanitize ]; then
  echo "== concurrent paths under ThreadSanitizer (build-tsan/)"
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON -DLANDCONS_TSAN=ON >/dev/null
  cmake --build build-tsan -j "$jobs" --target landcons_cli test_adjacency test_closing >/dev/null
  (cd build-tsan && ctest -L tsan --output-on-failure --no-tests=error -j "$jobs") || status=1
fi
if [ "$mode" != --no-sanitize ]; then
  echo "== test suite under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite build-asan -DLANDCONS_SANITIZE=ON
fi
exit $status
