#!/usr/bin/env bash
# Installs the Debian packages CompileScope needs that are not installed yet (run as root on Debian bookworm).
# LibTorch is not one of them: it comes from the pinned PyTorch in the project venv (tools/python-env.sh).
# Usage: tools/install-deps.sh [--no-gui] [--checks]   (--checks: clang-format and clang-tidy, for CI's checks)
set -euo pipefail

packages=(build-essential cmake ninja-build ccache git python3-venv
          nlohmann-json3-dev libcli11-dev catch2)
gui=1
for argument in "$@"; do
    case "$argument" in
        --no-gui) gui=0 ;;
        --checks) packages+=(clang-format clang-tidy) ;;
        *) echo "usage: tools/install-deps.sh [--no-gui] [--checks]" >&2; exit 2 ;;
    esac
done
if ((gui)); then
    packages+=(qt6-base-dev libqcustomplot-dev libgl-dev xvfb xauth)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} == 0)); then
    exit 0
fi

echo "Installing: ${missing[*]}"
if [[ $(id -u) -ne 0 ]]; then
    echo "error: missing packages and not root; run: sudo apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
