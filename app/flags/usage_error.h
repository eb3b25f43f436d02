// Bad command-line input, reported with the configuration field and the flag that sets it.
#pragma once

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

/// The flag that sets a configuration field (settings.h), "" when none does. d_model, seq_len and batch are the
/// attention grid's and the model's: `model` picks the model's flag.
std::string flag_of_field(const std::string& field, bool model);

} // namespace compilescope::cli
