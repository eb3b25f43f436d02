#include "usage_error.h"

#include "exit_code.h"

#include <algorithm>
#include <utility>

namespace compilescope::cli {

namespace {

struct FlagField {
    const char* flag;
    const char* field;
    bool model = false; ///< one of the model's own d_model / seq_len / batch
};

// One table for both directions, so that parse errors and validation errors name fields and flags alike.
const FlagField flag_fields[] = {
    { "--workload", "workload" },
    { "--preset", "preset" },
    { "--d-model", "d_model" },
    { "--seq-len", "seq_len" },
    { "--batch", "batch" },
    { "--vocab-size", "vocab_size" },
    { "--context-length", "context_length" },
    { "--num-layers", "num_layers" },
    { "--num-heads", "num_heads" },
    { "--d-ff", "d_ff" },
    { "--model-d-model", "d_model", true },
    { "--model-seq-len", "seq_len", true },
    { "--model-batch", "batch", true },
    { "--rope-theta", "rope_theta" },
    { "--variants", "variants" },
    { "--phases", "phases" },
    { "--device", "device" },
    { "--dtype", "dtype" },
    { "--warmup", "warmup" },
    { "--iters", "iters" },
    { "--min-time", "min_time" },
    { "--max-time", "max_time" },
    { "--max-iters", "max_iters" },
    { "--target-error", "target_rel_error" },
    { "--threads", "threads" },
    { "--allocator", "allocator" },
    { "--sdpa-backend", "sdpa_backend" },
    { "--speedup-baseline", "speedup_baseline" },
    { "--python", "python" },
    { "--py-adamw", "python_adamw" },
    { "--aoti-cache", "aoti_cache" },
    { "--aoti-jobs", "aoti_jobs" },
    { "--flush-l2", "flush_l2" },
    { "--profile-iters", "profile_iters" },
    { "--trace-dir", "trace_dir" },
    { "--seed", "seed" },
    { "--memory-limit-mb", "memory_limit" },
};

std::string flag_of_field(const std::string& field, bool model)
{
    // An ambiguous field has a model entry; prefer the entry of the part the error is about.
    const FlagField* found = nullptr;
    for (const auto& entry : flag_fields) {
        if (entry.field != field)
            continue;
        if (!found || entry.model == model)
            found = &entry;
    }
    return found ? found->flag : "";
}

bool contains(const std::vector<ConfigError>& errors, const ConfigError& error)
{
    return std::any_of(errors.begin(), errors.end(),
        [&](const ConfigError& other) { return other.field == error.field && other.message == error.message; });
}

} // namespace

std::string field_of_flag(const std::string& flag)
{
    for (const auto& entry : flag_fields) {
        if (entry.flag == flag)
            return entry.field;
    }
    std::string field = flag.substr(flag.find_first_not_of('-'));
    std::replace(field.begin(), field.end(), '-', '_');
    return field;
}

std::vector<UsageError> with_flags(const std::vector<ConfigError>& errors, const SweepConfig& config)
{
    const bool has_attention
        = std::find(config.workloads.begin(), config.workloads.end(), Workload::attention) != config.workloads.end();
    std::vector<ConfigError> attention_errors;
    if (has_attention) {
        SweepConfig attention_only = config;
        attention_only.workloads = { Workload::attention };
        attention_errors = validate_config(attention_only);
    }
    std::vector<UsageError> result;
    for (const auto& error : errors) {
        const bool model = !has_attention || !contains(attention_errors, error);
        result.push_back({ error.field, flag_of_field(error.field, model), error.message });
    }
    return result;
}

int report_usage_errors(const std::vector<UsageError>& errors, const std::string& command, std::ostream& err)
{
    for (const auto& error : errors) {
        // The flag even where it is only the field with dashes: it is what the user typed and can search --help for.
        err << "compilescope-cli: error: " << error.field;
        if (!error.flag.empty())
            err << " (" << error.flag << ")";
        err << ": " << error.message << "\n";
    }
    err << "Run 'compilescope-cli " << command << " --help' for the options and their allowed values." << std::endl;
    return exit_usage;
}

} // namespace compilescope::cli
