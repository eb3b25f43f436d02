#!/usr/bin/env bash
# The reliability tests under AddressSanitizer + UndefinedBehaviorSanitizer: the run-file and argument fuzzers, bad
# input, file writes, stop signals, resume, and the GUI's file, fault and cancel tests, in a build made with
# COMPILESCOPE_SANITIZE (-fsanitize=address,undefined). LibTorch itself is not instrumented.
# Usage: tools/sanitize.sh   (SANITIZE_BUILD_DIR=build-asan by default; .ci/run runs it after the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${SANITIZE_BUILD_DIR:-build-asan}
python=$(tools/python-env.sh)

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCOMPILESCOPE_SANITIZE=ON \
    -DCOMPILESCOPE_PYTHON="$python" > /dev/null
cmake --build "$build_dir" -j "$(nproc)" --target core_tests cli_tests compilescope-cli compilescope-worker ui_tests

# Leak checking is off: LibTorch (not instrumented) keeps process-lifetime allocations (thread pools, registries)
# that LeakSanitizer reports at exit without a frame of ours. Every other finding stops the test at once.
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export QT_QPA_PLATFORM=offscreen

"$build_dir/bin/core_tests" "[fuzz],[file_io],[failpoints],[journal],[run_validation],[validation],[utf8],[stream]"
"$build_dir/bin/cli_tests" "[bad-input],[flags],[fuzz],[faults],[signal],[resume],[report],[robustness]"
"$build_dir/bin/ui_tests" "[open],[fault],[cancel],[journal],[large_run]"
echo "sanitize: every selected test passed under ASan+UBSan"
