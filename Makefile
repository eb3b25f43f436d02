# Entry points; the real build is CMake. `make run` and `make test` work on a fresh Debian bookworm as root.
#   COMPILESCOPE_PYTHON=/path/to/python  reuse an existing Python with torch (its LibTorch, e.g. a CUDA build)
#   TORCH_SPEC='torch==2.11.0'           another exact torch for the project venv (default torch==2.13.0)
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
export COMPILESCOPE_PYTHON TORCH_SPEC

.PHONY: all deps configure build run report test clean

all: build

deps:
	tools/install-deps.sh

configure: deps
	cmake --preset dev -B $(BUILD_DIR) \
	    -DCOMPILESCOPE_PYTHON="$$(tools/python-env.sh)" $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

## Builds and launches the desktop application.
run: build
	$(BUILD_DIR)/bin/compilescope

## Runs the seed sweep headless (reduced grid) and writes report.md, report.json, report.csv.
report: build
	$(BUILD_DIR)/bin/compilescope-cli run --preset seed --quick --markdown report.md --json report.json --csv report.csv

## Builds and runs every test suite.
test: build
	cd $(BUILD_DIR) && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD_DIR)
