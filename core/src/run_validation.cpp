#include "compilescope/run_validation.h"

#include "compilescope/file_io.h"
#include "compilescope/reports.h"
#include "compilescope/validation.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace compilescope {

namespace {

/// validate_config's fields that depend on the machine reading the file, not on the file.
bool about_this_machine(const ConfigError& error)
{
    return error.field == "device" || error.field == "dtype" || error.field == "threads";
}

class Checker {
public:
    explicit Checker(std::vector<ConfigError>& errors)
        : m_errors(errors)
    {
    }

    void error(const std::string& field, const std::string& message) { m_errors.push_back({ field, message }); }

    void positive(const std::string& field, int64_t value)
    {
        if (value < 1)
            error(field, "must be > 0, got " + std::to_string(value));
    }

    void non_negative(const std::string& field, int64_t value)
    {
        if (value < 0)
            error(field, "must be >= 0, got " + std::to_string(value));
    }

    /// A time, count or size read as a double: finite and >= 0.
    void non_negative(const std::string& field, double value)
    {
        if (!std::isfinite(value) || value < 0) {
            std::ostringstream message;
            message << "must be a finite number >= 0, got " << value;
            error(field, message.str());
        }
    }

private:
    std::vector<ConfigError>& m_errors;
};

template <typename T> bool contains(const std::vector<T>& items, const T& item)
{
    return std::find(items.begin(), items.end(), item) != items.end();
}

void check_stats(Checker& check, const std::string& path, const Stats& stats)
{
    check.non_negative(path + ".n", int64_t(stats.n));
    const std::pair<const char*, double> values[] = { { "mean_ms", stats.mean_ms }, { "std_ms", stats.std_ms },
        { "median_ms", stats.median_ms }, { "q1_ms", stats.q1_ms }, { "q3_ms", stats.q3_ms },
        { "min_ms", stats.min_ms }, { "max_ms", stats.max_ms }, { "cv", stats.cv } };
    for (const auto& [name, value] : values)
        check.non_negative(path + "." + name, value);
}

void check_profile(Checker& check, const std::string& path, const ProfileSummary& profile)
{
    check.non_negative(path + ".iterations", int64_t(profile.iterations));
    check.non_negative(path + ".launches_per_iter", profile.launches_per_iter);
    check.non_negative(path + ".busy_ms_per_iter", profile.busy_ms_per_iter);
    check.non_negative(path + ".busy_share", profile.busy_share);
    check.non_negative(path + ".profiled_iter_ms", profile.profiled_iter_ms);
    check.non_negative(path + ".pass_ms", profile.pass_ms);
    for (size_t i = 0; i < profile.top.size(); ++i) {
        const std::string kernel = path + ".top[" + std::to_string(i) + "]";
        check.non_negative(kernel + ".calls_per_iter", profile.top[i].calls_per_iter);
        check.non_negative(kernel + ".ms_per_iter", profile.top[i].ms_per_iter);
        check.non_negative(kernel + ".share", profile.top[i].share);
    }
}

void check_load(Checker& check, const std::string& path, const MachineLoad& load)
{
    check.non_negative(path + ".others_cpu_share", load.others_cpu_share);
    check.non_negative(path + ".steal_share", load.steal_share);
    check.non_negative(path + ".involuntary_switches_per_s", load.involuntary_switches_per_s);
    check.non_negative(path + ".cpus", int64_t(load.cpus));
    check.non_negative(path + ".window_s", load.window_s);
    if (load.gpu_other_processes)
        check.non_negative(path + ".gpu_other_processes", int64_t(*load.gpu_other_processes));
}

void check_measurement(
    Checker& check, const std::string& path, const Measurement& measurement, const std::vector<std::string>& known)
{
    const CellKey& cell = measurement.cell;
    if (cell.workload == Workload::model_file) {
        if (cell.point.empty())
            check.error(path + ".cell.point", "a model file's cell needs its point on the file's axes");
        for (size_t i = 0; i < cell.point.size(); ++i)
            check.positive(path + ".cell.point[" + std::to_string(i) + "].value", cell.point[i].value);
    } else {
        check.positive(path + ".cell.batch", cell.batch);
        check.positive(path + ".cell.d_model", cell.d_model);
        check.positive(path + ".cell.seq_len", cell.seq_len);
    }
    if (!contains(phases_of(cell.workload), measurement.phase)) {
        std::string phases;
        for (Phase phase : phases_of(cell.workload))
            phases += (phases.empty() ? "" : ", ") + to_string(phase);
        check.error(path + ".phase",
            to_string(measurement.phase) + " is not a phase of " + to_string(cell.workload) + " (" + phases + ")");
    }
    if (!contains(known, measurement.variant)) {
        std::string names;
        for (const std::string& name : known)
            names += (names.empty() ? "" : ", ") + name;
        const std::string variant
            = measurement.variant.size() <= 60 ? measurement.variant : measurement.variant.substr(0, 60) + "...";
        check.error(path + ".variant", "unknown variant \"" + variant + "\" (allowed: " + names + ")");
    }
    check.non_negative(path + ".warmup_iters", int64_t(measurement.warmup_iters));
    if (measurement.compile_ms)
        check.non_negative(path + ".compile_ms", *measurement.compile_ms);
    if (measurement.first_call_ms)
        check.non_negative(path + ".first_call_ms", *measurement.first_call_ms);
    check_stats(check, path + ".stats", measurement.stats);
    // One message for the first bad sample: a file with a million bad ones needs no million lines.
    for (size_t i = 0; i < measurement.samples_ms.size(); ++i) {
        const double sample = measurement.samples_ms[i];
        if (!std::isfinite(sample) || sample < 0) {
            check.non_negative(path + ".samples_ms[" + std::to_string(i) + "]", sample);
            break;
        }
    }
    check.non_negative(path + ".peak_memory_bytes", measurement.peak_memory_bytes);
    check.non_negative(path + ".estimated_memory_bytes", measurement.estimated_memory_bytes);
    check.non_negative(path + ".flops", measurement.flops);
    check.non_negative(path + ".bytes", measurement.bytes);
    if (measurement.profile)
        check_profile(check, path + ".profile", *measurement.profile);
    if (measurement.load)
        check_load(check, path + ".load", *measurement.load);
    if (const auto& explained = measurement.compile_explained) {
        check.non_negative(path + ".compile_explained.graphs", int64_t(explained->graphs));
        check.non_negative(path + ".compile_explained.dynamo_ms", explained->dynamo_ms);
        check.non_negative(path + ".compile_explained.aot_autograd_ms", explained->aot_autograd_ms);
        check.non_negative(path + ".compile_explained.inductor_ms", explained->inductor_ms);
        check.non_negative(path + ".compile_explained.codegen_ms", explained->codegen_ms);
    }
    // correctness.max_abs_error and max_rel_error may be NaN (null in the file): a failed check can produce them.
}

} // namespace

std::vector<ConfigError> validate_run(const RunResult& run)
{
    // A loaded run is checked against the variants this build knows, not what this machine can run.
    const MachineOffer built_in;
    std::vector<ConfigError> errors;
    for (ConfigError& error : validate_config(run.config, built_in)) {
        // The messages quote the values; a hostile file's values can be a megabyte long.
        constexpr size_t longest = 300;
        if (error.message.size() > longest)
            error.message = error.message.substr(0, longest) + "...";
        if (!about_this_machine(error))
            errors.push_back({ "config." + error.field, std::move(error.message) });
    }
    Checker check(errors);
    check.non_negative("config.threads", int64_t(run.config.threads));
    check.non_negative("wall_time_s", run.wall_time_s);

    for (size_t i = 0; i < run.measurements.size(); ++i)
        check_measurement(check, "measurements[" + std::to_string(i) + "]", run.measurements[i], built_in.variants);
    return errors;
}

RunResult load_run_file(const std::string& path)
{
    RunResult run = parse_run_json(read_file(path));
    check_possible(run);
    return run;
}

void check_possible(const RunResult& run)
{
    const std::vector<ConfigError> errors = validate_run(run);
    if (errors.empty())
        return;
    constexpr size_t shown = 10;
    std::string message = "impossible run: ";
    for (size_t i = 0; i < errors.size() && i < shown; ++i)
        message += (i ? "; " : "") + errors[i].field + ": " + errors[i].message;
    if (errors.size() > shown)
        message += "; and " + std::to_string(errors.size() - shown) + " more";
    throw RunFileError(message);
}

} // namespace compilescope
