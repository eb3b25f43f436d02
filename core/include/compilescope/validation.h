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

/// Most axes a model file may sweep, and the longest name one may have.
inline constexpr size_t max_model_axes = 8;
inline constexpr size_t max_axis_name_length = 40;

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

/// What a machine offers a sweep: the variant names it can build and whether a CUDA device is there.
struct MachineOffer {
    std::vector<std::string> variants; ///< by default every built-in variant (variant_names.h)
    bool cuda = false;

    MachineOffer();
    MachineOffer(std::vector<std::string> variant_names, bool cuda_present);
};

/// Every problem with the configuration, empty when it can run on a machine that offers `offer`. Pure: no LibTorch.
std::vector<ConfigError> validate_config(const SweepConfig& config, const MachineOffer& offer);

/// validate_config against this machine (the engine's machine_offer(): registered variants, whether LibTorch sees a
/// CUDA device). Defined in the engine library, so a torch-free program that calls it does not link.
std::vector<ConfigError> validate_config(const SweepConfig& config);

/// "field: message" lines joined with newlines.
std::string format_errors(const std::vector<ConfigError>& errors);

} // namespace compilescope
