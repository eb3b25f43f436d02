#!/usr/bin/env bash
# clang-tidy (.clang-tidy; every finding is an error) on the torch-free model library, which is cheap (~10 s a
# file), and on every other C++ source changed since BASE (a file that includes LibTorch or QCustomPlot takes
# 30-60 s, so all of them at once would take over an hour on two cores).
# Usage: tools/tidy.sh [BASE]   BASE: a git revision (default: origin/main's merge base, else HEAD~1)
#        TIDY_BUILD_DIR=build   the build whose compile_commands.json is used (configured if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${TIDY_BUILD_DIR:-build}
command -v clang-tidy > /dev/null || tools/install-deps.sh --checks
[[ -f "$build_dir/compile_commands.json" ]] || cmake --preset dev -B "$build_dir" > /dev/null

base=${1:-}
if [[ -z "$base" ]]; then
    base=$(git merge-base HEAD origin/main 2> /dev/null || true)
    if [[ -z "$base" || "$base" == "$(git rev-parse HEAD)" ]]; then
        base=$(git rev-parse --verify -q HEAD~1 || git rev-parse HEAD)
    fi
fi
mapfile -t files < <({
    git ls-files 'core/src/*.cpp' | grep -v '^core/src/engine/'
    git diff --name-only --diff-filter=d "$base" -- '*.cpp'
} | sort -u | grep -E '^(core|app|ui)/')

# Generated headers (the git revision, Qt's moc files) must exist before their includers can be parsed.
cmake --build "$build_dir" --target compilescope_git_revision > /dev/null
# A compile database without GCC's precompiled headers, which clang cannot read (tools/tidy_database.py).
database=$(mktemp -d)
trap 'rm -rf "$database"' EXIT
python3 tools/tidy_database.py "$build_dir/compile_commands.json" "$database"
echo "tidy: ${#files[@]} files (the model library, and what changed since $(git rev-parse --short "$base"))"
printf '%s\n' "${files[@]}" | xargs -P "$(nproc)" -n 1 clang-tidy -p "$database" --quiet --warnings-as-errors='*' \
    2> /dev/null
echo "tidy: no findings"
