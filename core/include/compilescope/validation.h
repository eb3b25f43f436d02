// Checks a configuration before anything runs, so bad input fails fast with the field and the allowed range.
#pragma once

#include "compilescope/config.h"

#include <string>
#include <vector>

namespace compilescope {

/// Most iterations of a profiled pass (each one's trace is kept in memory until the pass ends).
inline constexpr int max_profile_iters = 100;

/// Most AOTInductor exports at once.
inline constexpr int max_aoti_jobs = 64;

/// Most LibTorch intra-op threads a sweep may ask for when the machine's core count is unknown.
inline constexpr int max_threads_when_cores_unknown = 256;

/// Most LibTorch intra-op threads a sweep may ask for: 4 x the logical cores (std::thread::hardware_concurrency),
/// or max_threads_when_cores_unknown. Far more threads than cores only adds scheduling cost: 2048 threads turned a
/// 0.2 s sweep into 29 s, and 100000 stalled a run for minutes at gigabytes of stacks.
int max_threads();

struct ConfigError {
    std::string field; ///< the user-facing name, as on the command line: "d_model", "num_heads", "dtype"
    std::string message; ///< what is wrong and what is allowed, e.g. "must be > 0 (got -4)"
};

/// Every problem with the configuration, empty when it can run. Does not touch LibTorch, except to ask which
/// devices and variants exist (via list_variants / cuda_available).
std::vector<ConfigError> validate_config(const SweepConfig& config);

/// "field: message" lines joined with newlines.
std::string format_errors(const std::vector<ConfigError>& errors);

} // namespace compilescope
