#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

int main(int argc, char* argv[])
{
    // Sweeps whose reports go to stdout keep their journal in $XDG_STATE_HOME: never the user's own.
    const auto state
        = std::filesystem::temp_directory_path() / ("compilescope-cli-tests-" + std::to_string(::getpid()));
    std::filesystem::create_directories(state);
    ::setenv("XDG_STATE_HOME", state.c_str(), 1);
    const int failures = Catch::Session().run(argc, argv);
    std::error_code ignored;
    std::filesystem::remove_all(state, ignored);
    return failures;
}
