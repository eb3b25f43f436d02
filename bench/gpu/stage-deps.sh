#!/usr/bin/env bash
# Run HERE (Debian, packages installed): copies the header-only dependencies into .third_party/ (git-ignored),
# which the device call carries to the GPU server, where there is no apt and no network.
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf .third_party && mkdir -p .third_party/cmake
cp -r /usr/include/nlohmann /usr/include/CLI /usr/include/catch2 .third_party/
cp /usr/lib/cmake/Catch2/Catch.cmake /usr/lib/cmake/Catch2/CatchAddTests.cmake .third_party/cmake/
du -sh .third_party
