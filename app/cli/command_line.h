// The whole command line of compilescope-cli: subcommands, their options and help, dispatch, exit code.
#pragma once

#include <ostream>

namespace compilescope::cli {

/// Parses the arguments, runs the chosen command and returns the process exit code (exit_code.h). Help and
/// version go to `out`; parse errors to `err` with exit_usage.
int run_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

/// The same parsing, errors and warnings as run_command_line(), but no command runs: `run` and `export-aoti` stop
/// after validate_config() (no sweep, no output file, no allocator change), `report`, `resume` and `rerun` read
/// nothing, `list` and `env` print nothing. Returns exit_ok where the command would start, otherwise what
/// run_command_line() would return (exit_usage, or 0 for --help/--version). A test seam, for the argument fuzz.
int check_command_line(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
