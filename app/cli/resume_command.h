// `compilescope-cli resume JOURNAL`: finishes a sweep that was stopped or killed, from its journal.
#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <ostream>
#include <string>

namespace compilescope::cli {

struct ResumeOptions {
    std::string journal;
    std::optional<std::string> markdown; ///< instead of the journal's; "-": stdout
    std::optional<std::string> json;
    std::optional<std::string> csv;
    bool quiet = false;
};

/// Adds the `resume` subcommand to `app`, filling `options`.
CLI::App* add_resume_command(CLI::App& app, ResumeOptions& options);

/// Runs what the journal's sweep has not finished, with its configuration, then writes the reports (to the
/// journal's report paths unless an output flag is given). Returns the exit code (exit_code.h).
int resume_command(const ResumeOptions& options, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
