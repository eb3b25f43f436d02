#include "run_options.h"

#include "compilescope/presets.h"
#include "compilescope/types.h"
#include "compilescope/variant_names.h"
#include "compilescope/variants.h"

#include <algorithm>
#include <limits>

namespace compilescope::cli {

namespace {

/// An explicit flag overrides the default, the preset and --quick.
template <typename Field, typename Value> void take(Field& field, const std::optional<Value>& value)
{
    if (value)
        field = *value;
}

void take_measure_flags(const RunOptions& options, MeasureConfig& measure, std::vector<UsageError>& errors)
{
    take(measure.warmup_iters, options.warmup);
    take(measure.fixed_iters, options.iters);
    take(measure.min_time_s, options.min_time);
    take(measure.max_time_s, options.max_time);
    take(measure.max_iters, options.max_iters);
    // min_iters has no flag (it comes from the defaults or --quick), so a --max-iters below it is this flag's error.
    if (options.max_iters && measure.max_iters >= 1 && measure.max_iters < measure.min_iters)
        errors.push_back({ field_of_flag("--max-iters"), "--max-iters",
            "must be between " + std::to_string(measure.min_iters) + " (the adaptive minimum of iterations) and "
                + std::to_string(std::numeric_limits<int>::max()) + ", got " + std::to_string(*options.max_iters)
                + "; for fewer iterations use --iters N" });
    take(measure.target_rel_error, options.target_error);
    if (options.flush_l2)
        measure.flush_l2 = true;
    // A trace directory asks for the pass that writes the traces.
    if (options.profile || options.profile_iters || options.trace_dir)
        measure.profile = true;
    take(measure.profile_iters, options.profile_iters);
}

} // namespace

ParsedRunOptions build_sweep_config(const RunOptions& options)
{
    ParsedRunOptions parsed;
    SweepConfig& config = parsed.config;

    if (options.preset)
        apply_preset(*find_preset(*options.preset), config); // the flag allows only preset_names()
    if (options.quick)
        apply_quick(config);

    take(config.workloads, options.workload);
    take(config.attention.d_models, options.d_models);
    take(config.attention.seq_lens, options.seq_lens);
    take(config.attention.batch, options.batch);
    if (options.causal)
        config.attention.causal = true;

    ModelConfig& model = config.model;
    take(model.vocab_size, options.vocab_size);
    take(model.context_length, options.context_length);
    take(model.num_layers, options.num_layers);
    take(model.num_heads, options.num_heads);
    take(model.d_ff, options.d_ff);
    take(model.d_model, options.model_d_model);
    take(model.seq_len, options.model_seq_len);
    take(model.batch, options.model_batch);
    take(model.rope_theta, options.rope_theta);

    // Variant names are open-ended (list_variants()); validate_config() checks them against this build.
    take(config.phases, options.phases);
    take(config.device, options.device);
    if (!options.variants || *options.variants == std::vector<std::string> { "all" }) {
        // No --variants, or "all": every variant this build can run on the chosen device, eager first
        // (list_variants' order), as the GUI's first launch has them.
        config.variants.clear();
        for (const VariantInfo& variant : list_variants(config.device)) {
            if (variant.available)
                config.variants.push_back(variant.name);
        }
    } else {
        config.variants = *options.variants;
    }
    take(config.dtype, options.dtype);

    take_measure_flags(options, config.measure, parsed.errors);
    take(config.threads, options.threads);
    take(config.allocator, options.allocator);
    take(config.sdpa_backend, options.sdpa_backend);
    take(config.python_adamw, options.py_adamw);
    take(config.speedup_baseline, options.speedup_baseline); // validate_config() checks it
    take(config.python, options.python);
    take(config.aoti_cache, options.aoti_cache);
    take(config.aoti_jobs, options.aoti_jobs);
    take(config.trace_dir, options.trace_dir);
    take(config.seed, options.seed);
    if (options.memory_limit_mb)
        config.memory_limit_bytes = *options.memory_limit_mb * bytes_per_mib; // the flag's range keeps it in int64
    return parsed;
}

std::vector<std::string> ineffective_flags(const RunOptions& options, const SweepConfig& config, bool exports)
{
    const auto runs = [&](Workload workload) {
        return std::find(config.workloads.begin(), config.workloads.end(), workload) != config.workloads.end();
    };
    const auto any_variant
        = [&](auto predicate) { return std::any_of(config.variants.begin(), config.variants.end(), predicate); };
    std::vector<std::string> warnings;
    const auto warn_unless = [&](bool effective, bool given, const std::string& flag, const std::string& why) {
        if (given && !effective)
            warnings.push_back(flag + " has no effect " + why);
    };

    const std::string only_attention = "with --workload attention (it sets the transformer_lm model)";
    const std::pair<const char*, bool> model_flags[] = {
        { "--vocab-size", options.vocab_size.has_value() },
        { "--context-length", options.context_length.has_value() },
        { "--num-layers", options.num_layers.has_value() },
        { "--num-heads", options.num_heads.has_value() },
        { "--d-ff", options.d_ff.has_value() },
        { "--model-d-model", options.model_d_model.has_value() },
        { "--model-seq-len", options.model_seq_len.has_value() },
        { "--model-batch", options.model_batch.has_value() },
        { "--rope-theta", options.rope_theta.has_value() },
    };
    for (const auto& [flag, given] : model_flags)
        warn_unless(runs(Workload::transformer_lm), given, flag, only_attention);

    const std::string only_model = "with --workload transformer_lm (it sets the attention grid; the model has the "
                                   "--model-* flags and is always causal)";
    warn_unless(runs(Workload::attention), options.d_models.has_value(), "--d-model", only_model);
    warn_unless(runs(Workload::attention), options.seq_lens.has_value(), "--seq-len", only_model);
    warn_unless(runs(Workload::attention), options.batch.has_value(), "--batch", only_model);
    warn_unless(runs(Workload::attention), options.causal, "--causal", only_model);

    const bool sdpa = any_variant([](const std::string& name) { return variant_traits(name).fused_sdpa; });
    warn_unless(sdpa, options.sdpa_backend.has_value(), "--sdpa-backend",
        "without a variant that uses scaled_dot_product_attention (fused-sdpa and its cuda-graph compositions)");
    const bool aoti = exports || any_variant([](const std::string& name) { return is_aot_inductor_variant(name); });
    warn_unless(aoti, options.aoti_jobs.has_value(), "--aoti-jobs", "without an AOTInductor variant (aot-inductor)");
    warn_unless(aoti, options.aoti_cache.has_value(), "--aoti-cache", "without an AOTInductor variant (aot-inductor)");
    const bool python = any_variant([](const std::string& name) { return is_python_variant(name); });
    warn_unless(python && runs(Workload::transformer_lm), options.py_adamw.has_value(), "--py-adamw",
        "without a Python variant and --workload transformer_lm (it picks the Python train step's AdamW)");
    warn_unless(python || aoti, options.python.has_value(), "--python",
        "without a Python or AOTInductor variant (py-eager, torch-compile, aot-inductor, ...)");
    return warnings;
}

} // namespace compilescope::cli
