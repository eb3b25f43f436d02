#!/usr/bin/env bash
# The model zoo (zoo/*.py) at its small CPU presets, each model one `compilescope-cli run`, then one table
# (bench/zoo_table.py) in docs/results/zoo-cpu.md with the runs beside it.
#
#   bench/zoo.sh [MODEL...]     default: every zoo model; extra `run` flags in ZOO_FLAGS (e.g. ZOO_FLAGS='--quick')
#
# The presets shrink what a 2-core CPU cannot time in minutes (layers 2; short sequences, small images); the models'
# widths, vocabularies and heads stay their real ones.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
cli="$build/bin/compilescope-cli"
out=${RESULTS:-docs/results/zoo-cpu}
[ -x "$cli" ] || cmake --build "$build" --target compilescope-cli

declare -A presets=(
    [gpt2]="--axis batch=1 --axis seq_len=64,128 --axis layers=2"
    [llama]="--axis batch=1 --axis seq_len=64,128 --axis layers=2"
    [bert]="--axis batch=1 --axis seq_len=64,128 --axis layers=2"
    [vit]="--axis batch=1 --axis image_size=112,224 --axis layers=2"
    [resnet50]="--axis batch=2 --axis image_size=64,128"
    [moe]="--axis batch=1 --axis seq_len=64,128 --axis experts=8"
)
models=("$@")
[ ${#models[@]} -gt 0 ] || models=(gpt2 llama bert vit resnet50 moe)
mkdir -p "$out"
for model in "${models[@]}"; do
    start=$(date +%s)
    # shellcheck disable=SC2086 # the presets are flag lists
    "$cli" run --model-file "zoo/$model.py" ${presets[$model]} --phases forward,train_step --threads 1 \
        --warmup 2 --min-time 0.3 --max-time 3 --max-iters 100 ${ZOO_FLAGS:-} --json "$out/$model.json" -q || true
    echo "$model: $(( $(date +%s) - start )) s" >&2
done
python3 bench/zoo_table.py "$out"/*.json --command "bench/zoo.sh $*" > "$out.md"
echo "zoo table: $out.md" >&2
