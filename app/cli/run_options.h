// The `run` command's flags as typed by the user, and their translation into a SweepConfig.
#pragma once

#include "usage_error.h"

#include "compilescope/config.h"
#include "compilescope/types.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace compilescope::cli {

constexpr int64_t bytes_per_mib = int64_t { 1024 } * 1024;
/// The largest --memory-limit-mb: what int64 bytes can count.
constexpr int64_t max_memory_limit_mib = std::numeric_limits<int64_t>::max() / bytes_per_mib;

/// Every `run` flag as CLI11 read it, typed and checked (typed_options.h); nullopt when the flag was absent, so that
/// the preset and --quick apply first and only explicit flags override them.
struct RunOptions {
    std::optional<std::vector<Workload>> workload;
    std::optional<std::string> preset;
    bool quick = false;

    // Attention grid.
    std::optional<std::vector<int64_t>> d_models;
    std::optional<std::vector<int64_t>> seq_lens;
    std::optional<int64_t> batch;
    bool causal = false; ///< --causal given; presets never set the mask, so there is nothing to switch off

    // TransformerLM. The attention flags above never change the model: it has its own d_model/seq_len/batch.
    std::optional<int64_t> vocab_size;
    std::optional<int64_t> context_length;
    std::optional<int64_t> num_layers;
    std::optional<int64_t> num_heads;
    std::optional<int64_t> d_ff;
    std::optional<int64_t> model_d_model;
    std::optional<int64_t> model_seq_len;
    std::optional<int64_t> model_batch;
    std::optional<double> rope_theta;

    std::optional<std::vector<std::string>> variants; ///< may be {"all"}: expanded for the device
    std::optional<std::vector<Phase>> phases;
    std::optional<Device> device;
    std::optional<Dtype> dtype;

    // Timing.
    std::optional<int> warmup;
    std::optional<int> iters; ///< >= 1: MeasureConfig's 0 means adaptive
    std::optional<double> min_time;
    std::optional<double> max_time;
    std::optional<int> max_iters;
    std::optional<double> target_error;
    bool flush_l2 = false;
    bool profile = false;
    std::optional<int> profile_iters;
    std::optional<std::string> trace_dir;

    std::optional<int> threads;
    std::optional<AllocatorPolicy> allocator;
    std::optional<SdpaBackend> sdpa_backend;
    std::optional<std::string> speedup_baseline;
    std::optional<std::string> python;
    std::optional<std::string> aoti_cache;
    std::optional<int> aoti_jobs;
    std::optional<PythonAdamW> py_adamw;
    std::optional<uint64_t> seed;
    std::optional<int64_t> memory_limit_mb;

    // Outputs; "-" means standard output.
    std::optional<std::string> markdown;
    std::optional<std::string> json;
    std::optional<std::string> csv;
    bool quiet = false;
};

/// A configuration built from flags, with the problems only the combination shows (--max-iters below --quick's
/// minimum). validate_config() is not applied here.
struct ParsedRunOptions {
    SweepConfig config;
    std::vector<UsageError> errors;
};

/// Builds the sweep configuration in this order: SweepConfig defaults, then --preset, then --quick, then every
/// explicit flag (so explicit flags always win).
ParsedRunOptions build_sweep_config(const RunOptions& options);

/// The explicit flags that cannot change what `config` runs, one sentence each without a prefix, e.g. "--vocab-size
/// has no effect with --workload attention (...)": model flags without transformer_lm, attention flags without
/// attention, --sdpa-backend without an SDPA variant, AOTInductor and Python flags without such a variant.
/// `exports`: the command exports AOTInductor packages (export-aoti), which is what those flags steer.
std::vector<std::string> ineffective_flags(const RunOptions& options, const SweepConfig& config, bool exports = false);

} // namespace compilescope::cli
