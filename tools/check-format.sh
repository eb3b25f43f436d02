#!/usr/bin/env bash
# Fails when a tracked C++ file differs from .clang-format (clang-format 14, Debian bookworm's).
# Usage: tools/check-format.sh          check (CI)
#        tools/check-format.sh --fix    rewrite the files in place
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format > /dev/null || tools/install-deps.sh --checks
mapfile -t files < <(git ls-files '*.cpp' '*.h')
if [[ "${1:-}" == "--fix" ]]; then
    clang-format -i "${files[@]}"
    exit 0
fi
clang-format --dry-run --Werror "${files[@]}"
echo "format: all ${#files[@]} C++ files match .clang-format"
