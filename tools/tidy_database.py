#!/usr/bin/env python3
"""Writes a copy of a CMake compile database that clang-tidy can read: SOURCE_DB TARGET_DIR.

Clang cannot read GCC's precompiled headers (the engine's LibTorch PCH, cmake_pch.hxx.gch beside cmake_pch.hxx), and
finding one is an error. In the copy, each forced include of a PCH header names a copy of that header with no .gch
beside it: the same code, parsed from source. GCC-only options clang does not know (the sanitizer build's
-Wno-maybe-uninitialized) are dropped. Run by tools/tidy.sh.
"""
import json
import os
import re
import shutil
import sys


def main():
    source, target = sys.argv[1:]
    with open(source) as file:
        commands = json.load(file)

    def copied(match):
        header = match.group(1)
        copy = os.path.join(target, "pch", os.path.relpath(header, "/"))
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        shutil.copyfile(header, copy)
        return "-include " + copy

    for entry in commands:
        command = re.sub(r"-include (\S+/cmake_pch\.hxx)", copied, entry["command"])
        for gcc_only in (" -Winvalid-pch", " -Wno-maybe-uninitialized"):
            command = command.replace(gcc_only, "")
        entry["command"] = command
    with open(os.path.join(target, "compile_commands.json"), "w") as file:
        json.dump(commands, file)


if __name__ == "__main__":
    main()
