#include "run_options.h"

#include "compilescope/presets.h"
#include "compilescope/types.h"
#include "compilescope/variants.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace compilescope::cli {

namespace {

constexpr int64_t bytes_per_mib = 1024 * 1024;

std::string join(const std::vector<std::string>& items)
{
    std::string text;
    for (const auto& item : items)
        text += (text.empty() ? "" : ", ") + item;
    return text;
}

std::string trim(const std::string& text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    const auto last = text.find_last_not_of(" \t");
    return text.substr(first, last - first + 1);
}

std::optional<int64_t> to_int(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (errno != 0 || *end != '\0')
        return std::nullopt;
    return static_cast<int64_t>(value);
}

std::optional<double> to_double(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (errno != 0 || *end != '\0' || !std::isfinite(value))
        return std::nullopt;
    return value;
}

/// Collects errors while reading flags into the configuration.
class FlagReader {
public:
    explicit FlagReader(std::vector<UsageError>& errors)
        : m_errors(errors)
    {
    }

    void error(const std::string& flag, const std::string& message)
    {
        m_errors.push_back({ field_of_flag(flag), flag, message });
    }

    template <typename Int> void read_int(const std::optional<std::string>& text, const std::string& flag, Int& target)
    {
        if (!text)
            return;
        const auto value = to_int(trim(*text));
        if (!value || *value < std::numeric_limits<Int>::min() || *value > std::numeric_limits<Int>::max()) {
            error(flag, "'" + *text + "' is not an integer");
            return;
        }
        target = static_cast<Int>(*value);
    }

    void read_double(const std::optional<std::string>& text, const std::string& flag, double& target)
    {
        if (!text)
            return;
        const auto value = to_double(trim(*text));
        if (!value) {
            error(flag, "'" + *text + "' is not a number");
            return;
        }
        target = *value;
    }

    void read_int_list(const std::optional<std::string>& text, const std::string& flag, std::vector<int64_t>& target)
    {
        if (!text)
            return;
        std::vector<int64_t> values;
        for (const auto& item : split_list(*text)) {
            const auto value = to_int(item);
            if (!value) {
                error(flag, "'" + item + "' in '" + *text + "' is not an integer (expected a list like 16,32,64)");
                return;
            }
            values.push_back(*value);
        }
        if (values.empty()) {
            error(flag, "the list is empty (expected a list like 16,32,64)");
            return;
        }
        target = values;
    }

    /// Reads a comma-separated list of names with `parse`, reporting unknown ones with the allowed names.
    template <typename T, typename Parse>
    void read_name_list(const std::optional<std::string>& text, const std::string& flag, Parse parse,
        const std::vector<std::string>& allowed, std::vector<T>& target)
    {
        if (!text)
            return;
        std::vector<T> values;
        for (const auto& item : split_list(*text)) {
            const std::optional<T> value = parse(item);
            if (!value) {
                error(flag, "unknown value '" + item + "' (allowed: " + join(allowed) + ")");
                return;
            }
            if (std::find(values.begin(), values.end(), *value) == values.end())
                values.push_back(*value);
        }
        if (values.empty()) {
            error(flag, "the list is empty (allowed: " + join(allowed) + ")");
            return;
        }
        target = values;
    }

    template <typename T, typename Parse>
    void read_name(const std::optional<std::string>& text, const std::string& flag, Parse parse,
        const std::vector<std::string>& allowed, T& target)
    {
        if (!text)
            return;
        const std::optional<T> value = parse(trim(*text));
        if (!value) {
            error(flag, "unknown value '" + *text + "' (allowed: " + join(allowed) + ")");
            return;
        }
        target = *value;
    }

private:
    std::vector<UsageError>& m_errors;
};

std::optional<std::vector<Workload>> parse_workloads(const std::string& name)
{
    if (name == "all")
        return std::vector<Workload> { Workload::attention, Workload::transformer_lm };
    if (const auto workload = parse_workload(name))
        return std::vector<Workload> { *workload };
    return std::nullopt;
}

void read_workloads(FlagReader& reader, const std::optional<std::string>& text, SweepConfig& config)
{
    if (!text)
        return;
    auto allowed = workload_names();
    allowed.emplace_back("all");
    std::vector<Workload> workloads;
    for (const auto& item : split_list(*text)) {
        const auto parsed = parse_workloads(item);
        if (!parsed) {
            reader.error("--workload", "unknown value '" + item + "' (allowed: " + join(allowed) + ")");
            return;
        }
        for (const auto workload : *parsed) {
            if (std::find(workloads.begin(), workloads.end(), workload) == workloads.end())
                workloads.push_back(workload);
        }
    }
    if (workloads.empty()) {
        reader.error("--workload", "no workload given (allowed: " + join(allowed) + ")");
        return;
    }
    config.workloads = workloads;
}

void read_preset(FlagReader& reader, const std::optional<std::string>& name, SweepConfig& config)
{
    if (!name)
        return;
    const auto preset = find_preset(trim(*name));
    if (!preset) {
        reader.error("--preset", "unknown value '" + *name + "' (allowed: " + join(preset_names()) + ")");
        return;
    }
    apply_preset(*preset, config);
}

void read_measure_flags(FlagReader& reader, const RunOptions& options, MeasureConfig& measure)
{
    reader.read_int(options.warmup, "--warmup", measure.warmup_iters);
    if (options.iters) {
        int iters = 0;
        reader.read_int(options.iters, "--iters", iters);
        // In MeasureConfig 0 means "adaptive", so a literal --iters 0 must be refused here.
        if (to_int(trim(*options.iters)) && iters < 1)
            reader.error("--iters", "must be >= 1 (got " + *options.iters + "); leave --iters out for adaptive timing");
        else
            measure.fixed_iters = iters;
    }
    reader.read_double(options.min_time, "--min-time", measure.min_time_s);
    reader.read_double(options.max_time, "--max-time", measure.max_time_s);
    reader.read_int(options.max_iters, "--max-iters", measure.max_iters);
    reader.read_double(options.target_error, "--target-error", measure.target_rel_error);
    if (options.flush_l2)
        measure.flush_l2 = true;
    // A trace directory asks for the pass that writes the traces.
    if (options.profile || options.profile_iters || options.trace_dir)
        measure.profile = true;
    reader.read_int(options.profile_iters, "--profile-iters", measure.profile_iters);
}

void read_memory_limit(FlagReader& reader, const std::optional<std::string>& text, SweepConfig& config)
{
    if (!text)
        return;
    int64_t mib = 0;
    reader.read_int(text, "--memory-limit-mb", mib);
    if (!to_int(trim(*text)))
        return;
    if (mib < 0 || mib > std::numeric_limits<int64_t>::max() / bytes_per_mib) {
        reader.error("--memory-limit-mb", "must be >= 0 (0: what the device reports available; got " + *text + ")");
        return;
    }
    config.memory_limit_bytes = mib * bytes_per_mib;
}

} // namespace

std::vector<std::string> split_list(const std::string& text)
{
    std::vector<std::string> items;
    std::string::size_type start = 0;
    while (start <= text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        const auto item = trim(text.substr(start, end - start));
        if (!item.empty())
            items.push_back(item);
        start = end + 1;
    }
    return items;
}

ParsedRunOptions build_sweep_config(const RunOptions& options)
{
    ParsedRunOptions parsed;
    SweepConfig& config = parsed.config;
    FlagReader reader(parsed.errors);

    read_preset(reader, options.preset, config);
    if (options.quick)
        apply_quick(config);

    read_workloads(reader, options.workload, config);

    reader.read_int_list(options.d_models, "--d-model", config.attention.d_models);
    reader.read_int_list(options.seq_lens, "--seq-len", config.attention.seq_lens);
    reader.read_int(options.batch, "--batch", config.attention.batch);
    if (options.causal)
        config.attention.causal = true;

    ModelConfig& model = config.model;
    reader.read_int(options.vocab_size, "--vocab-size", model.vocab_size);
    reader.read_int(options.context_length, "--context-length", model.context_length);
    reader.read_int(options.num_layers, "--num-layers", model.num_layers);
    reader.read_int(options.num_heads, "--num-heads", model.num_heads);
    reader.read_int(options.d_ff, "--d-ff", model.d_ff);
    reader.read_int(options.model_d_model, "--model-d-model", model.d_model);
    reader.read_int(options.model_seq_len, "--model-seq-len", model.seq_len);
    reader.read_int(options.model_batch, "--model-batch", model.batch);
    reader.read_double(options.rope_theta, "--rope-theta", model.rope_theta);

    if (options.variants) {
        // Variant names are open-ended (list_variants()); validate_config() checks them against this build.
        const auto names = split_list(*options.variants);
        if (names.empty())
            reader.error("--variants", "the list is empty (expected e.g. eager,torchscript)");
        else
            config.variants = names;
    }
    reader.read_name_list(options.phases, "--phases", parse_phase, phase_names(), config.phases);
    reader.read_name(options.device, "--device", parse_device, device_names(), config.device);
    if (config.variants == std::vector<std::string> { "all" }) {
        // Every variant this build can run on the chosen device, eager first (list_variants' order).
        config.variants.clear();
        for (const VariantInfo& variant : list_variants(config.device)) {
            if (variant.available)
                config.variants.push_back(variant.name);
        }
    }
    reader.read_name(options.dtype, "--dtype", parse_dtype, dtype_names(), config.dtype);

    read_measure_flags(reader, options, config.measure);
    reader.read_int(options.threads, "--threads", config.threads);
    reader.read_name(
        options.allocator, "--allocator", parse_allocator_policy, allocator_policy_names(), config.allocator);
    reader.read_name(
        options.sdpa_backend, "--sdpa-backend", parse_sdpa_backend, sdpa_backend_names(), config.sdpa_backend);
    reader.read_name(options.py_adamw, "--py-adamw", parse_python_adamw, python_adamw_names(), config.python_adamw);
    if (options.speedup_baseline)
        config.speedup_baseline = trim(*options.speedup_baseline); // validate_config() checks it
    if (options.python) {
        if (trim(*options.python).empty())
            reader.error("--python", "is empty (expected the path of a Python with torch)");
        else
            config.python = trim(*options.python);
    }
    if (options.aoti_cache) {
        if (trim(*options.aoti_cache).empty())
            reader.error("--aoti-cache", "is empty (expected a directory for the AOTInductor packages)");
        else
            config.aoti_cache = trim(*options.aoti_cache);
    }
    reader.read_int(options.aoti_jobs, "--aoti-jobs", config.aoti_jobs);
    if (options.trace_dir) {
        if (trim(*options.trace_dir).empty())
            reader.error("--trace-dir", "is empty (expected a directory for the profiled passes' Chrome traces)");
        else
            config.trace_dir = trim(*options.trace_dir);
    }
    if (options.seed) {
        const auto text = trim(*options.seed);
        const auto value = to_int(text);
        if (!value || *value < 0)
            reader.error("--seed", "'" + *options.seed + "' is not a non-negative integer");
        else
            config.seed = static_cast<uint64_t>(*value);
    }
    read_memory_limit(reader, options.memory_limit_mb, config);
    return parsed;
}

} // namespace compilescope::cli
