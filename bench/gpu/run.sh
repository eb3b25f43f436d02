#!/usr/bin/env bash
# The GPU benchmark, run ON THE GPU SERVER from the repository root, after bench/gpu/stage-deps.sh has copied the
# header-only dependencies into .third_party/ where the Debian packages are (the server has no apt, no network).
#
#   bench/gpu/run.sh build         configure + build core, CLI and core tests against the server's pip LibTorch,
#                                  run the tests on CUDA, print env and list
#   bench/gpu/run.sh race PRESET [WORKLOAD]
#                                  the race on one GPU in one go: every C++ variant, then Python eager and
#                                  torch.compile (default, reduce-overhead) on the same shapes with the same timing,
#                                  then the side-by-side table (bench/gpu/race_table.py); WORKLOAD: attention,
#                                  transformer_lm or all (default)
#   bench/gpu/run.sh sweep ARGS... one compilescope-cli run on CUDA with extra flags (e.g. --dtype bf16)
#
# Everything lands in ${RESULTS:-results}: logs, the runs' JSON and Markdown, race-PRESET.md.
set -uo pipefail
out=${RESULTS:-results}
mkdir -p "$out"
build=${BUILD_DIR:-build-gpu}
cli="$build/bin/compilescope-cli"
variants=eager,torchscript,fused-sdpa,cuda-graph,cuda-graph+fused-sdpa,cuda-graph+torchscript+fused-sdpa
# CUDA events keep GPU-bound cells quiet, so a cell needs far less than the desktop default of 0.5 s to reach 1 %;
# host-bound ones (launch jitter, CV 10-40 %) stop at 300 iterations instead of chasing 1 % for seconds.
timing=(--min-time 0.1 --max-time 2 --max-iters 300 --warmup 3)

stage_build() {
    local prefix start
    prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
    python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' \
        | tee "$out/torch.txt"
    start=$(date +%s)
    cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOMPILESCOPE_BUILD_GUI=OFF \
        -DCMAKE_PREFIX_PATH="$prefix" -DCOMPILESCOPE_THIRD_PARTY_DIR="$PWD/.third_party" > "$out/configure.log" 2>&1 \
        || { tail -40 "$out/configure.log"; return 1; }
    cmake --build "$build" -j "$(nproc)" > "$out/build.log" 2>&1 \
        || { grep -B2 -A12 "error" "$out/build.log" | head -120; return 1; }
    echo "configure + build: $(( $(date +%s) - start )) s"
    start=$(date +%s)
    (cd "$build" && ctest --output-on-failure -j 4) > "$out/ctest.log" 2>&1
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
    "$cli" run --preset "$preset" --workload "$workload" --device cuda --variants "$variants" "${timing[@]}" \
        --json "$out/cpp-$name.json" --markdown "$out/cpp-$name.md" > "$out/cpp-$name.log" 2>&1
    echo "C++ $name sweep: exit $? in $(( $(date +%s) - start )) s"
    tail -3 "$out/cpp-$name.log"
    local extra=()
    if [ "$workload" != transformer_lm ]; then
        # In fp32 only the memory-efficient and math kernels take the inputs; auto picks memory-efficient, whose
        # backward recomputes the scores. The math kernel, for comparison, on the attention cells:
        "$cli" run --preset "$preset" --workload attention --device cuda --sdpa-backend math \
            --variants eager,fused-sdpa,cuda-graph+fused-sdpa "${timing[@]}" --json "$out/cpp-$name-math.json" \
            > "$out/cpp-$name-math.log" 2>&1
        echo "C++ $name attention, SDPA math: exit $?"
        extra=(--extra "$out/cpp-$name-math.json" math)
    fi
    start=$(date +%s)
    python3 tools/reference/torch_compile_reference.py --preset "$preset" --workload "$workload" --device cuda \
        --warmup 3 --min-time 0.1 --max-time 2 --max-iters 300 --json "$out/py-$name.json" > "$out/py-$name.log" 2>&1
    echo "Python $name reference: exit $? in $(( $(date +%s) - start )) s"
    tail -3 "$out/py-$name.log"
    python3 bench/gpu/race_table.py "$out/cpp-$name.json" "$out/py-$name.json" "${extra[@]}" \
        --command "bench/gpu/run.sh race $preset $workload" > "$out/race-$name.md"
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

case "${1:-}" in
build) stage_build ;;
race) stage_race "${2:?race needs a preset, e.g. seed}" "${3:-all}" ;;
sweep) shift; stage_sweep "$@" ;;
*) sed -n '2,15p' "$0"; exit 2 ;;
esac
