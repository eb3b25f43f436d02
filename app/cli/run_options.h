// The `run` command's flags as typed by the user, and their translation into a SweepConfig.
#pragma once

#include "usage_error.h"

#include "compilescope/config.h"

#include <optional>
#include <string>
#include <vector>

namespace compilescope::cli {

/// Every `run` flag as the text the user gave; nullopt when the flag was absent. Numbers and lists stay text here
/// so that a bad value is reported with the field's name instead of a generic conversion error.
struct RunOptions {
    std::optional<std::string> workload;
    std::optional<std::string> preset;
    bool quick = false;

    // Attention grid.
    std::optional<std::string> d_models;
    std::optional<std::string> seq_lens;
    std::optional<std::string> batch;
    bool causal = false; ///< --causal given; presets never set the mask, so there is nothing to switch off

    // TransformerLM. The attention flags above never change the model: it has its own d_model/seq_len/batch.
    std::optional<std::string> vocab_size;
    std::optional<std::string> context_length;
    std::optional<std::string> num_layers;
    std::optional<std::string> num_heads;
    std::optional<std::string> d_ff;
    std::optional<std::string> model_d_model;
    std::optional<std::string> model_seq_len;
    std::optional<std::string> model_batch;
    std::optional<std::string> rope_theta;

    std::optional<std::string> variants;
    std::optional<std::string> phases;
    std::optional<std::string> device;
    std::optional<std::string> dtype;

    // Timing.
    std::optional<std::string> warmup;
    std::optional<std::string> iters;
    std::optional<std::string> min_time;
    std::optional<std::string> max_time;
    std::optional<std::string> max_iters;
    std::optional<std::string> target_error;
    bool flush_l2 = false;
    bool profile = false;
    std::optional<std::string> profile_iters;
    std::optional<std::string> trace_dir;

    std::optional<std::string> threads;
    std::optional<std::string> allocator;
    std::optional<std::string> sdpa_backend;
    std::optional<std::string> speedup_baseline;
    std::optional<std::string> python;
    std::optional<std::string> aoti_cache;
    std::optional<std::string> aoti_jobs;
    std::optional<std::string> py_adamw;
    std::optional<std::string> seed;
    std::optional<std::string> memory_limit_mb;

    // Outputs; "-" means standard output.
    std::optional<std::string> markdown;
    std::optional<std::string> json;
    std::optional<std::string> csv;
    bool quiet = false;
};

/// A configuration built from flags, with every problem found while reading them (unknown names, text where a
/// number belongs). validate_config() is not applied here.
struct ParsedRunOptions {
    SweepConfig config;
    std::vector<UsageError> errors;
};

/// Builds the sweep configuration in this order: SweepConfig defaults, then --preset, then --quick, then every
/// explicit flag (so explicit flags always win).
ParsedRunOptions build_sweep_config(const RunOptions& options);

/// Splits "16,32,64" at commas, trimming blanks around each item. Empty items are dropped here; the flag readers
/// refuse them first ("item 2 of '16,,32' is empty").
std::vector<std::string> split_list(const std::string& text);

/// The explicit flags that cannot change what `config` runs, one sentence each without a prefix, e.g. "--vocab-size
/// has no effect with --workload attention (...)": model flags without transformer_lm, attention flags without
/// attention, --sdpa-backend without an SDPA variant, AOTInductor and Python flags without such a variant.
std::vector<std::string> ineffective_flags(const RunOptions& options, const SweepConfig& config);

} // namespace compilescope::cli
