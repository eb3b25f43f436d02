// The `run` command's flags as typed by the user, and their translation into a SweepConfig.
#pragma once

#include "sweep_flags.h"
#include "usage_error.h"

#include "compilescope/config.h"
#include "compilescope/validation.h"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace compilescope::cli {

/// The sweep flags (sweep_flags.h) and the outputs of `run`.
struct RunOptions : SweepFlags {
    // Outputs; "-" means standard output.
    std::optional<std::string> markdown;
    std::optional<std::string> json;
    std::optional<std::string> csv;
    bool quiet = false;
    bool estimate = false; ///< print the estimate on stdout and run nothing
};

/// Builds the sweep configuration in this order: SweepConfig defaults, then --preset, then --quick, then every
/// explicit flag (so explicit flags always win). No --variants, or all: every variant this build can run on the
/// chosen device, as the GUI's first launch has them. validate_config() is not applied here.
ParsedSweepFlags build_sweep_config(const SweepFlags& options);

/// validate_config()'s errors with the flag that sets each field. d_model, seq_len and batch exist for attention
/// and for the model; which one an error is about is found by validating the attention part on its own.
std::vector<UsageError> with_flags(const std::vector<ConfigError>& errors, const SweepConfig& config);

/// Prints "compilescope-cli: error: FIELD (FLAG): MESSAGE" lines and a pointer to `COMMAND --help`.
/// Returns exit_usage.
int report_usage_errors(const std::vector<UsageError>& errors, const std::string& command, std::ostream& err);

} // namespace compilescope::cli
