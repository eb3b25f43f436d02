// Every setting of a sweep, listed once: its member, JSON key, user-facing name, range, help, command-line flag and
// GUI label. The run file's reader and writer (run_json_fields.h), validate_config(), the command line's options and
// usage errors (the CLI's and the GUI's launch flags alike) and the GUI's configuration panel all walk this list, so a
// plain setting is added with one row here and the code that uses it.
//
//   for_each_setting(visit) calls visit(setting) for each row, in the order the run file writes them; a row's owner
//   (SweepConfig, AttentionConfig, ModelConfig or MeasureConfig) is the JSON object it sits in. The rows whose value
//   is itself a part (SweepConfig::attention, ...) stand where that object is written.
#pragma once

#include "compilescope/config.h"
#include "compilescope/python.h"
#include "compilescope/types.h"
#include "compilescope/validation.h"
#include "compilescope/variant_names.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace compilescope {

/// What an integer or a number may be. The message validate_config() gives names the bounds and the note:
/// "must be >= 1 (attention), got 0", "must be between 1 and 100, got 200", "must be > 0, got -1".
struct SettingLimits {
    std::optional<int64_t> min; ///< integers: the smallest allowed value
    std::optional<int64_t> max; ///< integers: the largest allowed value
    bool positive = false; ///< numbers: must be > 0
    std::string note; ///< what the message adds after the bounds, e.g. " (0: adaptive)"
};

/// The configuration panel's group boxes that hold plain settings (ui/config_panel_settings.cpp).
enum class PanelGroup { none, attention, model, execution, timing };

/// How the configuration panel shows a setting: its group box, its label, and for a number its spin box.
struct PanelRow {
    PanelGroup group = PanelGroup::none; ///< none: the panel has no plain widget for it (or a hand-built one)
    const char* label = "";
    const char* zero_means = ""; ///< an integer's 0, shown as this word ("adaptive")
    double min = 0; ///< a number's spin box: its range, decimals and unit
    double max = 0;
    int decimals = 0;
    const char* suffix = "";
};

/// One setting: a member of `Owner` of type `T`. Built with the chained setters below, so a row reads as a sentence.
template <typename Owner, typename T> struct Setting {
    using owner_type = Owner;
    using value_type = T;

    T Owner::*member;
    const char* key; ///< its key in the owner's JSON object
    const char* field; ///< its name in errors and as the GUI's object name part: "d_model", "warmup"
    const char* flag = ""; ///< its command-line flag ("--warmup"), "" when it has none
    const char* help = ""; ///< the flag's --help text and the GUI's tooltip
    const char* group = ""; ///< its --help group
    PanelRow panel; ///< where and how the configuration panel shows it
    const char* value_name = ""; ///< what --help shows for a text value: "DIR", "PATH", "NAME"
    const char* expected = ""; ///< what a text value should be, for the error when it is blank
    /// The names --help lists as allowed for a text value or a list of them (an enum's come from types.h).
    std::vector<std::string> (*allowed_names)() = nullptr;
    /// What --help shows as the default where the member's default value does not say it (--python: the build's).
    std::string (*shown_default)() = nullptr;
    SettingLimits limits;
    /// The flag's own bounds where they differ from the field's (--iters: 0 means adaptive, so the flag starts at 1).
    SettingLimits flag_limits; ///< read only with own_flag_limits
    bool own_flag_limits = false;
    int64_t flag_unit = 1; ///< the flag's value times this is the field's (--memory-limit-mb: MiB)
    /// A setting that only steers variants with this trait (the SDPA backend, the AOTInductor cache): its flag is
    /// warned about and its widget greyed out without one. `needs` says which, for the warning.
    bool VariantTraits::*only_with = nullptr;
    const char* needs = "";
    bool added_later = false; ///< run files written before it lack it: absent means `absent` (else the default)
    std::optional<T> absent;

    Setting(T Owner::*member_, const char* key_)
        : member(member_)
        , key(key_)
        , field(key_)
    {
    }
    Setting& named(const char* name) { return field = name, *this; }
    Setting& cli(const char* flag_, const char* help_) { return flag = flag_, help = help_, *this; }
    Setting& in(const char* group_) { return group = group_, *this; }
    Setting& shown(PanelGroup panel_group, const char* label)
    {
        return panel.group = panel_group, panel.label = label, *this;
    }
    /// An integer whose 0 means `meaning` (messages say "(0: meaning)", the panel shows the word).
    Setting& zero_means(const char* meaning, const char* in_messages = nullptr)
    {
        panel.zero_means = meaning;
        limits.note = std::string(" (0: ") + (in_messages ? in_messages : meaning) + ")";
        return *this;
    }
    Setting& spin(double min, double max, int decimals, const char* suffix = "")
    {
        return panel.min = min, panel.max = max, panel.decimals = decimals, panel.suffix = suffix, *this;
    }
    Setting& expects(const char* value_name_, const char* expected_)
    {
        return value_name = value_name_, expected = expected_, *this;
    }
    Setting& allows(std::vector<std::string> (*names)()) { return allowed_names = names, *this; }
    Setting& shows_default(std::string (*text)()) { return shown_default = text, *this; }
    Setting& at_least(int64_t min, const char* note = "") { return limits.min = min, limits.note += note, *this; }
    Setting& between(int64_t min, int64_t max) { return limits.min = min, limits.max = max, *this; }
    Setting& positive() { return limits.positive = true, *this; }
    Setting& flag_between(int64_t min, int64_t max, const char* note = "")
    {
        flag_limits = SettingLimits { min, max, false, note };
        own_flag_limits = true;
        return *this;
    }
    Setting& flag_in_units_of(int64_t unit) { return flag_unit = unit, *this; }
    Setting& only_with_variants(bool VariantTraits::*trait, const char* which)
    {
        return only_with = trait, needs = which, *this;
    }
    Setting& since_later() { return added_later = true, *this; }
    Setting& since_later(T absent_means) { return added_later = true, absent = absent_means, *this; }

    const T& of(const Owner& owner) const { return owner.*member; }
    T& of(Owner& owner) const { return owner.*member; }
};

/// The part of a configuration that holds `Owner`'s settings.
inline SweepConfig& part_of(SweepConfig& config, const SweepConfig*)
{
    return config;
}
inline AttentionConfig& part_of(SweepConfig& config, const AttentionConfig*)
{
    return config.attention;
}
inline ModelConfig& part_of(SweepConfig& config, const ModelConfig*)
{
    return config.model;
}
inline MeasureConfig& part_of(SweepConfig& config, const MeasureConfig*)
{
    return config.measure;
}

/// The value of `setting` in a whole configuration.
template <typename Owner, typename T> T& value_in(SweepConfig& config, const Setting<Owner, T>& setting)
{
    return setting.of(part_of(config, static_cast<const Owner*>(nullptr)));
}
template <typename Owner, typename T> const T& value_in(const SweepConfig& config, const Setting<Owner, T>& setting)
{
    return value_in(const_cast<SweepConfig&>(config), setting); // NOLINT: the same member, read only
}

/// The workload a setting is for, or nullopt when it is for every workload.
template <typename Owner> std::optional<Workload> workload_of()
{
    if constexpr (std::is_same_v<Owner, AttentionConfig>)
        return Workload::attention;
    else if constexpr (std::is_same_v<Owner, ModelConfig>)
        return Workload::transformer_lm;
    else
        return std::nullopt;
}

/// Whether a row's value is a part of the configuration (a JSON object of its own) rather than a setting.
template <typename T>
inline constexpr bool is_part_v
    = std::is_same_v<T, AttentionConfig> || std::is_same_v<T, ModelConfig> || std::is_same_v<T, MeasureConfig>;

/// The names and parser of an enum's values (types.h), for flags, combo boxes and messages.
template <typename T> struct EnumNames;
#define COMPILESCOPE_ENUM_NAMES(Enum, names_, parse_)                                                                  \
    template <> struct EnumNames<Enum> {                                                                               \
        static std::vector<std::string> names() { return names_(); }                                                   \
        static std::optional<Enum> parse(const std::string& name) { return parse_(name); }                             \
    };
COMPILESCOPE_ENUM_NAMES(Workload, workload_names, parse_workload)
COMPILESCOPE_ENUM_NAMES(Phase, phase_names, parse_phase)
COMPILESCOPE_ENUM_NAMES(Device, device_names, parse_device)
COMPILESCOPE_ENUM_NAMES(Dtype, dtype_names, parse_dtype)
COMPILESCOPE_ENUM_NAMES(AllocatorPolicy, allocator_policy_names, parse_allocator_policy)
COMPILESCOPE_ENUM_NAMES(SdpaBackend, sdpa_backend_names, parse_sdpa_backend)
COMPILESCOPE_ENUM_NAMES(PythonAdamW, python_adamw_names, parse_python_adamw)
#undef COMPILESCOPE_ENUM_NAMES

/// The --help sections.
namespace setting_group {
inline constexpr const char* workload = "Workload";
inline constexpr const char* attention = "Attention";
inline constexpr const char* model = "TransformerLM (independent of the attention flags)";
inline constexpr const char* execution = "Execution";
inline constexpr const char* timing = "Timing";
inline constexpr const char* explain
    = "Explain (a profiled pass after the timed iterations; timings are never profiled)";
} // namespace setting_group

template <typename Visit> void for_each_attention_setting(Visit&& visit)
{
    using A = AttentionConfig;
    const char* group = setting_group::attention;
    visit(Setting(&A::d_models, "d_models")
              .named("d_model")
              .cli("--d-model", "d_model values, comma-separated, each > 0.")
              .in(group));
    visit(Setting(&A::seq_lens, "seq_lens")
              .named("seq_len")
              .cli("--seq-len", "seq_len values, comma-separated, each > 0. Every d_model x seq_len pair is one cell.")
              .in(group));
    visit(Setting(&A::batch, "batch")
              .cli("--batch", "Batch size, > 0.")
              .in(group)
              .shown(PanelGroup::attention, "batch")
              .at_least(1, " (attention)"));
    visit(Setting(&A::causal, "causal")
              .cli("--causal", "Apply a causal mask (default: off).")
              .in(group)
              .shown(PanelGroup::attention, "Causal mask"));
}

template <typename Visit> void for_each_model_setting(Visit&& visit)
{
    using M = ModelConfig;
    const char* group = setting_group::model;
    visit(Setting(&M::vocab_size, "vocab_size")
              .cli("--vocab-size", "Vocabulary size, > 0.")
              .in(group)
              .shown(PanelGroup::model, "vocab_size")
              .at_least(1));
    visit(Setting(&M::context_length, "context_length")
              .cli("--context-length", "Context length (RoPE table size), >= --model-seq-len.")
              .in(group)
              .shown(PanelGroup::model, "context_length")
              .at_least(1));
    visit(
        Setting(&M::d_model, "d_model")
            .cli("--model-d-model", "Model width. --d-model only sets the attention grid and never changes the model.")
            .in(group)
            .shown(PanelGroup::model, "d_model")
            .at_least(1, " (transformer_lm)"));
    visit(Setting(&M::num_layers, "num_layers")
              .cli("--num-layers", "Transformer blocks, > 0.")
              .in(group)
              .shown(PanelGroup::model, "num_layers")
              .at_least(1));
    visit(
        Setting(&M::num_heads, "num_heads")
            .cli("--num-heads", "Attention heads, > 0; must divide --model-d-model into an even head dimension (RoPE).")
            .in(group)
            .shown(PanelGroup::model, "num_heads")
            .at_least(1));
    visit(Setting(&M::d_ff, "d_ff")
              .cli("--d-ff", "SwiGLU feed-forward width, > 0.")
              .in(group)
              .shown(PanelGroup::model, "d_ff")
              .at_least(1));
    visit(Setting(&M::batch, "batch")
              .cli("--model-batch", "Sequences per batch, > 0. --batch never changes the model.")
              .in(group)
              .shown(PanelGroup::model, "batch")
              .at_least(1, " (transformer_lm)"));
    // Its upper bound is context_length (validate_config() says so).
    visit(Setting(&M::seq_len, "seq_len")
              .cli("--model-seq-len", "Tokens per sequence, 1..--context-length. --seq-len never changes the model.")
              .in(group)
              .shown(PanelGroup::model, "seq_len"));
    visit(Setting(&M::rope_theta, "rope_theta")
              .cli("--rope-theta", "RoPE base, > 0.")
              .in(group)
              .shown(PanelGroup::model, "rope_theta")
              .spin(1, 1e9, 1));
}

template <typename Visit> void for_each_measure_setting(Visit&& visit)
{
    using M = MeasureConfig;
    const char* timing = setting_group::timing;
    const char* explain = setting_group::explain;
    visit(Setting(&M::warmup_iters, "warmup_iters")
              .named("warmup")
              .cli("--warmup", "Untimed iterations before timing, >= 0.")
              .in(timing)
              .shown(PanelGroup::timing, "Warm-up iterations")
              .at_least(0));
    // 0 means adaptive in the configuration, so the flag, which is given only for a fixed count, starts at 1.
    visit(Setting(&M::fixed_iters, "fixed_iters")
              .named("iters")
              .cli("--iters", "Exactly this many timed iterations, >= 1 (default: adaptive, see --min-time).")
              .in(timing)
              .shown(PanelGroup::timing, "Timed iterations")
              .at_least(0)
              .zero_means("adaptive")
              .flag_between(1, std::numeric_limits<int>::max(), " (leave --iters out for adaptive timing)"));
    visit(Setting(&M::min_time_s, "min_time_s")
              .named("min_time")
              .cli("--min-time",
                  "Adaptive timing: measure at least this long (and min_iters iterations), then stop once the "
                  "standard error is below --target-error of the mean.")
              .in(timing)
              .shown(PanelGroup::timing, "Minimum time")
              .spin(0.01, 3600, 2, " s")
              .positive());
    visit(Setting(&M::max_time_s, "max_time_s")
              .named("max_time")
              .cli("--max-time", "Adaptive timing: stop after this long even if still noisy.")
              .in(timing)
              .positive());
    visit(Setting(&M::min_iters, "min_iters").at_least(1));
    visit(Setting(&M::max_iters, "max_iters")
              .cli("--max-iters", "Adaptive timing: stop after this many iterations.")
              .in(timing)
              .at_least(1));
    visit(Setting(&M::target_rel_error, "target_rel_error")
              .cli("--target-error", "Adaptive timing: target standard error of the mean, relative to the mean.")
              .in(timing)
              .positive());
    visit(Setting(&M::noise_cv_threshold, "noise_cv_threshold").positive());
    visit(
        Setting(&M::flush_l2, "flush_l2")
            .cli("--flush-l2", "CUDA: overwrite twice the L2 cache before every timed iteration, so each starts cold.")
            .in(timing)
            .shown(PanelGroup::timing, "Flush L2 before each iteration")
            .since_later());
    visit(Setting(&M::profile, "profile")
              .cli("--profile",
                  "Run a few more iterations under LibTorch's profiler (Kineto): kernels or operators per iteration, "
                  "GPU-busy share, top kernels, the bound in the report's Explained table.")
              .in(explain)
              .shown(PanelGroup::timing, "Profiled pass (kernels, GPU busy, traces)")
              .since_later());
    visit(Setting(&M::profile_iters, "profile_iters")
              .cli("--profile-iters", "Iterations of the profiled pass (implies --profile).")
              .in(explain)
              .between(1, max_profile_iters)
              .since_later());
    // Runs saved before interleaving existed timed one variant after another.
    visit(Setting(&M::interleave, "interleave").since_later(false));
}

template <typename Visit> void for_each_sweep_setting(Visit&& visit)
{
    using S = SweepConfig;
    const char* execution = setting_group::execution;
    visit(Setting(&S::workloads, "workloads")
              .named("workload")
              .cli("--workload", "What to measure (a comma list also works; default: every workload).")
              .in(setting_group::workload)
              .shows_default([] { return std::string("all"); }));
    visit(Setting(&S::attention, "attention"));
    visit(Setting(&S::model, "model"));
    visit(Setting(&S::variants, "variants")
              .cli("--variants",
                  "Execution variants, comma-separated, or all (every variant this build can run on --device, the "
                  "default: on the CPU that includes aot-inductor, whose packages take minutes to export, and the "
                  "Python variants); eager is the baseline of every speedup. `list` shows which ones this build and "
                  "device can run.")
              .in(execution)
              .allows([] {
                  std::vector<std::string> names;
                  for (const VariantTraits& traits : builtin_variants())
                      names.push_back(traits.name);
                  return names;
              })
              .shows_default([] { return std::string("all"); }));
    visit(Setting(&S::phases, "phases")
              .cli("--phases",
                  "Phases to time, comma-separated; those a workload lacks are ignored (default: every phase of each "
                  "workload; attention: forward, backward, forward_backward; transformer_lm: forward, train_step).")
              .in(execution));
    visit(Setting(&S::device, "device")
              .cli("--device", "Where to run; cuda needs a CUDA build of LibTorch and a GPU.")
              .in(execution));
    visit(Setting(&S::dtype, "dtype")
              .cli("--dtype", "Element type; tf32 keeps fp32 storage with TF32 matmuls on CUDA.")
              .in(execution));
    visit(
        Setting(&S::threads, "threads")
            .cli("--threads", "LibTorch intra-op threads; 0 keeps LibTorch's default.")
            .in(execution)
            .shown(PanelGroup::timing, "Threads")
            .at_least(0)
            .zero_means("LibTorch default", "LibTorch's default")); // at most max_threads(): validate_config() says why
    visit(Setting(&S::allocator, "allocator")
              .cli("--allocator",
                  "CPU allocator: keep holds freed memory in the process so timed iterations do not page-fault; "
                  "system keeps glibc's defaults. Applied at start-up.")
              .in(execution));
    visit(Setting(&S::sdpa_backend, "sdpa_backend")
              .cli("--sdpa-backend",
                  "Kernel the fused-sdpa variants may use (at::scaled_dot_product_attention); auto lets LibTorch "
                  "choose. A backend that cannot run a cell makes that cell unavailable, with LibTorch's reason.")
              .in(execution)
              .shown(PanelGroup::execution, "SDPA backend")
              .only_with_variants(&VariantTraits::fused_sdpa,
                  "a variant that uses scaled_dot_product_attention (fused-sdpa and its cuda-graph compositions)")
              .since_later());
    // Since CompileScope 0.2 (Python variants).
    visit(Setting(&S::speedup_baseline, "speedup_baseline")
              .cli("--speedup-baseline",
                  "The variant speedups are relative to: eager (C++) or py-eager (Python eager, the seed report's "
                  "Uncompiled). Correctness is always checked against eager.")
              .in(execution)
              .expects("NAME", "a variant's name")
              .allows(speedup_baseline_names)
              .since_later());
    visit(Setting(&S::python, "python")
              .cli("--python",
                  "The Python (with torch) that runs the Python variants py-eager, torch-compile, torch-compile-ro; "
                  "default: the one that owns the linked LibTorch, recorded at build time.")
              .in(execution)
              .shown(PanelGroup::execution, "Python")
              .expects("PATH", "the path of a Python with torch")
              .shows_default(build_python)
              .since_later());
    visit(Setting(&S::python_adamw, "python_adamw")
              .cli("--py-adamw",
                  "AdamW of the Python variants' train step: torch.optim.AdamW's default foreach implementation, or "
                  "fused=True.")
              .in(execution)
              .shown(PanelGroup::execution, "Python AdamW")
              .only_with_variants(&VariantTraits::python, "a Python variant (py-eager, torch-compile, ...)")
              .since_later());
    // Since CompileScope 0.3 (AOTInductor variants).
    visit(Setting(&S::aoti_cache, "aoti_cache")
              .cli("--aoti-cache",
                  "Where the AOTInductor variants' packages are kept, made by that Python's torch. Packages are code: "
                  "only this directory's are loaded, and it must be private to you.")
              .in(execution)
              .shown(PanelGroup::execution, "AOTI cache")
              .only_with_variants(&VariantTraits::aot_inductor, "an AOTInductor variant (aot-inductor)")
              .expects("DIR", "a directory for the AOTInductor packages")
              .shows_default([] {
                  const std::string directory = default_aoti_cache_directory();
                  return directory.empty() ? std::string("(none: no home folder)") : directory;
              })
              .since_later());
    visit(Setting(&S::aoti_jobs, "aoti_jobs")
              .cli("--aoti-jobs",
                  "AOTInductor packages exported at once before the sweep measures (one Python process each); 0: "
                  "half the cores.")
              .in(execution)
              .shown(PanelGroup::execution, "AOTI exports")
              .only_with_variants(&VariantTraits::aot_inductor, "an AOTInductor variant (aot-inductor)")
              .between(0, max_aoti_jobs)
              .zero_means("half the cores")
              .since_later());
    visit(Setting(&S::aoti_timeout_s, "aoti_timeout_s")
              .named("aoti_timeout")
              .cli("--aoti-timeout",
                  "Seconds one AOTInductor package's export may take; then its exporter is stopped and that cell's "
                  "aot-inductor measurements fail, with the reason.")
              .in(execution)
              .shown(PanelGroup::execution, "AOTI export limit")
              .only_with_variants(&VariantTraits::aot_inductor, "an AOTInductor variant (aot-inductor)")
              .at_least(1)
              .since_later());
    visit(Setting(&S::trace_dir, "trace_dir")
              .cli("--trace-dir",
                  "Keep each profiled pass's Chrome trace (opens in Perfetto) in this directory (implies "
                  "--profile).")
              .in(setting_group::explain)
              .expects("DIR", "a directory for the profiled passes' Chrome traces")
              .since_later());
    visit(Setting(&S::seed, "seed").cli("--seed", "RNG seed for inputs and parameters, >= 0.").in(execution));
    visit(Setting(&S::measure, "measure"));
    visit(Setting(&S::memory_limit_bytes, "memory_limit_bytes")
              .named("memory_limit")
              .cli("--memory-limit-mb",
                  "Skip cells whose memory estimate exceeds this many MiB (reported with both numbers); 0: the memory "
                  "the device reports available.")
              .in(execution)
              .at_least(0)
              .zero_means("what the device reports available")
              .flag_in_units_of(int64_t { 1024 } * 1024));
    visit(Setting(&S::preset, "preset"));
}

/// Every row, parts before the sweep's own rows that hold them: attention, model, measure, then the sweep.
template <typename Visit> void for_each_setting(Visit&& visit)
{
    for_each_attention_setting(visit);
    for_each_model_setting(visit);
    for_each_measure_setting(visit);
    for_each_sweep_setting(visit);
}

} // namespace compilescope
