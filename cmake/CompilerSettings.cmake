# Warnings, sanitizers and ccache for every target of the project.
find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
    # The precompiled headers hit the cache only with these sloppiness settings; set here, every build that uses
    # ccache gets them (make, .ci/run, the tools/ scripts, an IDE), not only those started by the Makefile.
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CMAKE_COMMAND}" -E env
        "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime" "${CCACHE_PROGRAM}")
endif()

add_compile_options(-Wall -Wextra)
if(COMPILESCOPE_WERROR)
    # CI builds (.ci/run, CMakePresets.json "ci", "no-gui"): a new warning fails the build. LibTorch, Qt and
    # QCustomPlot come in through -isystem, so only our own code is held to it.
    add_compile_options(-Werror)
endif()
if(COMPILESCOPE_SANITIZE)
    # Every finding is fatal (no recovery), and frames stay readable in the reports.
    add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
    # GCC's manual: -fsanitize=address may cause false -Wmaybe-uninitialized. GCC 12 reports one inside LibTorch's
    # intrusive_ptr.h for an empty std::optional<at::Generator> (engine/workloads.cpp), which -Werror would make fatal.
    add_compile_options(-Wno-maybe-uninitialized)
    add_link_options(-fsanitize=address,undefined)
    # For every test of such a build (tests/, bench/): LibTorch, not instrumented, keeps process-lifetime
    # allocations (thread pools, operator registries) that LeakSanitizer reports at exit with no frame of ours.
    # Every other finding stops the test at once.
    set(COMPILESCOPE_TEST_ENVIRONMENT ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0")
else()
    set(COMPILESCOPE_TEST_ENVIRONMENT "")
endif()

# LibTorch's pip wheels carry a std::filesystem of their own and export it (libtorch_cpu.so of 2.13.0+cpu: 142
# symbols). g++ puts libstdc++ last among a program's needed libraries, so the loader binds the program's own
# std::filesystem calls to LibTorch's copy, built by another compiler than the headers the program was compiled
# with: on the GPU server (torch 2.11.0+cu130, CXX=/opt/gcc/bin/g++) tests that made and removed folders with
# std::filesystem crashed or failed. Naming libstdc++ first binds them to the system's (bench/gpu/stdfs_probe.sh
# builds and runs a probe in both orders).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_link_options("LINKER:--push-state,--no-as-needed" "-lstdc++" "LINKER:--pop-state")
endif()
