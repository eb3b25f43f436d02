#!/usr/bin/env bash
# Run HERE (Debian, packages installed): copies the header-only dependencies into .third_party/ (git-ignored),
# which the device call carries to the GPU server, where there is no apt and no network. Each library goes into a
# folder of its own (.third_party/<name>/include), so that one's include path exposes no other; the configure there
# uses a staged copy only where the server has none of its own (cmake/Dependencies.cmake).
set -euo pipefail
cd "$(dirname "$0")/../.."
rm -rf .third_party && mkdir -p .third_party/cmake .third_party/{nlohmann_json,cli11,catch2}/include
cp -r /usr/include/nlohmann .third_party/nlohmann_json/include/
cp -r /usr/include/CLI .third_party/cli11/include/
cp -r /usr/include/catch2 .third_party/catch2/include/
cp /usr/lib/cmake/Catch2/Catch.cmake /usr/lib/cmake/Catch2/CatchAddTests.cmake .third_party/cmake/
du -sh .third_party
