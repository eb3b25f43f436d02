# LibTorch plus the header-only libraries. Debian ships CMake packages for all of them; a bare GPU server
# gets the headers through COMPILESCOPE_THIRD_PARTY_DIR (see bench/gpu/run.sh) and these fallbacks.
if(COMPILESCOPE_THIRD_PARTY_DIR AND EXISTS "${COMPILESCOPE_THIRD_PARTY_DIR}/cmake")
    list(APPEND CMAKE_MODULE_PATH "${COMPILESCOPE_THIRD_PARTY_DIR}/cmake") # Catch.cmake for catch_discover_tests
endif()

# LibTorch comes from the Python that owns it (the project's .venv by default, tools/python-env.sh): its torch
# package carries the headers, the libraries and the CMake config. The same Python later exports AOTInductor
# packages and runs the Python variants, so the build records it. An explicit Torch_DIR or CMAKE_PREFIX_PATH still
# wins for the LibTorch; the Python is then only recorded.
set(COMPILESCOPE_PYTHON "" CACHE FILEPATH "The Python whose torch package provides LibTorch (default: .venv/bin/python)")
if(NOT COMPILESCOPE_PYTHON AND EXISTS "${PROJECT_SOURCE_DIR}/.venv/bin/python")
    set(COMPILESCOPE_PYTHON "${PROJECT_SOURCE_DIR}/.venv/bin/python" CACHE FILEPATH "" FORCE)
endif()
if(COMPILESCOPE_PYTHON)
    execute_process(COMMAND "${COMPILESCOPE_PYTHON}" -c
            "import torch; print(torch.utils.cmake_prefix_path); print(torch.__version__)"
        OUTPUT_VARIABLE _torch_lines RESULT_VARIABLE _torch_status ERROR_VARIABLE _torch_error
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(NOT _torch_status EQUAL 0)
        message(FATAL_ERROR "COMPILESCOPE_PYTHON=${COMPILESCOPE_PYTHON} cannot import torch:\n${_torch_error}")
    endif()
    string(REPLACE "\n" ";" _torch_lines "${_torch_lines}")
    list(GET _torch_lines 0 _torch_prefix)
    list(GET _torch_lines 1 COMPILESCOPE_PYTHON_TORCH_VERSION)
    list(APPEND CMAKE_PREFIX_PATH "${_torch_prefix}")
    message(STATUS "CompileScope: Python ${COMPILESCOPE_PYTHON} with torch ${COMPILESCOPE_PYTHON_TORCH_VERSION}")
endif()

find_package(Torch REQUIRED)
if(Torch_VERSION VERSION_LESS 2.6)
    message(FATAL_ERROR "CompileScope needs LibTorch 2.6 or later; found ${Torch_VERSION} in ${Torch_DIR}. "
        "Run tools/python-env.sh (or make configure), or set COMPILESCOPE_PYTHON to a Python with torch >= 2.6.")
endif()
separate_arguments(COMPILESCOPE_TORCH_CXX_FLAGS UNIX_COMMAND "${TORCH_CXX_FLAGS}")

# LibTorch built with CUDA: its torch_cuda library exists. Header presence proves nothing (PLATFORM-NOTES).
if(TARGET torch_cuda OR TORCH_CUDA_LIBRARIES)
    set(COMPILESCOPE_WITH_CUDA ON)
else()
    set(COMPILESCOPE_WITH_CUDA OFF)
endif()
message(STATUS "CompileScope: LibTorch ${Torch_VERSION}, CUDA support: ${COMPILESCOPE_WITH_CUDA}")

function(compilescope_header_only_fallback target header)
    if(TARGET ${target})
        return()
    endif()
    find_path(_dir NAMES ${header} PATHS "${COMPILESCOPE_THIRD_PARTY_DIR}" NO_CACHE)
    if(NOT _dir)
        message(FATAL_ERROR "${header} not found: install its Debian package or set COMPILESCOPE_THIRD_PARTY_DIR")
    endif()
    string(REPLACE "::" ";" _parts ${target})
    list(GET _parts 0 _name)
    add_library(${_name}_fallback INTERFACE)
    target_include_directories(${_name}_fallback SYSTEM INTERFACE "${_dir}")
    add_library(${target} ALIAS ${_name}_fallback)
endfunction()

find_package(nlohmann_json 3 QUIET)
compilescope_header_only_fallback(nlohmann_json::nlohmann_json nlohmann/json.hpp)
find_package(CLI11 QUIET)
compilescope_header_only_fallback(CLI11::CLI11 CLI/CLI.hpp)
if(COMPILESCOPE_BUILD_TESTS)
    find_package(Catch2 2 QUIET)
    compilescope_header_only_fallback(Catch2::Catch2 catch2/catch.hpp)
endif()
if(COMPILESCOPE_BUILD_GUI)
    find_package(Qt6 REQUIRED COMPONENTS Widgets PrintSupport Test)
    find_package(QCustomPlotQt6 REQUIRED)
endif()
