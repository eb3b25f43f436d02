// Bad command-line input, reported with the configuration field and the flag that sets it.
#pragma once

#include "compilescope/config.h"
#include "compilescope/validation.h"

#include <ostream>
#include <string>
#include <vector>

namespace compilescope::cli {

struct UsageError {
    std::string field; ///< as validate_config() names it: "d_model", "num_heads", "dtype", ...
    std::string flag; ///< the flag that sets it, e.g. "--model-d-model"; empty when no flag does
    std::string message; ///< what is wrong and what is allowed
};

/// The configuration field a `run` flag sets ("--model-d-model" -> "d_model"); the flag without dashes if unknown.
std::string field_of_flag(const std::string& flag);

/// validate_config()'s errors with the flag that sets each field. d_model, seq_len and batch exist for attention
/// and for the model; which one an error is about is found by validating the attention part on its own.
std::vector<UsageError> with_flags(const std::vector<ConfigError>& errors, const SweepConfig& config);

/// Prints "compilescope-cli: error: FIELD (FLAG): MESSAGE" lines and a pointer to `COMMAND --help`.
/// Returns exit_usage.
int report_usage_errors(const std::vector<UsageError>& errors, const std::string& command, std::ostream& err);

} // namespace compilescope::cli
