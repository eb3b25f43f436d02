// `compilescope-cli report`: regenerate reports from a saved run.
#pragma once

#include "compilescope/results.h"

#include <functional>
#include <optional>
#include <ostream>
#include <string>

namespace compilescope::cli {

/// Reads the RUN.json a command was given (load_run_file), after `check` (a trust check, say) where given. nullopt
/// when it cannot: the reason is said on `err` ("RUN.json: ..."), for the command to return exit_usage.
std::optional<RunResult> read_run_argument(
    const std::string& path, std::ostream& err, const std::function<void()>& check = {});

struct ReportOptions {
    std::string input; ///< a run saved with `run --json`
    std::optional<std::string> markdown;
    std::optional<std::string> json;
    std::optional<std::string> csv;
    std::optional<std::string> speedup_baseline; ///< re-render with speedups over this variant
};

/// Reads the run (load_run_file) and writes the requested reports (without any: the Markdown report on `out`). A
/// missing, special, oversized, malformed, foreign, wrong-version or impossible file, or an unwritable output path,
/// gives exit_usage with nothing written; a report that cannot be written (standard output included) exit_failed.
int report_command(const ReportOptions& options, std::ostream& out, std::ostream& err);

} // namespace compilescope::cli
