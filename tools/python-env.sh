#!/usr/bin/env bash
# Prints the Python that owns CompileScope's LibTorch, creating the project's virtual environment when needed.
#
#   COMPILESCOPE_PYTHON=/path/to/python   reuse an existing Python with torch (e.g. a CUDA build on a GPU workstation);
#                                         nothing is installed into it
#   TORCH_SPEC='torch==2.11.0'            the torch the project venv gets (default torch==2.13.0, the pinned CPU wheel)
#   VENV=.venv                            where the project venv lives (git-ignored)
#
# Always pin torch exactly: an unpinned `torch` makes pip download a CUDA build of several GB.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ -n "${COMPILESCOPE_PYTHON:-}" ]]; then
    if ! "$COMPILESCOPE_PYTHON" -c 'import torch' 2>/dev/null; then
        echo "error: COMPILESCOPE_PYTHON=$COMPILESCOPE_PYTHON cannot import torch" >&2
        exit 1
    fi
    command -v "$COMPILESCOPE_PYTHON"
    exit 0
fi

venv=${VENV:-.venv}
spec=${TORCH_SPEC:-torch==2.13.0}
python="$PWD/$venv/bin/python"
# Beside torch, tools/python-requirements.txt: numpy (silences torch's NumPy warning) and transformers for the zoo.
requirements=tools/python-requirements.txt
if [[ ! -x "$python" ]]; then
    echo "Creating $venv with $spec and $requirements" >&2
    python3 -m venv "$venv" >&2
fi
# Installed once per torch and requirements file: the stamp records both.
stamp="$venv/.compilescope-requirements"
wanted="$spec $(sha256sum "$requirements" | cut -d' ' -f1)"
installed=$("$python" -c 'import torch; print("torch==" + torch.__version__.split("+")[0])' 2>/dev/null || true)
if [[ "$installed" != "${spec%%+*}" || "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]]; then
    echo "Installing $spec and $requirements into $venv" >&2
    "$python" -m pip install --quiet --disable-pip-version-check "$spec" -r "$requirements" >&2
    echo "$wanted" > "$stamp"
fi
echo "$python"
