// The whole command line of compilescope-cli: subcommands, their options and help, dispatch, exit code.
#pragma once

#include <ostream>

namespace compilescope::cli {

/// Parses the arguments, runs the chosen command and returns the process exit code (exit_code.h). Help and
/// version go to `out`; parse errors to `err` with exit_usage.
int run_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
