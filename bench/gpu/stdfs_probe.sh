#!/usr/bin/env bash
# Builds bench/gpu/stdfs_probe.cpp against the LibTorch of `python3` with each compiler (CXX and /usr/bin/g++) and
# each order of libstdc++ and LibTorch among the program's needed libraries, runs each, and prints one line each.
set -uo pipefail
lib=$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
echo "std::filesystem symbols exported: libtorch_cpu $(nm -D --defined-only "$lib/libtorch_cpu.so" | c++filt | grep -c 'std::filesystem'), libc10 $(nm -D --defined-only "$lib/libc10.so" | c++filt | grep -c 'std::filesystem')"
for cxx in "${CXX:-c++}" /usr/bin/g++; do
    for order in torch-first stdcxx-first; do
        first=()
        [ "$order" = stdcxx-first ] && first=(-lstdc++)
        exe=/tmp/stdfs-probe-$order-$(basename "$(dirname "$cxx")")
        "$cxx" -std=c++17 -O1 bench/gpu/stdfs_probe.cpp -o "$exe" -Wl,--no-as-needed "${first[@]}" -L"$lib" -ltorch_cpu \
            -lc10 -Wl,-rpath,"$lib" 2>&1 | tail -3
        printf '%s (%s), %s: ' "$cxx" "$("$cxx" -dumpfullversion)" "$order"
        "$exe" 2>&1 | tail -1
        echo "  exit ${PIPESTATUS[0]}"
    done
done
