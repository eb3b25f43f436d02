#!/usr/bin/env bash
# The proof that the core and the CLI build without Qt, as a GPU server without Qt builds them: configure with the
# GUI off (CMakePresets.json "no-gui", warnings as errors), check that Qt was never looked for, then build the CLI
# and the link checks of the torch-free libraries (cmake/NeedsNoTorch.cmake), and run `compilescope-cli --version`.
# Extra arguments go to the configure: .ci/run passes the flags of its own build, so every object comes from ccache
# and this step is a configure and a few links.
# Usage: tools/build-without-gui.sh [CMAKE_ARGS...]   (NO_GUI_BUILD_DIR=build-no-gui by default)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${NO_GUI_BUILD_DIR:-build-no-gui}
cmake --preset no-gui -B "$build_dir" -DCOMPILESCOPE_PYTHON="$(tools/python-env.sh)" "$@" > /dev/null
if grep -q "^Qt6_DIR:" "$build_dir/CMakeCache.txt"; then
    echo "no-gui: the build looked for Qt" >&2
    exit 1
fi
cmake --build "$build_dir" -j "$(nproc)" --target compilescope-cli compilescope_model_needs_no_torch \
    compilescope_cli_report_needs_no_torch
ASAN_OPTIONS=detect_leaks=0 "$build_dir/bin/compilescope-cli" --version
echo "no-gui: the core and the CLI build without Qt"
