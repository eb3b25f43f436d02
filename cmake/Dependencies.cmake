# LibTorch plus the header-only libraries. Debian ships CMake packages for all of them; a bare GPU server
# gets the headers it lacks through COMPILESCOPE_THIRD_PARTY_DIR (see bench/gpu/run.sh) and compilescope_header_only.
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

# Header-only libraries: exactly one copy of each, used by every target. nlohmann::json's names carry its version
# (json_abi_v3_11_2), so two copies in one program are two types: targets that saw different copies failed to link
# on the GPU server, whose image has its own /usr/include/nlohmann beside the staged one. The copy, in this order:
# one inside LibTorch's include folders (every file that includes LibTorch sees it first anyway), the installed
# CMake package, the compiler's own include folders, and last the staged copy that bench/gpu/stage-deps.sh puts in
# COMPILESCOPE_THIRD_PARTY_DIR/<name>/include for a machine without the Debian package (each library in a folder
# of its own, so that one's include path exposes no other). compilescope_check_single_copies then fails the
# configure when a different copy could still be reached from any include folder in play.
function(compilescope_header_only target header staged_name)
    set(_dir "")
    foreach(_torch_dir IN LISTS TORCH_INCLUDE_DIRS)
        if(NOT _dir AND EXISTS "${_torch_dir}/${header}")
            set(_dir "${_torch_dir}")
        endif()
    endforeach()
    if(TARGET ${target}) # the package, found by the caller (its config may extend CMAKE_MODULE_PATH there)
        if(_dir)
            set_property(TARGET ${target} PROPERTY INTERFACE_INCLUDE_DIRECTORIES "${_dir}")
        else()
            get_target_property(_dir ${target} INTERFACE_INCLUDE_DIRECTORIES)
            list(GET _dir 0 _dir)
        endif()
    endif()
    if(NOT _dir)
        foreach(_system_dir IN LISTS CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
            if(NOT _dir AND EXISTS "${_system_dir}/${header}")
                set(_dir "${_system_dir}")
            endif()
        endforeach()
    endif()
    if(NOT _dir AND COMPILESCOPE_THIRD_PARTY_DIR AND EXISTS "${COMPILESCOPE_THIRD_PARTY_DIR}/${staged_name}/include/${header}")
        set(_dir "${COMPILESCOPE_THIRD_PARTY_DIR}/${staged_name}/include")
    endif()
    if(NOT _dir OR NOT EXISTS "${_dir}/${header}")
        message(FATAL_ERROR "${header} not found: install its Debian package, or stage it with bench/gpu/stage-deps.sh "
            "and set COMPILESCOPE_THIRD_PARTY_DIR")
    endif()
    if(NOT TARGET ${target})
        string(REPLACE "::" ";" _parts ${target})
        list(GET _parts 0 _name)
        add_library(${_name}_single_copy INTERFACE)
        target_include_directories(${_name}_single_copy SYSTEM INTERFACE "${_dir}")
        add_library(${target} ALIAS ${_name}_single_copy)
    endif()
    message(STATUS "CompileScope: ${header} from ${_dir}")
    set_property(GLOBAL APPEND PROPERTY COMPILESCOPE_HEADER_ONLY "${header}|${_dir}")
endfunction()

# Every include folder a target of this project can see (LibTorch's, the compiler's, the header-only libraries'):
# a copy of a header-only library's header there that differs from the chosen one fails the configure.
function(compilescope_check_single_copies)
    get_property(_chosen GLOBAL PROPERTY COMPILESCOPE_HEADER_ONLY)
    set(_folders ${TORCH_INCLUDE_DIRS} ${CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES})
    foreach(_entry IN LISTS _chosen)
        string(REPLACE "|" ";" _entry "${_entry}")
        list(GET _entry 1 _dir)
        list(APPEND _folders "${_dir}")
    endforeach()
    foreach(_entry IN LISTS _chosen)
        string(REPLACE "|" ";" _entry "${_entry}")
        list(GET _entry 0 _header)
        list(GET _entry 1 _dir)
        file(SHA256 "${_dir}/${_header}" _chosen_hash)
        foreach(_folder IN LISTS _folders)
            if(EXISTS "${_folder}/${_header}")
                file(SHA256 "${_folder}/${_header}" _hash)
                if(NOT _hash STREQUAL _chosen_hash)
                    message(FATAL_ERROR "Two different copies of ${_header} are in play: ${_dir}/${_header} (used) and "
                        "${_folder}/${_header}. A file that sees the second would not link with the rest; remove one "
                        "(a staged copy: bench/gpu/stage-deps.sh stages only what this machine lacks).")
                endif()
            endif()
        endforeach()
    endforeach()
endfunction()

find_package(nlohmann_json 3 QUIET)
compilescope_header_only(nlohmann_json::nlohmann_json nlohmann/json.hpp nlohmann_json)
find_package(CLI11 QUIET)
compilescope_header_only(CLI11::CLI11 CLI/CLI.hpp cli11)
if(COMPILESCOPE_BUILD_TESTS)
    find_package(Catch2 2 QUIET)
    compilescope_header_only(Catch2::Catch2 catch2/catch.hpp catch2)
endif()
compilescope_check_single_copies()
if(COMPILESCOPE_BUILD_GUI)
    find_package(Qt6 REQUIRED COMPONENTS Widgets PrintSupport Test)
    find_package(QCustomPlotQt6 REQUIRED)
endif()
