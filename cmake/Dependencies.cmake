# LibTorch plus the header-only libraries. Debian ships CMake packages for all of them; a bare GPU server
# gets the headers through COMPILESCOPE_THIRD_PARTY_DIR (see bench/gpu/run.sh) and these fallbacks.
if(COMPILESCOPE_THIRD_PARTY_DIR AND EXISTS "${COMPILESCOPE_THIRD_PARTY_DIR}/cmake")
    list(APPEND CMAKE_MODULE_PATH "${COMPILESCOPE_THIRD_PARTY_DIR}/cmake") # Catch.cmake for catch_discover_tests
endif()

find_package(Torch REQUIRED)
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
