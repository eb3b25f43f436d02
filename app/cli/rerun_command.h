// `compilescope-cli rerun RUN.json`: measures again what a saved run measured under load (and, with --failed, what
// failed), every variant of each such cell and phase, and writes the run with those measurements replaced and every
// other kept as it was (compilescope/rerun.h).
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace compilescope::cli {

struct RerunOptions {
    std::string input;
    bool under_load = false; ///< re-run the cells and phases with a measurement taken under load (the default)
    bool failed = false; ///< re-run those with a failed measurement
    std::optional<std::string> markdown; ///< "-": stdout
    std::optional<std::string> json;
    std::optional<std::string> csv;
    bool quiet = false;
};

/// Adds the `rerun` subcommand to `app`, filling `options`.
CLI::App* add_rerun_command(CLI::App& app, RerunOptions& options);

/// Re-runs the marked cells and phases of the run file with its configuration on this machine, then writes the
/// reports of the merged run. Returns the exit code (exit_code.h): 2 when the file cannot be used here (unreadable,
/// not the user's own, written on another set-up) or no report is asked for.
int rerun_command(const RerunOptions& options, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
