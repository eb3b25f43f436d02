#include "compilescope/validation.h"

#include "compilescope/settings.h"
#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>
#include <thread>
#include <type_traits>

namespace compilescope {

namespace {

std::string phase_list(const std::vector<Phase>& phases)
{
    std::vector<std::string> names;
    for (Phase phase : phases)
        names.push_back(to_string(phase));
    return join(names, ", ");
}

template <typename T> bool contains(const std::vector<T>& items, const T& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

class Checker {
public:
    void error(const std::string& field, const std::string& message) { m_errors.push_back({ field, message }); }

    void at_least(const std::string& field, int64_t value, int64_t minimum, const std::string& what = "")
    {
        if (value < minimum) {
            std::ostringstream message;
            message << "must be >= " << minimum << what << ", got " << value;
            error(field, message.str());
        }
    }

    /// A sweep list: not empty, every value >= 1, no value twice (a duplicate would be measured twice and
    /// make its cell ambiguous in every report).
    void size_list(const std::string& field, const std::vector<int64_t>& values, const std::string& what)
    {
        if (values.empty()) {
            error(field, "needs at least one value" + what);
            return;
        }
        std::vector<int64_t> seen;
        for (int64_t value : values) {
            at_least(field, value, 1, what);
            if (contains(seen, value))
                error(field, "lists " + std::to_string(value) + " twice" + what);
            seen.push_back(value);
        }
    }

    std::vector<ConfigError> take() { return std::move(m_errors); }

private:
    std::vector<ConfigError> m_errors;
};

/// An element or byte count that remembers whether any step of its computation overflowed int64.
class Count {
public:
    Count(int64_t value) // NOLINT: implicit, so that formulas read like the cost model's
        : m_value(value)
    {
    }

    friend Count operator*(Count a, Count b)
    {
        Count product(0);
        product.m_overflow
            = a.m_overflow || b.m_overflow || __builtin_mul_overflow(a.m_value, b.m_value, &product.m_value);
        return product;
    }

    friend Count operator+(Count a, Count b)
    {
        Count sum(0);
        sum.m_overflow = a.m_overflow || b.m_overflow || __builtin_add_overflow(a.m_value, b.m_value, &sum.m_value);
        return sum;
    }

    bool overflows() const { return m_overflow; }

private:
    int64_t m_value = 0;
    bool m_overflow = false;
};

/// Bytes per element of the widest dtype (fp32; tf32 keeps fp32 storage), so one bound holds for every dtype.
constexpr int64_t widest_element = 4;

struct NamedSize {
    const char* field;
    int64_t value;
};

/// Refuses sizes whose tensors cannot even be counted in int64 bytes: the memory estimate (cost_model.cpp)
/// would overflow and wrap, so the memory guard would let a cell through that no machine can hold. The error goes
/// to the largest of the sizes involved, the one most likely mistyped.
void refuse_overflow(Checker& check, const Count& bytes, const std::vector<NamedSize>& sizes, const std::string& part)
{
    if (!bytes.overflows())
        return;
    const auto largest = std::max_element(
        sizes.begin(), sizes.end(), [](const NamedSize& a, const NamedSize& b) { return a.value < b.value; });
    std::string shape;
    for (const NamedSize& size : sizes)
        shape += (shape.empty() ? "" : ", ") + std::string(size.field) + " " + std::to_string(size.value);
    check.error(largest->field,
        "the largest " + part + " cell (" + shape
            + ") needs tensors of more than 2^63 bytes, beyond what 64-bit sizes can count; allowed: sizes whose "
              "tensors fit in int64 bytes");
}

void check_attention(Checker& check, const AttentionConfig& attention)
{
    const std::string what = " (attention)";
    check.size_list("d_model", attention.d_models, what);
    check.size_list("seq_len", attention.seq_lens, what);
    if (attention.d_models.empty() || attention.seq_lens.empty() || attention.batch < 1)
        return;
    const int64_t d = *std::max_element(attention.d_models.begin(), attention.d_models.end());
    const int64_t s = *std::max_element(attention.seq_lens.begin(), attention.seq_lens.end());
    if (d < 1 || s < 1)
        return;
    // Above the estimate's own sum (11 x Q-sized + 4 x score-sized buffers + the mask), with room to spare.
    const Count bsd = Count(attention.batch) * s * d;
    const Count bss = Count(attention.batch) * s * s;
    const Count bytes = Count(widest_element) * (Count(16) * bsd + Count(8) * bss + Count(s) * s);
    refuse_overflow(check, bytes, { { "batch", attention.batch }, { "seq_len", s }, { "d_model", d } }, "attention");
}

void check_model_size(Checker& check, const ModelConfig& model)
{
    const int64_t sizes[] = { model.vocab_size, model.context_length, model.d_model, model.num_layers, model.num_heads,
        model.d_ff, model.batch, model.seq_len };
    if (std::any_of(std::begin(sizes), std::end(sizes), [](int64_t size) { return size < 1; }))
        return; // at_least() reports those
    const Count d = model.d_model;
    const Count parameters = Count(2) * model.vocab_size * d
        + Count(model.num_layers) * (Count(4) * d * d + Count(3) * d * model.d_ff + Count(2) * d) + d;
    const Count scores = Count(model.batch) * model.num_heads * model.seq_len * model.seq_len;
    const Count bsd = Count(model.batch) * model.seq_len * d;
    const Count bsf = Count(model.batch) * model.seq_len * model.d_ff;
    const Count logits = Count(model.batch) * model.seq_len * model.vocab_size;
    const Count rope_table = Count(model.context_length) * d;
    // Above the train step's estimate (7 x parameters, every block's saved activations, logits and their fp32
    // loss buffers, two score-sized buffers), with room to spare.
    const Count bytes = Count(widest_element)
        * (Count(8) * parameters + Count(model.num_layers) * (Count(2) * scores + Count(4) * bsf + Count(16) * bsd)
            + Count(2) * scores + Count(4) * logits + rope_table);
    refuse_overflow(check, bytes,
        { { "batch", model.batch }, { "seq_len", model.seq_len }, { "d_model", model.d_model },
            { "vocab_size", model.vocab_size }, { "d_ff", model.d_ff }, { "num_layers", model.num_layers },
            { "num_heads", model.num_heads }, { "context_length", model.context_length } },
        "transformer_lm");
}

void check_model(Checker& check, const ModelConfig& model)
{
    const std::string what = " (transformer_lm)";
    if (model.rope_theta > 0 && !std::isnormal(model.rope_theta)) {
        // A denormal (or infinite) base makes theta^(-2i/d) overflow to inf, and every rotation NaN.
        std::ostringstream message;
        message.precision(17);
        message << "must be > 0 and a normal floating-point number (" << std::numeric_limits<double>::min() << " to "
                << std::numeric_limits<double>::max() << "), got " << model.rope_theta;
        check.error("rope_theta", message.str());
    } else if (!(model.rope_theta > 0)) {
        check.error("rope_theta", "must be > 0, got " + plain_number(model.rope_theta));
    }

    if (model.num_heads >= 1 && model.d_model >= 1) {
        if (model.d_model % model.num_heads != 0) {
            std::ostringstream message;
            message << "must divide the model's d_model (" << model.d_model << " % " << model.num_heads << " = "
                    << model.d_model % model.num_heads << ")";
            check.error("num_heads", message.str());
        } else if ((model.d_model / model.num_heads) % 2 != 0) {
            std::ostringstream message;
            message << "head dimension d_model / num_heads = " << model.d_model << " / " << model.num_heads << " = "
                    << model.d_model / model.num_heads << " must be even (RoPE rotates pairs of dimensions)";
            check.error("num_heads", message.str());
        }
    }
    if (model.context_length < 1) {
        check.at_least("seq_len", model.seq_len, 1, what);
    } else if (model.seq_len < 1 || model.seq_len > model.context_length) {
        std::ostringstream message;
        message << "must be between 1 and the model's context_length (" << model.context_length << "), got "
                << model.seq_len;
        check.error("seq_len", message.str());
    }
    check_model_size(check, model);
}

bool is_identifier(const std::string& name)
{
    if (name.empty() || name.size() > max_axis_name_length || std::isdigit(static_cast<unsigned char>(name[0])))
        return false;
    return std::all_of(
        name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void check_model_file(Checker& check, const ModelFileConfig& model_file, const std::vector<Workload>& workloads)
{
    if (workloads.size() > 1)
        check.error("workload",
            "model_file runs alone: its cells are points on its own axes, not d_model x seq_len (got "
                + std::to_string(workloads.size()) + " workloads)");
    if (model_file.path.empty()) {
        check.error("model_file", "needs a Python model file (--model-file FILE; docs/model-files.md)");
        return;
    }
    if (model_file.path.front() != '/')
        check.error("model_file", "must be an absolute path, got \"" + model_file.path + "\"");
    if (model_file.axes.empty() || model_file.axes.size() > max_model_axes)
        check.error("axes",
            "a model file needs between 1 and " + std::to_string(max_model_axes) + " axes, got "
                + std::to_string(model_file.axes.size()));
    std::vector<std::string> names;
    for (const ModelAxis& axis : model_file.axes) {
        if (!is_identifier(axis.name)) {
            check.error("axes",
                "axis name \"" + axis.name.substr(0, max_axis_name_length)
                    + "\" must be a Python identifier of at most " + std::to_string(max_axis_name_length)
                    + " characters (letters, digits, _)");
            continue;
        }
        if (contains(names, axis.name))
            check.error("axes", "names the axis \"" + axis.name + "\" twice");
        names.push_back(axis.name);
        check.size_list("axis " + axis.name, axis.values, " (" + model_file.path + ")");
    }
}

void check_variants(Checker& check, const SweepConfig& config, const std::vector<std::string>& known)
{
    if (config.variants.empty()) {
        check.error("variants", "needs at least one variant, and eager among them");
        return;
    }
    std::vector<std::string> seen;
    for (const std::string& name : config.variants) {
        if (!contains(known, name))
            check.error("variants", "unknown variant \"" + name + "\" (allowed: " + join(known, ", ") + ")");
        else if (contains(seen, name))
            check.error("variants", "lists \"" + name + "\" twice");
        seen.push_back(name);
    }
    // Every speedup, every report table and the correctness checks compare against eager: without it a run would
    // produce timings nothing can be compared to, so it is required rather than warned about. A model file has no
    // C++ eager (its module is Python): Python eager is its reference and its baseline.
    if (contains(config.workloads, Workload::model_file)) {
        if (!contains(config.variants, std::string(py_eager_variant)))
            check.error("variants",
                "must include py-eager (a model file's reference every check and speedup is relative to), got "
                    + join(config.variants, ", "));
        if (config.speedup_baseline != py_eager_variant)
            check.error("speedup_baseline",
                "must be py-eager for a model file (its module runs in Python only), got \"" + config.speedup_baseline
                    + "\"");
        return;
    }
    if (!contains(config.variants, std::string(eager_variant)))
        check.error("variants",
            "must include eager (the reference every correctness check is relative to), got "
                + join(config.variants, ", "));
    if (!contains(speedup_baseline_names(), config.speedup_baseline))
        check.error("speedup_baseline",
            "\"" + config.speedup_baseline + "\" is not a baseline (allowed: " + join(speedup_baseline_names(), ", ")
                + ")");
    else if (config.speedup_baseline != eager_variant && !contains(config.variants, config.speedup_baseline))
        check.error("speedup_baseline",
            "\"" + config.speedup_baseline + "\" must be one of the variants that run (" + join(config.variants, ", ")
                + ")");
}

void check_phases(Checker& check, const SweepConfig& config)
{
    for (Phase phase : config.phases) {
        bool offered = false;
        std::vector<std::string> available;
        for (Workload workload : config.workloads) {
            offered = offered || contains(phases_of(workload), phase);
            available.push_back(to_string(workload) + ": " + phase_list(phases_of(workload)));
        }
        if (!offered)
            check.error("phases",
                to_string(phase) + " is not a phase of the selected workloads (" + join(available, "; ") + ")");
    }
}

/// The bounds of every setting of the parts that run (settings.h): "must be >= 1 (attention), got 0".
void check_limits(Checker& check, const SweepConfig& config)
{
    for_each_setting([&](const auto& setting) {
        using Row = std::decay_t<decltype(setting)>;
        using T = typename Row::value_type;
        const auto workload = workload_of<typename Row::owner_type>();
        if (workload && !contains(config.workloads, *workload))
            return;
        const SettingLimits& limits = setting.limits;
        const T& value = value_in(config, setting);
        if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            const auto number = static_cast<int64_t>(value);
            if ((limits.min && number < *limits.min) || (limits.max && number > *limits.max)) {
                const std::string bounds = limits.max
                    ? "between " + std::to_string(*limits.min) + " and " + std::to_string(*limits.max)
                    : ">= " + std::to_string(*limits.min);
                check.error(setting.field, "must be " + bounds + limits.note + ", got " + std::to_string(number));
            }
        } else if constexpr (std::is_floating_point_v<T>) {
            if (limits.positive && !(value > 0))
                check.error(setting.field, "must be > 0" + std::string(limits.note) + ", got " + plain_number(value));
        }
    });
}

void check_measure(Checker& check, const MeasureConfig& measure)
{
    if (measure.min_time_s > 0 && measure.max_time_s > 0 && measure.min_time_s > measure.max_time_s) {
        std::ostringstream message;
        message << "must be >= min_time (" << measure.min_time_s << " s), got " << measure.max_time_s << " s";
        check.error("max_time", message.str());
    }
    if (measure.min_iters >= 1 && measure.max_iters >= 1 && measure.min_iters > measure.max_iters) {
        std::ostringstream message;
        message << "must be between 1 and max_iters (" << measure.max_iters << "), got " << measure.min_iters;
        check.error("min_iters", message.str());
    }
}

} // namespace

int max_threads()
{
    const unsigned cores = std::thread::hardware_concurrency();
    return cores == 0 ? max_threads_when_cores_unknown : int(std::min<unsigned>(cores, 1U << 20)) * 4;
}

MachineOffer::MachineOffer()
{
    for (const VariantTraits& traits : builtin_variants())
        variants.push_back(traits.name);
}

MachineOffer::MachineOffer(std::vector<std::string> variant_names, bool cuda_present)
    : variants(std::move(variant_names))
    , cuda(cuda_present)
{
}

std::vector<ConfigError> validate_config(const SweepConfig& config, const MachineOffer& offer)
{
    Checker check;
    if (config.workloads.empty())
        check.error("workload", "needs at least one workload (allowed: " + join(workload_names(), ", ") + ")");
    if (contains(config.workloads, Workload::attention))
        check_attention(check, config.attention);
    if (contains(config.workloads, Workload::transformer_lm))
        check_model(check, config.model);
    if (contains(config.workloads, Workload::model_file))
        check_model_file(check, config.model_file, config.workloads);
    check_variants(check, config, offer.variants);
    check_phases(check, config);

    if (config.device == Device::cuda && !offer.cuda)
        check.error("device", "cuda is not available (this LibTorch has no CUDA or sees no GPU); allowed: cpu");
    if (config.dtype == Dtype::tf32 && config.device == Device::cpu)
        check.error("dtype", "tf32 only changes CUDA matmuls; on cpu use fp32, bf16 or fp16");
    if (config.measure.flush_l2 && config.device == Device::cpu)
        check.error("flush_l2", "flushes the GPU's L2 cache and needs device cuda; on cpu leave it off");
    if (config.threads > max_threads()) {
        const unsigned cores = std::thread::hardware_concurrency();
        const std::string why = cores == 0 ? "the limit when the core count is unknown"
                                           : "4 x this machine's " + std::to_string(cores) + " logical cores";
        check.error("threads",
            "must be between 0 and " + std::to_string(max_threads()) + " (" + why + "; 0: LibTorch's default), got "
                + std::to_string(config.threads));
    }
    check_limits(check, config);
    check_measure(check, config.measure);
    if (!config.trace_dir.empty() && !config.measure.profile)
        check.error("trace_dir", "holds the traces of profiled passes and needs profile on");
    return check.take();
}

std::string format_errors(const std::vector<ConfigError>& errors)
{
    std::string text;
    for (const ConfigError& error : errors) {
        if (!text.empty())
            text += '\n';
        text += error.field + ": " + error.message;
    }
    return text;
}

} // namespace compilescope
