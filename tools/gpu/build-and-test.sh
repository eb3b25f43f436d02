#!/usr/bin/env bash
# Run ON THE GPU SERVER from the repository root (after tools/gpu/stage-deps.sh here, carrying .third_party):
# builds core + CLI + core tests against the server's pip LibTorch, runs the tests, then a quick CUDA sweep.
# Logs and outputs go to ${RESULTS:-results}
set -uo pipefail
out=${RESULTS:-results}; mkdir -p "$out"
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.get_device_name(0))' \
    | tee "$out/torch.txt"
start=$(date +%s)
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DCOMPILESCOPE_BUILD_GUI=OFF \
    -DCMAKE_PREFIX_PATH="$prefix" -DCOMPILESCOPE_THIRD_PARTY_DIR="$PWD/.third_party" > "$out/configure.log" 2>&1 \
    || { tail -40 "$out/configure.log"; exit 1; }
cmake --build build-gpu -j "$(nproc)" > "$out/build.log" 2>&1 || { grep -B2 -A8 "error" "$out/build.log" | head -80; exit 1; }
echo "configure + build: $(( $(date +%s) - start )) s"
(cd build-gpu && ctest --output-on-failure -j 4) > "$out/ctest.log" 2>&1; echo "ctest exit $?"; tail -5 "$out/ctest.log"
build-gpu/bin/compilescope-cli env | tee "$out/env.txt"
build-gpu/bin/compilescope-cli list | tee "$out/list.txt"
build-gpu/bin/compilescope-cli run --preset seed --quick --device cuda --markdown "$out/quick-cuda.md" \
    --json "$out/quick-cuda.json" 2>&1 | tail -30
