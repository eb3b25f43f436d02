// `compilescope-cli export-aoti`: make a grid's AOTInductor packages ahead of time.
#pragma once

#include "run_options.h"

#include <ostream>

namespace compilescope::cli {

/// Exports the packages a `run` with the same flags would load. One line per package on `out`; progress, the
/// exporters' log and errors on `err`. Exit code (exit_code.h): ok, failed when a package could not be made,
/// usage for bad flags, 128+N on a signal.
int export_aoti_command(const RunOptions& options, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
