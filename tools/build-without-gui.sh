#!/usr/bin/env bash
# The core, the CLI and their tests built with the GUI off (CMakePresets.json "no-gui", warnings as errors), as a
# GPU server without Qt builds them; then the CLI answers --version. With ccache, the objects the full build made are
# reused, so this mostly configures and links.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${NO_GUI_BUILD_DIR:-build-no-gui}
cmake --preset no-gui -B "$build_dir" -DCOMPILESCOPE_PYTHON="$(tools/python-env.sh)" > /dev/null
cmake --build "$build_dir" -j "$(nproc)"
if grep -q "^Qt6_DIR:" "$build_dir/CMakeCache.txt"; then
    echo "no-gui: the build looked for Qt" >&2
    exit 1
fi
"$build_dir/bin/compilescope-cli" --version
echo "no-gui: core, CLI and their tests build without Qt"
