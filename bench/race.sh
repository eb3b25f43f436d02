#!/usr/bin/env bash
# The race in one command: every variant this build can run (C++ and Python: eager, TorchScript, fused SDPA, CUDA
# graphs, Python eager, torch.compile) on one grid, in one sweep, then the race table (bench/race_table.py).
#
#   bench/race.sh cpu [FLAGS...]    the CPU grid below; writes docs/results/cpu-race.{md,json} and
#                                   docs/results/cpu-race-report.md (the full report of the same run)
#   bench/race.sh cuda [FLAGS...]   the seed grid on CUDA; writes into ${RESULTS:-results}/
#
# Extra FLAGS go to `compilescope-cli run` after the defaults (e.g. --d-model 64 --py-adamw fused).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cli="$build/bin/compilescope-cli"
device=${1:?usage: bench/race.sh cpu|cuda [FLAGS...]}
shift

case "$device" in
cpu)
    out=docs/results
    name=cpu-race
    # Seq_len stops at 2048: a 4096 cell takes seconds per iteration per variant on two cores. One thread, as
    # LibTorch and torch default to on this VM, set explicitly so C++ and Python surely match.
    grid=(--preset seed --d-model 32,128 --seq-len 256,1024,2048 --threads 1
          --warmup 2 --min-time 0.3 --max-time 3 --max-iters 200)
    ;;
cuda)
    out=${RESULTS:-results}
    name=cuda-race
    grid=(--preset seed --device cuda --warmup 3 --min-time 0.1 --max-time 2 --max-iters 300)
    ;;
*)
    echo "usage: bench/race.sh cpu|cuda [FLAGS...]" >&2
    exit 2
    ;;
esac
mkdir -p "$out"
[ -x "$cli" ] || cmake --build "$build" --target compilescope-cli
start=$(date +%s)
"$cli" run "${grid[@]}" --device "$device" --variants all "$@" \
    --json "$out/$name.json" --markdown "$out/$name-report.md"
echo "sweep: $(( $(date +%s) - start )) s" >&2
python3 bench/race_table.py "$out/$name.json" --command "bench/race.sh $device $*" > "$out/$name.md"
echo "race table: $out/$name.md" >&2
