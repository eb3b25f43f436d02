// `compilescope-cli run`: validate, sweep with progress and Ctrl-C handling, write the reports.
#pragma once

#include "run_options.h"

#include <ostream>

namespace compilescope::cli {

/// Runs a sweep from the user's flags and returns the exit code (see exit_code.h). Results go to `out` (the
/// results table, or a report given as "-"); errors, progress and the closing summary go to `err`.
int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
