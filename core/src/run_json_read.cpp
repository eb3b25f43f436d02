// from_json for every value of the run JSON (compilescope/run_json.h): each checks its fields' types itself and
// throws run_json::FieldError with the field's path, so a bad file is refused with the field named, never converted.
#include "compilescope/run_json.h"

#include <limits>

namespace compilescope {

namespace run_json {

namespace {

std::string type_of(const Json& value)
{
    if (value.is_number_integer())
        return "an integer";
    if (value.is_number())
        return "a number";
    if (value.is_object() || value.is_array())
        return std::string("an ") + value.type_name();
    return std::string("a ") + value.type_name();
}

[[noreturn]] void mistyped(const std::string& expected, const Json& value)
{
    throw FieldError("", "must be " + expected + ", got " + type_of(value), true);
}

/// "a", "a.b", "a[2]": how a path continues below `prefix`.
std::string joined(const std::string& prefix, const std::string& path)
{
    if (path.empty())
        return prefix;
    return path.front() == '[' ? prefix + path : prefix + "." + path;
}

std::string message_of(const std::string& path, const std::string& problem)
{
    return "invalid run file: " + (path.empty() ? "the value" : "field \"" + path + "\"") + " " + problem;
}

template <typename Enum>
void read_enum(const Json& json, Enum& value, std::optional<Enum> (*parse)(const std::string&),
    const std::vector<std::string>& allowed)
{
    std::string name;
    read_value(json, name);
    const std::optional<Enum> parsed = parse(name);
    if (!parsed) {
        std::string list;
        for (const std::string& item : allowed)
            list += (list.empty() ? "" : ", ") + item;
        throw FieldError("", "has unknown value \"" + shown(name) + "\" (allowed: " + list + ")", false);
    }
    value = *parsed;
}

std::vector<std::string> status_names()
{
    std::vector<std::string> names;
    for (MeasurementStatus status : { MeasurementStatus::ok, MeasurementStatus::failed, MeasurementStatus::skipped,
             MeasurementStatus::unavailable, MeasurementStatus::cancelled })
        names.push_back(to_string(status));
    return names;
}

} // namespace

FieldError::FieldError(std::string path, std::string problem, bool wrong_type)
    : ReportFormatError(message_of(path, problem))
    , m_path(std::move(path))
    , m_problem(std::move(problem))
    , m_wrong_type(wrong_type)
{
}

FieldError FieldError::under(const std::string& key) const
{
    return FieldError(joined(key, m_path), m_problem, m_wrong_type);
}

FieldError FieldError::under(size_t index) const
{
    return FieldError(joined("[" + std::to_string(index) + "]", m_path), m_problem, m_wrong_type);
}

void expect_object(const Json& json)
{
    if (!json.is_object())
        mistyped("an object", json);
}

void expect_array(const Json& json)
{
    if (!json.is_array())
        mistyped("an array", json);
}

void read_value(const Json& json, bool& value)
{
    if (!json.is_boolean())
        mistyped("true or false", json);
    value = json.get<bool>();
}

void read_value(const Json& json, int64_t& value)
{
    if (json.is_number_unsigned() && json.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
        throw FieldError("", "is out of range", false);
    if (!json.is_number_integer())
        mistyped("an integer", json);
    value = json.get<int64_t>();
}

void read_value(const Json& json, int& value)
{
    int64_t wide = 0;
    read_value(json, wide);
    if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
        throw FieldError("", "is out of range, got " + std::to_string(wide), false);
    value = static_cast<int>(wide);
}

void read_value(const Json& json, uint64_t& value)
{
    if (!json.is_number_unsigned())
        mistyped("a non-negative integer", json);
    value = json.get<uint64_t>();
}

void read_value(const Json& json, double& value)
{
    if (json.is_null()) {
        value = std::numeric_limits<double>::quiet_NaN();
        return;
    }
    if (!json.is_number())
        mistyped("a number", json);
    value = json.get<double>();
}

void read_value(const Json& json, std::string& value)
{
    if (!json.is_string())
        mistyped("a string", json);
    value = json.get<std::string>();
}

} // namespace run_json

using run_json::Json;
using run_json::read;
using run_json::read_if_present;

void from_json(const Json& json, Workload& value)
{
    run_json::read_enum(json, value, parse_workload, workload_names());
}

void from_json(const Json& json, Phase& value)
{
    run_json::read_enum(json, value, parse_phase, phase_names());
}

void from_json(const Json& json, Device& value)
{
    run_json::read_enum(json, value, parse_device, device_names());
}

void from_json(const Json& json, Dtype& value)
{
    run_json::read_enum(json, value, parse_dtype, dtype_names());
}

void from_json(const Json& json, AllocatorPolicy& value)
{
    run_json::read_enum(json, value, parse_allocator_policy, allocator_policy_names());
}

void from_json(const Json& json, SdpaBackend& value)
{
    run_json::read_enum(json, value, parse_sdpa_backend, sdpa_backend_names());
}

void from_json(const Json& json, PythonAdamW& value)
{
    run_json::read_enum(json, value, parse_python_adamw, python_adamw_names());
}

void from_json(const Json& json, MeasurementStatus& value)
{
    run_json::read_enum(json, value, parse_measurement_status, run_json::status_names());
}

void from_json(const Json& json, AttentionConfig& attention)
{
    run_json::expect_object(json);
    read(json, "d_models", attention.d_models);
    read(json, "seq_lens", attention.seq_lens);
    read(json, "batch", attention.batch);
    read(json, "causal", attention.causal);
}

void from_json(const Json& json, ModelConfig& model)
{
    run_json::expect_object(json);
    read(json, "vocab_size", model.vocab_size);
    read(json, "context_length", model.context_length);
    read(json, "d_model", model.d_model);
    read(json, "num_layers", model.num_layers);
    read(json, "num_heads", model.num_heads);
    read(json, "d_ff", model.d_ff);
    read(json, "batch", model.batch);
    read(json, "seq_len", model.seq_len);
    read(json, "rope_theta", model.rope_theta);
}

void from_json(const Json& json, MeasureConfig& measure)
{
    run_json::expect_object(json);
    read(json, "warmup_iters", measure.warmup_iters);
    read(json, "fixed_iters", measure.fixed_iters);
    read(json, "min_time_s", measure.min_time_s);
    read(json, "max_time_s", measure.max_time_s);
    read(json, "min_iters", measure.min_iters);
    read(json, "max_iters", measure.max_iters);
    read(json, "target_rel_error", measure.target_rel_error);
    read(json, "noise_cv_threshold", measure.noise_cv_threshold);
    read_if_present(json, "flush_l2", measure.flush_l2);
    read_if_present(json, "profile", measure.profile);
    read_if_present(json, "profile_iters", measure.profile_iters);
    // Runs saved before interleaving existed timed one variant after another: absent is false, not the default.
    measure.interleave = false;
    read_if_present(json, "interleave", measure.interleave);
}

void from_json(const Json& json, SweepConfig& config)
{
    run_json::expect_object(json);
    read(json, "workloads", config.workloads);
    read(json, "attention", config.attention);
    read(json, "model", config.model);
    read(json, "variants", config.variants);
    read(json, "phases", config.phases);
    read(json, "device", config.device);
    read(json, "dtype", config.dtype);
    read(json, "threads", config.threads);
    read(json, "allocator", config.allocator);
    read_if_present(json, "sdpa_backend", config.sdpa_backend);
    // Optional since CompileScope 0.2 (Python variants); older files read as their defaults.
    read_if_present(json, "speedup_baseline", config.speedup_baseline);
    read_if_present(json, "python", config.python);
    read_if_present(json, "python_adamw", config.python_adamw);
    // Optional since CompileScope 0.3 (AOTInductor variants).
    read_if_present(json, "aoti_cache", config.aoti_cache);
    read_if_present(json, "aoti_jobs", config.aoti_jobs);
    read_if_present(json, "trace_dir", config.trace_dir);
    read(json, "seed", config.seed);
    read(json, "measure", config.measure);
    read(json, "memory_limit_bytes", config.memory_limit_bytes);
    read(json, "preset", config.preset);
}

void from_json(const Json& json, DevicePeaks& peaks)
{
    run_json::expect_object(json);
    read(json, "flops_per_s", peaks.flops_per_s);
    read(json, "bytes_per_s", peaks.bytes_per_s);
    read(json, "source", peaks.source);
}

void from_json(const Json& json, Environment& environment)
{
    run_json::expect_object(json);
    read(json, "compilescope_version", environment.compilescope_version);
    read(json, "git_revision", environment.git_revision);
    read(json, "libtorch_version", environment.libtorch_version);
    read(json, "cuda_available", environment.cuda_available);
    read(json, "mps_available", environment.mps_available);
    read(json, "cuda_version", environment.cuda_version);
    read(json, "cudnn_version", environment.cudnn_version);
    read(json, "gpu_name", environment.gpu_name);
    read(json, "gpu_sm_count", environment.gpu_sm_count);
    read(json, "gpu_driver", environment.gpu_driver);
    read(json, "cpu_model", environment.cpu_model);
    read(json, "cpu_cores", environment.cpu_cores);
    read(json, "torch_threads", environment.torch_threads);
    read(json, "blas", environment.blas);
    read(json, "compiler", environment.compiler);
    read(json, "build_type", environment.build_type);
    read(json, "os", environment.os);
    read(json, "hostname", environment.hostname);
    read(json, "allocator", environment.allocator);
    read(json, "torchscript_cpu_fusion", environment.torchscript_cpu_fusion);
    read_if_present(json, "python", environment.python);
    read_if_present(json, "python_torch_version", environment.python_torch_version);
    read_if_present(json, "peaks", environment.peaks);
}

void from_json(const Json& json, CellKey& cell)
{
    run_json::expect_object(json);
    read(json, "workload", cell.workload);
    read(json, "batch", cell.batch);
    read(json, "d_model", cell.d_model);
    read(json, "seq_len", cell.seq_len);
}

void from_json(const Json& json, Stats& stats)
{
    run_json::expect_object(json);
    read(json, "n", stats.n);
    read(json, "mean_ms", stats.mean_ms);
    read(json, "std_ms", stats.std_ms);
    read(json, "median_ms", stats.median_ms);
    read(json, "q1_ms", stats.q1_ms);
    read(json, "q3_ms", stats.q3_ms);
    read(json, "min_ms", stats.min_ms);
    read(json, "max_ms", stats.max_ms);
    read(json, "cv", stats.cv);
}

void from_json(const Json& json, ProfiledKernel& kernel)
{
    run_json::expect_object(json);
    read(json, "name", kernel.name);
    read(json, "calls_per_iter", kernel.calls_per_iter);
    read(json, "ms_per_iter", kernel.ms_per_iter);
    read(json, "share", kernel.share);
}

void from_json(const Json& json, ProfileSummary& profile)
{
    run_json::expect_object(json);
    read(json, "iterations", profile.iterations);
    read(json, "unit", profile.unit);
    read(json, "launches_per_iter", profile.launches_per_iter);
    read(json, "busy_ms_per_iter", profile.busy_ms_per_iter);
    read(json, "busy_share", profile.busy_share);
    read(json, "profiled_iter_ms", profile.profiled_iter_ms);
    read(json, "pass_ms", profile.pass_ms);
    read(json, "top", profile.top);
    read(json, "trace_file", profile.trace_file);
}

void from_json(const Json& json, CorrectnessCheck& check)
{
    run_json::expect_object(json);
    read(json, "checked", check.checked);
    read(json, "passed", check.passed);
    read(json, "max_abs_error", check.max_abs_error);
    read(json, "max_rel_error", check.max_rel_error);
    read(json, "tolerance", check.tolerance);
    read(json, "detail", check.detail);
}

void from_json(const Json& json, Measurement& measurement)
{
    run_json::expect_object(json);
    read(json, "cell", measurement.cell);
    read(json, "phase", measurement.phase);
    read(json, "variant", measurement.variant);
    read(json, "status", measurement.status);
    read(json, "message", measurement.message);
    read(json, "notes", measurement.notes);
    read(json, "compile_ms", measurement.compile_ms);
    read(json, "first_call_ms", measurement.first_call_ms);
    read(json, "warmup_iters", measurement.warmup_iters);
    read(json, "stats", measurement.stats);
    read(json, "samples_ms", measurement.samples_ms);
    read(json, "peak_memory_bytes", measurement.peak_memory_bytes);
    read(json, "memory_kind", measurement.memory_kind);
    read(json, "estimated_memory_bytes", measurement.estimated_memory_bytes);
    read(json, "flops", measurement.flops);
    read_if_present(json, "bytes", measurement.bytes);
    read_if_present(json, "profile", measurement.profile);
    read(json, "correctness", measurement.correctness);
}

void from_json(const Json& json, RunResult& run)
{
    if (!json.is_object())
        throw ReportFormatError("not a CompileScope run: the document is not a JSON object");
    const auto schema = json.find("schema");
    if (schema == json.end())
        throw ReportFormatError("not a CompileScope run: the \"schema\" field is missing");
    if (!schema->is_string() || schema->get<std::string>() != run_json::schema_name)
        throw ReportFormatError("not a CompileScope run: \"schema\" is " + run_json::shown(run_json::dump(*schema))
            + ", expected \"" + run_json::schema_name + "\"");
    const auto version = json.find("schema_version");
    if (version == json.end() || !version->is_number_integer())
        throw ReportFormatError("not a CompileScope run: \"schema_version\" is missing or not an integer");
    if (version->get<int64_t>() != RunResult::schema_version)
        throw ReportFormatError("unsupported schema_version " + run_json::dump(*version) + ": this build reads version "
            + std::to_string(RunResult::schema_version));

    read(json, "config", run.config);
    read(json, "environment", run.environment);
    read(json, "started_at", run.started_at);
    read(json, "finished_at", run.finished_at);
    read(json, "wall_time_s", run.wall_time_s);
    read(json, "cancelled", run.cancelled);
    read(json, "measurements", run.measurements);
}

void from_json(const Json& json, SweepProgress& progress)
{
    run_json::expect_object(json);
    read(json, "completed", progress.completed);
    read(json, "total", progress.total);
    read(json, "current", progress.current);
    read(json, "elapsed_s", progress.elapsed_s);
    read(json, "eta_s", progress.eta_s);
}

} // namespace compilescope
