#define CATCH_CONFIG_RUNNER
#include "cli_process.h"

#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char* argv[])
{
    // Sweeps whose reports go to stdout keep their journal in $XDG_STATE_HOME: never the user's own. A TempDir,
    // removed with POSIX calls: std::filesystem::remove_all of a non-empty folder crashed here on the GPU server
    // (cli_process.cpp says why).
    const compilescope::test::TempDir state;
    ::setenv("XDG_STATE_HOME", state.file("").c_str(), 1);
    return Catch::Session().run(argc, argv);
}
