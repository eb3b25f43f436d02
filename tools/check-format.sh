#!/usr/bin/env bash
# Fails when a tracked C++ file differs from .clang-format (clang-format 14, Debian bookworm's), or when a Catch2 test
# name holds a ';' or starts with '-': catch_discover_tests splits a name at ';' into two ctest names whose filters
# match nothing, so the test passes without running (five did, until 2026-12-07); and ctest hands the name to Catch2
# as an argument, which reads one starting with '-' as an option and fails.
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
mapfile -t tests < <(git ls-files 'tests/*.cpp')
if split=$(perl -0777 -ne 'print "$ARGV: $1\n" while /TEST_CASE\(\s*"([^"]*;[^"]*)"/g' "${tests[@]}") && [[ -n "$split" ]]; then
    echo "test names with ';' (ctest would never run them):"
    echo "$split"
    exit 1
fi
if dashed=$(perl -0777 -ne 'print "$ARGV: $1\n" while /TEST_CASE\(\s*"(-[^"]*)"/g' "${tests[@]}") && [[ -n "$dashed" ]]; then
    echo "test names starting with '-' (Catch2 would read them as options under ctest):"
    echo "$dashed"
    exit 1
fi
echo "format: all ${#files[@]} C++ files match .clang-format"
