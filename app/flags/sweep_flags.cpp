#include "sweep_flags.h"

#include "typed_options.h"

#include "compilescope/presets.h"
#include "compilescope/settings.h"
#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"

#include <algorithm>
#include <limits>
#include <type_traits>

namespace compilescope::cli {

namespace {

template <typename T> struct IsVector : std::false_type {
};
template <typename T> struct IsVector<std::vector<T>> : std::true_type {
    using element = T;
};

std::string allowed(const std::vector<std::string>& names)
{
    return " Allowed: " + join(names, ", ") + ".";
}

template <typename T> std::string default_text(const T& value, int64_t unit)
{
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>)
        return std::to_string(value / static_cast<T>(unit));
    else if constexpr (std::is_floating_point_v<T>)
        return plain_number(value);
    else if constexpr (std::is_enum_v<T>)
        return to_string(value);
    else if constexpr (std::is_same_v<T, std::vector<int64_t>>)
        return int_list(value, ",");
    else
        return {};
}

/// The range of an integer flag: its own bounds, else the field's scaled to the flag's unit, else what T can store.
template <typename Owner, typename T> IntegerRange<T> flag_range(const Setting<Owner, T>& setting)
{
    IntegerRange<T> range;
    const SettingLimits* limits = setting.own_flag_limits ? &setting.flag_limits : nullptr;
    if (!limits && setting.flag_unit == 1) {
        if (std::is_unsigned_v<T>)
            range.refusal = [](const std::string& text) {
                return "must be an integer from 0 to " + std::to_string(std::numeric_limits<T>::max()) + ", got '"
                    + text + "'";
            };
        return range; // the field's own bounds are validate_config()'s
    }
    if (!limits)
        limits = &setting.limits;
    range.min = static_cast<T>(limits->min.value_or(std::numeric_limits<T>::min()));
    range.max = limits->max ? static_cast<T>(*limits->max) : std::numeric_limits<T>::max() / setting.flag_unit;
    const std::string bounds = std::to_string(range.min) + " and " + std::to_string(range.max) + limits->note;
    range.refusal = [bounds](const std::string& text) { return "must be between " + bounds + ", got " + text; };
    return range;
}

/// The option of one setting (not a part of the configuration), or nullptr when the setting has no flag.
template <typename Owner, typename T>
CLI::Option* add_setting_flag(CLI::App& app, SweepFlags& flags, FlagErrors& errors, const Setting<Owner, T>& setting)
{
    if (*setting.flag == '\0')
        return nullptr;
    const std::string flag = setting.flag;
    std::string help = setting.help;
    const auto store = [&flags, setting](const auto& value) { value_in(flags.values, setting) = value; };
    const SweepConfig defaults;
    CLI::Option* option = nullptr;
    bool show_default = true;
    if constexpr (std::is_same_v<T, bool>) {
        option = add_switch(app, flag, value_in(flags.values, setting), help);
    } else if constexpr (std::is_integral_v<T>) {
        if (setting.limits.min && setting.limits.max)
            help += " From " + std::to_string(*setting.limits.min) + " to " + std::to_string(*setting.limits.max) + ".";
        // A default the flag itself cannot take (--iters: 0 is adaptive) is the flag's absence: nothing to show.
        show_default = !(setting.own_flag_limits && setting.flag_limits.min
            && static_cast<int64_t>(value_in(defaults, setting)) < *setting.flag_limits.min);
        const int64_t unit = setting.flag_unit;
        option = add_integer<T>(
            app, errors, flag,
            [&flags, setting, unit](const T& value) { value_in(flags.values, setting) = value * static_cast<T>(unit); },
            help, flag_range(setting));
        if (unit != 1)
            option->type_name("MIB");
    } else if constexpr (std::is_floating_point_v<T>) {
        option = add_number(app, errors, flag, Store<double>(store), help);
    } else if constexpr (std::is_enum_v<T>) {
        help += allowed(EnumNames<T>::names());
        option = add_name<T>(
            app, errors, flag, Store<T>(store), name_table(EnumNames<T>::names(), EnumNames<T>::parse), help);
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (setting.allowed_names)
            help += allowed(setting.allowed_names());
        option = add_path(app, errors, flag, Store<std::string>(store), setting.expected, help)
                     ->type_name(setting.value_name);
    } else if constexpr (std::is_same_v<T, std::vector<int64_t>>) {
        option = add_integer_list(app, errors, flag, Store<T>(store), help);
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
        if (setting.allowed_names)
            help += allowed(setting.allowed_names());
        option = add_name_list(app, errors, flag, Store<T>(store), help);
    } else if constexpr (IsVector<T>::value) {
        using Enum = typename IsVector<T>::element;
        // "all" stands for every built-in workload; every phase is the default already. A model file is chosen by
        // --model-file, which names the file it needs.
        const bool all = std::is_same_v<Enum, Workload>;
        std::vector<std::string> names = EnumNames<Enum>::names();
        if (all)
            names.erase(std::remove(names.begin(), names.end(), to_string(Workload::model_file)), names.end());
        const NameTable<Enum> table = name_table(names, EnumNames<Enum>::parse);
        if (all)
            names.emplace_back("all");
        option = add_enum_list<Enum>(app, errors, flag, Store<T>(store), table, all, help + allowed(names));
        if (all)
            option->type_name("NAME");
    }
    if (!option)
        return nullptr;
    if (show_default)
        option->default_str(setting.shown_default ? setting.shown_default()
                                                  : default_text(value_in(defaults, setting), setting.flag_unit));
    option->group(setting.group);
    return option;
}

} // namespace

bool SweepFlags::has(const std::string& flag) const
{
    return std::find(given.begin(), given.end(), flag) != given.end();
}

void add_sweep_flags(CLI::App& app, SweepFlags& flags, FlagErrors& errors)
{
    NameTable<std::string> presets;
    for (const auto& name : preset_names())
        presets.emplace_back(name, name);
    add_name(app, errors, "--preset", into(flags.preset), presets,
        "Start from a preset's attention grid and model; explicit flags override it. `list` shows each preset."
            + allowed(preset_names()))
        ->group(setting_group::workload);
    add_switch(app, "--quick", flags.quick,
        "A first look: a small grid, few warm-ups, short timing windows (applied after --preset; explicit flags "
        "override it). With every variant on a CPU it still takes minutes (AOTInductor's exports, torch.compile): "
        "the estimate printed first says how long.")
        ->group(setting_group::workload);

    // --help lists the groups in the order their first options were added.
    std::vector<std::pair<std::string, CLI::Option*>> options;
    for (const char* group : { setting_group::workload, setting_group::attention, setting_group::model,
             setting_group::execution, setting_group::timing, setting_group::explain }) {
        for_each_setting([&](const auto& setting) {
            if constexpr (!is_part_v<typename std::decay_t<decltype(setting)>::value_type>) {
                if (std::string(setting.group) != group)
                    return;
                if (CLI::Option* option = add_setting_flag(app, flags, errors, setting))
                    options.emplace_back(setting.flag, option);
            }
        });
    }
    // A fixed count and the adaptive window exclude each other.
    CLI::Option* iters = app.get_option("--iters");
    for (const char* adaptive : { "--min-time", "--max-time", "--max-iters", "--target-error" })
        iters->excludes(app.get_option(adaptive));
    app.final_callback([&flags, options] {
        for (const auto& [flag, option] : options) {
            if (option->count() > 0 && !flags.has(flag))
                flags.given.push_back(flag);
        }
    });
}

ParsedSweepFlags apply_sweep_flags(const SweepFlags& flags, SweepConfig base)
{
    ParsedSweepFlags parsed { std::move(base), {} };
    SweepConfig& config = parsed.config;
    if (flags.preset)
        apply_preset(*find_preset(*flags.preset), config); // the flag allows only preset_names()
    if (flags.quick)
        apply_quick(config);
    for_each_setting([&](const auto& setting) {
        if (*setting.flag != '\0' && flags.has(setting.flag))
            value_in(config, setting) = value_in(flags.values, setting);
    });

    MeasureConfig& measure = config.measure;
    // min_iters has no flag (it comes from the defaults or --quick), so a --max-iters below it is this flag's error.
    if (flags.has("--max-iters") && measure.max_iters >= 1 && measure.max_iters < measure.min_iters)
        parsed.errors.push_back({ field_of_flag("--max-iters"), "--max-iters",
            "must be between " + std::to_string(measure.min_iters) + " (the adaptive minimum of iterations) and "
                + std::to_string(std::numeric_limits<int>::max()) + ", got " + std::to_string(measure.max_iters)
                + "; for fewer iterations use --iters N" });
    // A trace directory or an iteration count asks for the pass they are about.
    if (flags.has("--profile-iters") || flags.has("--trace-dir"))
        measure.profile = true;
    return parsed;
}

std::vector<std::string> ineffective_flags(const SweepFlags& flags, const SweepConfig& config, bool exports)
{
    const auto runs = [&](Workload workload) {
        return std::find(config.workloads.begin(), config.workloads.end(), workload) != config.workloads.end();
    };
    const auto any_variant
        = [&](auto predicate) { return std::any_of(config.variants.begin(), config.variants.end(), predicate); };
    std::vector<std::string> warnings;
    const auto warn_unless = [&](bool effective, const std::string& flag, const std::string& why) {
        if (flags.has(flag) && !effective)
            warnings.push_back(flag + " has no effect " + why);
    };

    // A flag of one workload's part does nothing without that workload.
    for_each_setting([&](const auto& setting) {
        const auto workload = workload_of<typename std::decay_t<decltype(setting)>::owner_type>();
        if (!workload || *setting.flag == '\0')
            return;
        warn_unless(runs(*workload), setting.flag,
            *workload == Workload::attention
                ? "with --workload transformer_lm (it sets the attention grid; the model has the --model-* flags "
                  "and is always causal)"
                : "with --workload attention (it sets the transformer_lm model)");
    });

    // A flag for some variants does nothing without one (export-aoti makes AOTInductor packages whatever it runs).
    const auto any_with = [&](bool VariantTraits::*trait) {
        return (exports && trait == &VariantTraits::aot_inductor)
            || any_variant([trait](const std::string& name) { return variant_traits(name).*trait; });
    };
    for_each_setting([&](const auto& setting) {
        if (setting.only_with && *setting.flag != '\0')
            warn_unless(any_with(setting.only_with), setting.flag, std::string("without ") + setting.needs);
    });
    if (any_with(&VariantTraits::python))
        warn_unless(runs(Workload::transformer_lm) || runs(Workload::model_file), "--py-adamw",
            "without --workload transformer_lm or --model-file (it picks the Python train step's AdamW)");
    // The Python steers the Python variants and the AOTInductor exporter alike.
    warn_unless(any_with(&VariantTraits::python) || any_with(&VariantTraits::aot_inductor), "--python",
        "without a Python or AOTInductor variant (py-eager, torch-compile, aot-inductor, ...)");
    return warnings;
}

} // namespace compilescope::cli
