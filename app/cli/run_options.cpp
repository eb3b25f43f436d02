#include "run_options.h"

#include "compilescope/presets.h"
#include "compilescope/types.h"
#include "compilescope/variant_names.h"
#include "compilescope/variants.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

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

/// True for text that is a whole number too large for int64 ("99999999999999999999"), so that the message can say
/// "out of range" instead of "not an integer".
bool is_out_of_range_int(const std::string& text)
{
    if (text.empty())
        return false;
    errno = 0;
    char* end = nullptr;
    std::strtoll(text.c_str(), &end, 10);
    return errno == ERANGE && end != text.c_str() && *end == '\0';
}

/// A finite number. Underflow is not an error here: "1e-320" reads as the denormal it is (and "1e-400" as 0), so
/// that validate_config() can say which range the field allows.
std::optional<double> to_double(const std::string& text)
{
    if (text.empty())
        return std::nullopt;
    errno = 0;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    const bool underflow = errno == ERANGE && std::fabs(value) <= std::numeric_limits<double>::min();
    if ((errno != 0 && !underflow) || *end != '\0' || !std::isfinite(value))
        return std::nullopt;
    return value;
}

/// Why a well-formed number could not be read: it is beyond a double ("1e999"). Empty for text that is no number.
std::string double_range_problem(const std::string& text)
{
    if (text.empty())
        return {};
    errno = 0;
    char* end = nullptr;
    const double value = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || (errno != ERANGE && std::isfinite(value)))
        return {};
    std::ostringstream message;
    message.precision(17);
    message << "'" << text << "' is out of range (allowed: a finite number of magnitude at most "
            << std::numeric_limits<double>::max() << ")";
    return message.str();
}

/// The 1-based position of the first empty item of a comma list ("16,,32" -> 2, "16,32," -> 3); nullopt when there
/// is none, or when the whole text is blank (that is "the list is empty", reported by the readers).
std::optional<size_t> empty_item(const std::string& text)
{
    if (trim(text).empty())
        return std::nullopt;
    size_t position = 1;
    std::string::size_type start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (trim(text.substr(start, end - start)).empty())
            return position;
        if (comma == std::string::npos)
            return std::nullopt;
        start = comma + 1;
        ++position;
    }
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
        if (!value && !is_out_of_range_int(trim(*text))) {
            error(flag, "'" + *text + "' is not an integer");
            return;
        }
        if (!value || *value < std::numeric_limits<Int>::min() || *value > std::numeric_limits<Int>::max()) {
            error(flag,
                "'" + *text + "' is out of range (at most " + std::to_string(std::numeric_limits<Int>::max())
                    + " can be stored; --help gives the values that make sense)");
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
            const auto problem = double_range_problem(trim(*text));
            error(flag, problem.empty() ? "'" + *text + "' is not a number" : problem);
            return;
        }
        target = *value;
    }

    /// False (with an error) when a non-blank list has an empty item, like the middle of "16,,32".
    bool items_present(const std::string& text, const std::string& flag, const std::string& example)
    {
        const auto position = empty_item(text);
        if (!position)
            return true;
        error(flag, "item " + std::to_string(*position) + " of '" + text + "' is empty (expected " + example + ")");
        return false;
    }

    void read_int_list(const std::optional<std::string>& text, const std::string& flag, std::vector<int64_t>& target)
    {
        if (!text || !items_present(*text, flag, "a list like 16,32,64"))
            return;
        std::vector<int64_t> values;
        for (const auto& item : split_list(*text)) {
            const auto value = to_int(item);
            if (!value) {
                error(flag,
                    "'" + item + "' in '" + *text + "' is "
                        + (is_out_of_range_int(item) ? "out of range for a 64-bit integer" : "not an integer")
                        + " (expected a list like 16,32,64)");
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
        if (!text || !items_present(*text, flag, "a comma list of: " + join(allowed)))
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
    if (!reader.items_present(*text, "--workload", "a comma list of: " + join(allowed)))
        return;
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
    // min_iters has no flag (it comes from the defaults or --quick), so a --max-iters below it is this flag's error.
    if (options.max_iters && to_int(trim(*options.max_iters)) && measure.max_iters >= 1
        && measure.max_iters < measure.min_iters)
        reader.error("--max-iters",
            "must be between " + std::to_string(measure.min_iters) + " (the adaptive minimum of iterations) and "
                + std::to_string(std::numeric_limits<int>::max()) + ", got " + *options.max_iters
                + "; for fewer iterations use --iters N");
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
    constexpr int64_t max_mib = std::numeric_limits<int64_t>::max() / bytes_per_mib;
    const auto mib = to_int(trim(*text));
    if (!mib && !is_out_of_range_int(trim(*text))) {
        reader.error("--memory-limit-mb", "'" + *text + "' is not an integer");
        return;
    }
    if (!mib || *mib < 0 || *mib > max_mib) {
        // The upper end is what int64 bytes can count; the message keeps ">= 0" for the common mistake.
        reader.error("--memory-limit-mb",
            "must be >= 0 and at most " + std::to_string(max_mib) + " MiB (0: what the device reports available), got "
                + *text);
        return;
    }
    config.memory_limit_bytes = *mib * bytes_per_mib;
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

    if (options.variants && reader.items_present(*options.variants, "--variants", "a list like eager,torchscript")) {
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
        // The seed is a uint64 (torch::manual_seed's type), so every value up to 2^64 - 1 is accepted.
        const auto text = trim(*options.seed);
        errno = 0;
        char* end = nullptr;
        const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (!digits || errno != 0 || *end != '\0')
            reader.error("--seed",
                "must be an integer from 0 to " + std::to_string(std::numeric_limits<uint64_t>::max()) + ", got '"
                    + *options.seed + "'");
        else
            config.seed = static_cast<uint64_t>(value);
    }
    read_memory_limit(reader, options.memory_limit_mb, config);
    return parsed;
}

std::vector<std::string> ineffective_flags(const RunOptions& options, const SweepConfig& config)
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
    const std::pair<const char*, const std::optional<std::string>*> model_flags[] = {
        { "--vocab-size", &options.vocab_size },
        { "--context-length", &options.context_length },
        { "--num-layers", &options.num_layers },
        { "--num-heads", &options.num_heads },
        { "--d-ff", &options.d_ff },
        { "--model-d-model", &options.model_d_model },
        { "--model-seq-len", &options.model_seq_len },
        { "--model-batch", &options.model_batch },
        { "--rope-theta", &options.rope_theta },
    };
    for (const auto& [flag, value] : model_flags)
        warn_unless(runs(Workload::transformer_lm), value->has_value(), flag, only_attention);

    const std::string only_model = "with --workload transformer_lm (it sets the attention grid; the model has the "
                                   "--model-* flags and is always causal)";
    warn_unless(runs(Workload::attention), options.d_models.has_value(), "--d-model", only_model);
    warn_unless(runs(Workload::attention), options.seq_lens.has_value(), "--seq-len", only_model);
    warn_unless(runs(Workload::attention), options.batch.has_value(), "--batch", only_model);
    warn_unless(runs(Workload::attention), options.causal, "--causal", only_model);

    const bool sdpa = any_variant([](const std::string& name) { return variant_traits(name).fused_sdpa; });
    warn_unless(sdpa, options.sdpa_backend.has_value(), "--sdpa-backend",
        "without a variant that uses scaled_dot_product_attention (fused-sdpa and its cuda-graph compositions)");
    const bool aoti = any_variant([](const std::string& name) { return is_aot_inductor_variant(name); });
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
