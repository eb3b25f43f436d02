#!/usr/bin/env bash
# The GPU benchmark, run ON THE GPU SERVER from the repository root, after bench/gpu/stage-deps.sh has copied the
# header-only dependencies into .third_party/ where the Debian packages are (the server has no apt, no network).
#
#   bench/gpu/run.sh build         configure + build core, CLI and core tests against the server's pip LibTorch,
#                                  run the tests on CUDA, print env and list
#   bench/gpu/run.sh race PRESET [WORKLOAD]
#                                  the race on one GPU in one sweep: every C++ variant and the Python ones (Python
#                                  eager, torch.compile default and reduce-overhead; RACE_FLAGS='--py-adamw fused'
#                                  for the fused AdamW) cell by cell, then the table of bench/race_table.py;
#                                  WORKLOAD: attention, transformer_lm or all (default)
#   bench/gpu/run.sh sweep ARGS... one compilescope-cli run on CUDA with extra flags (e.g. --dtype bf16)
#   bench/gpu/run.sh export PRESET the AOTInductor packages of a preset's grid on CUDA, timed (export-aoti)
#
# AOTInductor packages go to ${AOTI_CACHE:-.aoti-cache-gpu} (git-ignored). Inductor compiles them with $CXX; this
# image sets CXX=/opt/gcc/bin/g++, whose model libraries carry a static libstdc++ that crashes on load (std::regex,
# docs/aoti.md), so the commands below run with CXX=${AOTI_CXX:-/usr/bin/g++}.
#
# Everything lands in ${RESULTS:-results}: logs, the runs' JSON and Markdown, race-PRESET.md.
set -uo pipefail
out=${RESULTS:-results}
mkdir -p "$out"
build=${BUILD_DIR:-build-gpu}
cli="$build/bin/compilescope-cli"
variants=eager,torchscript,fused-sdpa,cuda-graph,cuda-graph+fused-sdpa,cuda-graph+torchscript+fused-sdpa
read -r -a race_flags <<< "${RACE_FLAGS:-}"
# CUDA events keep GPU-bound cells quiet, so a cell needs far less than the desktop default of 0.5 s to reach 1 %;
# host-bound ones (launch jitter, CV 10-40 %) stop at 300 iterations instead of chasing 1 % for seconds.
timing=(--min-time 0.1 --max-time 2 --max-iters 300 --warmup 3)
aoti_cache=${AOTI_CACHE:-$PWD/.aoti-cache-gpu}
with_cxx=(env CXX="${AOTI_CXX:-/usr/bin/g++}")

stage_build() {
    local start
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' \
        | tee "$out/torch.txt"
    start=$(date +%s)
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOMPILESCOPE_BUILD_GUI=OFF \
        -DCOMPILESCOPE_PYTHON="$(command -v python3)" -DCOMPILESCOPE_THIRD_PARTY_DIR="$PWD/.third_party" > "$out/configure.log" 2>&1 \
        || { tail -40 "$out/configure.log"; return 1; }
    cmake --build "$build" -j "$(nproc)" > "$out/build.log" 2>&1 \
        || { grep -B2 -A12 "error" "$out/build.log" | head -120; return 1; }
    echo "configure + build: $(( $(date +%s) - start )) s"
    start=$(date +%s)
    (cd "$build" && "${with_cxx[@]}" ctest --output-on-failure -j 4) > "$out/ctest.log" 2>&1
    local status=$?
    echo "ctest exit $status in $(( $(date +%s) - start )) s"
    grep -E "tests passed|tests failed|\*\*\*Failed|Failed  " "$out/ctest.log" | head -20
    "$cli" env | tee "$out/env.txt"
    "$cli" list | tee "$out/list.txt"
    return $status
}

stage_race() {
    local preset=$1 workload=${2:-all} name start
    name=$preset$([ "$workload" = all ] || echo "-$workload")
    start=$(date +%s)
    # One sweep: every C++ variant and the Python ones (py-eager, torch-compile, torch-compile-ro) cell by cell, on the
    # same tensors, checked against C++ eager.
    "${with_cxx[@]}" "$cli" run --preset "$preset" --workload "$workload" --device cuda --variants all "${timing[@]}" \
        --aoti-cache "$aoti_cache" "${race_flags[@]}" \
        --json "$out/race-$name.json" --markdown "$out/race-$name-report.md" > "$out/race-$name.log" 2>&1
    echo "race $name sweep: exit $? in $(( $(date +%s) - start )) s"
    tail -3 "$out/race-$name.log"
    python3 bench/race_table.py "$out/race-$name.json" --command "bench/gpu/run.sh race $preset $workload" \
        > "$out/race-$name.md"
    echo "race table: $out/race-$name.md"
}

stage_sweep() {
    local name start
    name=$(echo "$*" | tr -c 'a-zA-Z0-9\n' '_' | tr -s '_' | sed 's/^_//; s/_$//')
    start=$(date +%s)
    "$cli" run --device cuda --variants "$variants" "${timing[@]}" "$@" \
        --json "$out/sweep-$name.json" --markdown "$out/sweep-$name.md" > "$out/sweep-$name.log" 2>&1
    echo "sweep $*: exit $? in $(( $(date +%s) - start )) s"
    tail -3 "$out/sweep-$name.log"
}

stage_export() {
    local preset=$1 start
    start=$(date +%s)
    "${with_cxx[@]}" "$cli" export-aoti --preset "$preset" --device cuda --aoti-cache "$aoti_cache" \
        > "$out/export-$preset.txt" 2> "$out/export-$preset.log"
    echo "export-aoti $preset: exit $? in $(( $(date +%s) - start )) s"
    grep -c "exported in" "$out/export-$preset.txt"
    grep -v "exported in\|in the cache\|^    /" "$out/export-$preset.txt" | head -20
}

case "${1:-}" in
build) stage_build ;;
race) stage_race "${2:?race needs a preset, e.g. seed}" "${3:-all}" ;;
sweep) shift; stage_sweep "$@" ;;
export) stage_export "${2:?export needs a preset, e.g. seed}" ;;
*) sed -n '2,20p' "$0"; exit 2 ;;
esac
