#!/usr/bin/env bash
# The GUI soak: back-to-back tiny sweeps (attention d_model 16 x seq_len 16, eager, the core's quick settings) through
# the real compilescope-worker, in one offscreen GUI process (ui_tests' hidden "[soak]" test). Prints the sweeps, the
# time, resident memory after the warm-up (a tenth of the sweeps) and at the end, threads, file descriptors and child
# processes; exits non-zero on growth of 5% or more, or on any leak.
#   SWEEPS=200 bench/soak_gui.sh [BUILD_DIR]
set -uo pipefail
build=${1:-build}
export COMPILESCOPE_SOAK_SWEEPS=${SWEEPS:-200}
export QT_QPA_PLATFORM=offscreen
log=$(mktemp /tmp/compilescope-soak.XXXXXX)
trap 'rm -f "$log"' EXIT
echo "GUI soak: $COMPILESCOPE_SOAK_SWEEPS sweeps, $build/bin/ui_tests, $(nproc) cores, $(uname -sr)"
"$build/bin/ui_tests" "[soak]" >"$log" 2>&1
status=$?
grep -E "^soak:" "$log"
if [[ $status -ne 0 ]]; then
    grep -vE "^soak:" "$log" | tail -40
    echo "GUI soak FAILED (exit $status)"
else
    echo "GUI soak passed"
fi
exit "$status"
