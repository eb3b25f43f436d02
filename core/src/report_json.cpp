// JSON run files. The schema is documented in docs/json-schema.md; keep the two in step, and bump
// RunResult::schema_version for any change a reader of version 1 would misread.
#include "compilescope/reports.h"
#include "run_json.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <new>

namespace compilescope {

namespace {

using run_json::Json;

constexpr const char* schema_name = "compilescope-run";

template <typename Enum> Json names(const std::vector<Enum>& values)
{
    Json array = Json::array();
    for (Enum value : values)
        array.push_back(to_string(value));
    return array;
}

Json optional_number(const std::optional<double>& value)
{
    return value ? Json(*value) : Json(nullptr);
}

Json config_json(const SweepConfig& config)
{
    const AttentionConfig& attention = config.attention;
    const ModelConfig& model = config.model;
    const MeasureConfig& measure = config.measure;
    return Json {
        { "workloads", names(config.workloads) },
        { "attention",
            { { "d_models", attention.d_models }, { "seq_lens", attention.seq_lens }, { "batch", attention.batch },
                { "causal", attention.causal } } },
        { "model",
            { { "vocab_size", model.vocab_size }, { "context_length", model.context_length },
                { "d_model", model.d_model }, { "num_layers", model.num_layers }, { "num_heads", model.num_heads },
                { "d_ff", model.d_ff }, { "batch", model.batch }, { "seq_len", model.seq_len },
                { "rope_theta", model.rope_theta } } },
        { "variants", config.variants },
        { "phases", names(config.phases) },
        { "device", to_string(config.device) },
        { "dtype", to_string(config.dtype) },
        { "threads", config.threads },
        { "allocator", to_string(config.allocator) },
        { "sdpa_backend", to_string(config.sdpa_backend) },
        { "speedup_baseline", config.speedup_baseline },
        { "python", config.python },
        { "python_adamw", to_string(config.python_adamw) },
        { "aoti_cache", config.aoti_cache },
        { "aoti_jobs", config.aoti_jobs },
        { "trace_dir", config.trace_dir },
        { "seed", config.seed },
        { "measure",
            { { "warmup_iters", measure.warmup_iters }, { "fixed_iters", measure.fixed_iters },
                { "min_time_s", measure.min_time_s }, { "max_time_s", measure.max_time_s },
                { "min_iters", measure.min_iters }, { "max_iters", measure.max_iters },
                { "target_rel_error", measure.target_rel_error }, { "noise_cv_threshold", measure.noise_cv_threshold },
                { "flush_l2", measure.flush_l2 }, { "profile", measure.profile },
                { "profile_iters", measure.profile_iters }, { "interleave", measure.interleave } } },
        { "memory_limit_bytes", config.memory_limit_bytes },
        { "preset", config.preset },
    };
}

Json environment_json(const Environment& environment)
{
    return Json {
        { "compilescope_version", environment.compilescope_version },
        { "git_revision", environment.git_revision },
        { "libtorch_version", environment.libtorch_version },
        { "cuda_available", environment.cuda_available },
        { "mps_available", environment.mps_available },
        { "cuda_version", environment.cuda_version },
        { "cudnn_version", environment.cudnn_version },
        { "gpu_name", environment.gpu_name },
        { "gpu_sm_count", environment.gpu_sm_count },
        { "gpu_driver", environment.gpu_driver },
        { "cpu_model", environment.cpu_model },
        { "cpu_cores", environment.cpu_cores },
        { "torch_threads", environment.torch_threads },
        { "blas", environment.blas },
        { "compiler", environment.compiler },
        { "build_type", environment.build_type },
        { "os", environment.os },
        { "hostname", environment.hostname },
        { "allocator", environment.allocator },
        { "torchscript_cpu_fusion", environment.torchscript_cpu_fusion },
        { "python", environment.python },
        { "python_torch_version", environment.python_torch_version },
        { "peaks",
            { { "flops_per_s", environment.peaks.flops_per_s }, { "bytes_per_s", environment.peaks.bytes_per_s },
                { "source", environment.peaks.source } } },
    };
}

Json profile_json(const std::optional<ProfileSummary>& profile)
{
    if (!profile)
        return nullptr;
    Json top = Json::array();
    for (const ProfiledKernel& kernel : profile->top) {
        top.push_back({ { "name", kernel.name }, { "calls_per_iter", kernel.calls_per_iter },
            { "ms_per_iter", kernel.ms_per_iter }, { "share", kernel.share } });
    }
    return Json { { "iterations", profile->iterations }, { "unit", profile->unit },
        { "launches_per_iter", profile->launches_per_iter }, { "busy_ms_per_iter", profile->busy_ms_per_iter },
        { "busy_share", profile->busy_share }, { "profiled_iter_ms", profile->profiled_iter_ms },
        { "pass_ms", profile->pass_ms }, { "top", top }, { "trace_file", profile->trace_file } };
}

Json measurement_json(const Measurement& measurement)
{
    const Stats& stats = measurement.stats;
    const CorrectnessCheck& check = measurement.correctness;
    return Json {
        { "cell",
            { { "workload", to_string(measurement.cell.workload) }, { "batch", measurement.cell.batch },
                { "d_model", measurement.cell.d_model }, { "seq_len", measurement.cell.seq_len } } },
        { "phase", to_string(measurement.phase) },
        { "variant", measurement.variant },
        { "status", to_string(measurement.status) },
        { "message", measurement.message },
        { "notes", measurement.notes },
        { "compile_ms", optional_number(measurement.compile_ms) },
        { "first_call_ms", optional_number(measurement.first_call_ms) },
        { "warmup_iters", measurement.warmup_iters },
        { "stats",
            { { "n", stats.n }, { "mean_ms", stats.mean_ms }, { "std_ms", stats.std_ms },
                { "median_ms", stats.median_ms }, { "q1_ms", stats.q1_ms }, { "q3_ms", stats.q3_ms },
                { "min_ms", stats.min_ms }, { "max_ms", stats.max_ms }, { "cv", stats.cv } } },
        { "samples_ms", measurement.samples_ms },
        { "peak_memory_bytes", measurement.peak_memory_bytes },
        { "memory_kind", measurement.memory_kind },
        { "estimated_memory_bytes", measurement.estimated_memory_bytes },
        { "flops", measurement.flops },
        { "bytes", measurement.bytes },
        { "profile", profile_json(measurement.profile) },
        { "correctness",
            { { "checked", check.checked }, { "passed", check.passed }, { "max_abs_error", check.max_abs_error },
                { "max_rel_error", check.max_rel_error }, { "tolerance", check.tolerance },
                { "detail", check.detail } } },
    };
}

// ---- Reading -----------------------------------------------------------------------------------------------------

/// A JSON object being read, with its path from the root for error messages ("measurements[3].stats").
class Reader {
public:
    Reader(const Json& object, std::string path)
        : m_object(object)
        , m_path(std::move(path))
    {
        if (!m_object.is_object())
            fail(m_path.empty() ? "the document" : m_path, "must be an object, got " + type_of(m_object));
    }

    Reader object(const char* key) const { return Reader(require(key), path_of(key)); }

    /// For fields added to version 1 after its first files were written: absent means the old behaviour.
    bool has(const char* key) const { return m_object.contains(key); }

    bool is_null(const char* key) const { return require(key).is_null(); }

    const Json& array(const char* key) const
    {
        const Json& value = require(key);
        if (!value.is_array())
            mistyped(key, "an array", value);
        return value;
    }

    std::string string(const char* key) const
    {
        const Json& value = require(key);
        if (!value.is_string())
            mistyped(key, "a string", value);
        return value.get<std::string>();
    }

    bool boolean(const char* key) const
    {
        const Json& value = require(key);
        if (!value.is_boolean())
            mistyped(key, "true or false", value);
        return value.get<bool>();
    }

    int64_t int64(const char* key) const { return integer_value(require(key), path_of(key)); }

    int int32(const char* key) const
    {
        const int64_t value = int64(key);
        if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
            fail(path_of(key), "is out of range, got " + std::to_string(value));
        return static_cast<int>(value);
    }

    uint64_t uint64(const char* key) const
    {
        const Json& value = require(key);
        if (!value.is_number_unsigned())
            mistyped(key, "a non-negative integer", value);
        return value.get<uint64_t>();
    }

    double number(const char* key) const { return number_value(require(key), path_of(key)); }

    std::optional<double> optional_number(const char* key) const
    {
        const Json& value = require(key);
        if (value.is_null())
            return std::nullopt;
        return number_value(value, path_of(key));
    }

    template <typename Enum>
    Enum enumeration(const char* key, std::optional<Enum> (*parse)(const std::string&),
        const std::vector<std::string>& allowed) const
    {
        return enum_value(require(key), path_of(key), parse, allowed);
    }

    std::vector<int64_t> int64_list(const char* key) const
    {
        std::vector<int64_t> values;
        const Json& items = array(key);
        for (size_t i = 0; i < items.size(); ++i)
            values.push_back(integer_value(items[i], item_path(key, i)));
        return values;
    }

    std::vector<double> number_list(const char* key) const
    {
        std::vector<double> values;
        const Json& items = array(key);
        values.reserve(items.size());
        for (size_t i = 0; i < items.size(); ++i)
            values.push_back(number_value(items[i], item_path(key, i)));
        return values;
    }

    std::vector<std::string> string_list(const char* key) const
    {
        std::vector<std::string> values;
        const Json& items = array(key);
        for (size_t i = 0; i < items.size(); ++i) {
            if (!items[i].is_string())
                fail(item_path(key, i), "must be a string, got " + type_of(items[i]));
            values.push_back(items[i].get<std::string>());
        }
        return values;
    }

    template <typename Enum>
    std::vector<Enum> enum_list(const char* key, std::optional<Enum> (*parse)(const std::string&),
        const std::vector<std::string>& allowed) const
    {
        std::vector<Enum> values;
        const Json& items = array(key);
        for (size_t i = 0; i < items.size(); ++i)
            values.push_back(enum_value(items[i], item_path(key, i), parse, allowed));
        return values;
    }

    std::string path_of(const std::string& key) const { return m_path.empty() ? key : m_path + "." + key; }

    std::string item_path(const std::string& key, size_t index) const
    {
        return path_of(key) + "[" + std::to_string(index) + "]";
    }

    [[noreturn]] static void fail(const std::string& path, const std::string& problem)
    {
        throw ReportFormatError("invalid run file: field \"" + path + "\" " + problem);
    }

private:
    const Json& require(const char* key) const
    {
        const auto found = m_object.find(key);
        if (found == m_object.end())
            fail(path_of(key), "is missing");
        return *found;
    }

    [[noreturn]] void mistyped(const char* key, const std::string& expected, const Json& value) const
    {
        fail(path_of(key), "must be " + expected + ", got " + type_of(value));
    }

    static std::string type_of(const Json& value)
    {
        if (value.is_number_integer())
            return "an integer";
        if (value.is_number())
            return "a number";
        if (value.is_object() || value.is_array())
            return std::string("an ") + value.type_name();
        return std::string("a ") + value.type_name();
    }

    static int64_t integer_value(const Json& value, const std::string& path)
    {
        if (value.is_number_unsigned() && value.get<uint64_t>() > uint64_t(std::numeric_limits<int64_t>::max()))
            fail(path, "is out of range");
        if (!value.is_number_integer())
            fail(path, "must be an integer, got " + type_of(value));
        return value.get<int64_t>();
    }

    static double number_value(const Json& value, const std::string& path)
    {
        // JSON has no NaN or infinity: nlohmann writes them as null (a failed correctness check can produce NaN
        // errors), so null reads back as NaN rather than making the file unreadable.
        if (value.is_null())
            return std::numeric_limits<double>::quiet_NaN();
        if (!value.is_number())
            fail(path, "must be a number, got " + type_of(value));
        return value.get<double>();
    }

    template <typename Enum>
    static Enum enum_value(const Json& value, const std::string& path, std::optional<Enum> (*parse)(const std::string&),
        const std::vector<std::string>& allowed)
    {
        if (!value.is_string())
            fail(path, "must be a string, got " + type_of(value));
        const std::string name = value.get<std::string>();
        const std::optional<Enum> parsed = parse(name);
        if (!parsed) {
            std::string list;
            for (const std::string& item : allowed)
                list += (list.empty() ? "" : ", ") + item;
            fail(path, "has unknown value \"" + run_json::shown(name) + "\" (allowed: " + list + ")");
        }
        return *parsed;
    }

    const Json& m_object;
    std::string m_path;
};

std::vector<std::string> status_names()
{
    std::vector<std::string> names;
    for (MeasurementStatus status : { MeasurementStatus::ok, MeasurementStatus::failed, MeasurementStatus::skipped,
             MeasurementStatus::unavailable, MeasurementStatus::cancelled })
        names.push_back(to_string(status));
    return names;
}

SweepConfig read_config(const Reader& reader)
{
    SweepConfig config;
    config.workloads = reader.enum_list("workloads", parse_workload, workload_names());

    const Reader attention = reader.object("attention");
    config.attention.d_models = attention.int64_list("d_models");
    config.attention.seq_lens = attention.int64_list("seq_lens");
    config.attention.batch = attention.int64("batch");
    config.attention.causal = attention.boolean("causal");

    const Reader model = reader.object("model");
    config.model.vocab_size = model.int64("vocab_size");
    config.model.context_length = model.int64("context_length");
    config.model.d_model = model.int64("d_model");
    config.model.num_layers = model.int64("num_layers");
    config.model.num_heads = model.int64("num_heads");
    config.model.d_ff = model.int64("d_ff");
    config.model.batch = model.int64("batch");
    config.model.seq_len = model.int64("seq_len");
    config.model.rope_theta = model.number("rope_theta");

    config.variants = reader.string_list("variants");
    config.phases = reader.enum_list("phases", parse_phase, phase_names());
    config.device = reader.enumeration("device", parse_device, device_names());
    config.dtype = reader.enumeration("dtype", parse_dtype, dtype_names());
    config.threads = reader.int32("threads");
    config.allocator = reader.enumeration("allocator", parse_allocator_policy, allocator_policy_names());
    if (reader.has("sdpa_backend"))
        config.sdpa_backend = reader.enumeration("sdpa_backend", parse_sdpa_backend, sdpa_backend_names());
    // Optional since CompileScope 0.2 (Python variants); older files read as their defaults.
    if (reader.has("speedup_baseline"))
        config.speedup_baseline = reader.string("speedup_baseline");
    if (reader.has("python"))
        config.python = reader.string("python");
    if (reader.has("python_adamw"))
        config.python_adamw = reader.enumeration("python_adamw", parse_python_adamw, python_adamw_names());
    // Optional since CompileScope 0.3 (AOTInductor variants).
    if (reader.has("aoti_cache"))
        config.aoti_cache = reader.string("aoti_cache");
    if (reader.has("trace_dir"))
        config.trace_dir = reader.string("trace_dir");
    if (reader.has("aoti_jobs"))
        config.aoti_jobs = reader.int32("aoti_jobs");
    config.seed = reader.uint64("seed");

    const Reader measure = reader.object("measure");
    config.measure.warmup_iters = measure.int32("warmup_iters");
    config.measure.fixed_iters = measure.int32("fixed_iters");
    config.measure.min_time_s = measure.number("min_time_s");
    config.measure.max_time_s = measure.number("max_time_s");
    config.measure.min_iters = measure.int32("min_iters");
    config.measure.max_iters = measure.int32("max_iters");
    config.measure.target_rel_error = measure.number("target_rel_error");
    config.measure.noise_cv_threshold = measure.number("noise_cv_threshold");
    if (measure.has("flush_l2"))
        config.measure.flush_l2 = measure.boolean("flush_l2");
    if (measure.has("profile"))
        config.measure.profile = measure.boolean("profile");
    if (measure.has("profile_iters"))
        config.measure.profile_iters = measure.int32("profile_iters");
    config.measure.interleave = measure.has("interleave") && measure.boolean("interleave");

    config.memory_limit_bytes = reader.int64("memory_limit_bytes");
    config.preset = reader.string("preset");
    return config;
}

Environment read_environment(const Reader& reader)
{
    Environment environment;
    environment.compilescope_version = reader.string("compilescope_version");
    environment.git_revision = reader.string("git_revision");
    environment.libtorch_version = reader.string("libtorch_version");
    environment.cuda_available = reader.boolean("cuda_available");
    environment.mps_available = reader.boolean("mps_available");
    environment.cuda_version = reader.string("cuda_version");
    environment.cudnn_version = reader.string("cudnn_version");
    environment.gpu_name = reader.string("gpu_name");
    environment.gpu_sm_count = reader.int32("gpu_sm_count");
    environment.gpu_driver = reader.string("gpu_driver");
    environment.cpu_model = reader.string("cpu_model");
    environment.cpu_cores = reader.int32("cpu_cores");
    environment.torch_threads = reader.int32("torch_threads");
    environment.blas = reader.string("blas");
    environment.compiler = reader.string("compiler");
    environment.build_type = reader.string("build_type");
    environment.os = reader.string("os");
    environment.hostname = reader.string("hostname");
    environment.allocator = reader.string("allocator");
    environment.torchscript_cpu_fusion = reader.boolean("torchscript_cpu_fusion");
    if (reader.has("python"))
        environment.python = reader.string("python");
    if (reader.has("python_torch_version"))
        environment.python_torch_version = reader.string("python_torch_version");
    if (reader.has("peaks")) {
        const Reader peaks = reader.object("peaks");
        environment.peaks.flops_per_s = peaks.number("flops_per_s");
        environment.peaks.bytes_per_s = peaks.number("bytes_per_s");
        environment.peaks.source = peaks.string("source");
    }
    return environment;
}

ProfileSummary read_profile(const Reader& reader)
{
    ProfileSummary profile;
    profile.iterations = reader.int32("iterations");
    profile.unit = reader.string("unit");
    profile.launches_per_iter = reader.number("launches_per_iter");
    profile.busy_ms_per_iter = reader.number("busy_ms_per_iter");
    profile.busy_share = reader.number("busy_share");
    profile.profiled_iter_ms = reader.number("profiled_iter_ms");
    profile.pass_ms = reader.number("pass_ms");
    const Json& top = reader.array("top");
    for (size_t i = 0; i < top.size(); ++i) {
        const Reader kernel(top[i], reader.item_path("top", i));
        profile.top.push_back({ kernel.string("name"), kernel.number("calls_per_iter"), kernel.number("ms_per_iter"),
            kernel.number("share") });
    }
    profile.trace_file = reader.string("trace_file");
    return profile;
}

Measurement read_measurement(const Reader& reader)
{
    Measurement measurement;
    const Reader cell = reader.object("cell");
    measurement.cell.workload = cell.enumeration("workload", parse_workload, workload_names());
    measurement.cell.batch = cell.int64("batch");
    measurement.cell.d_model = cell.int64("d_model");
    measurement.cell.seq_len = cell.int64("seq_len");
    measurement.phase = reader.enumeration("phase", parse_phase, phase_names());
    measurement.variant = reader.string("variant");
    measurement.status = reader.enumeration("status", parse_measurement_status, status_names());
    measurement.message = reader.string("message");
    measurement.notes = reader.string_list("notes");
    measurement.compile_ms = reader.optional_number("compile_ms");
    measurement.first_call_ms = reader.optional_number("first_call_ms");
    measurement.warmup_iters = reader.int32("warmup_iters");

    const Reader stats = reader.object("stats");
    measurement.stats.n = stats.int32("n");
    measurement.stats.mean_ms = stats.number("mean_ms");
    measurement.stats.std_ms = stats.number("std_ms");
    measurement.stats.median_ms = stats.number("median_ms");
    measurement.stats.q1_ms = stats.number("q1_ms");
    measurement.stats.q3_ms = stats.number("q3_ms");
    measurement.stats.min_ms = stats.number("min_ms");
    measurement.stats.max_ms = stats.number("max_ms");
    measurement.stats.cv = stats.number("cv");
    measurement.samples_ms = reader.number_list("samples_ms");

    measurement.peak_memory_bytes = reader.int64("peak_memory_bytes");
    measurement.memory_kind = reader.string("memory_kind");
    measurement.estimated_memory_bytes = reader.int64("estimated_memory_bytes");
    measurement.flops = reader.number("flops");
    if (reader.has("bytes"))
        measurement.bytes = reader.number("bytes");
    if (reader.has("profile") && !reader.is_null("profile"))
        measurement.profile = read_profile(reader.object("profile"));

    const Reader check = reader.object("correctness");
    measurement.correctness.checked = check.boolean("checked");
    measurement.correctness.passed = check.boolean("passed");
    measurement.correctness.max_abs_error = check.number("max_abs_error");
    measurement.correctness.max_rel_error = check.number("max_rel_error");
    measurement.correctness.tolerance = check.number("tolerance");
    measurement.correctness.detail = check.string("detail");
    return measurement;
}

} // namespace

Json run_json::run(const RunResult& run)
{
    Json measurements = Json::array();
    for (const Measurement& measurement : run.measurements)
        measurements.push_back(measurement_json(measurement));
    return Json {
        { "schema", schema_name },
        { "schema_version", RunResult::schema_version },
        { "config", config_json(run.config) },
        { "environment", environment_json(run.environment) },
        { "started_at", run.started_at },
        { "finished_at", run.finished_at },
        { "wall_time_s", run.wall_time_s },
        { "cancelled", run.cancelled },
        { "measurements", measurements },
    };
}

RunResult run_json::read_run(const Json& document)
{
    if (!document.is_object())
        throw ReportFormatError("not a CompileScope run: the document is not a JSON object");
    const auto schema = document.find("schema");
    if (schema == document.end())
        throw ReportFormatError("not a CompileScope run: the \"schema\" field is missing");
    if (!schema->is_string() || schema->get<std::string>() != schema_name)
        throw ReportFormatError("not a CompileScope run: \"schema\" is " + run_json::shown(run_json::dump(*schema))
            + ", expected \"" + schema_name + "\"");
    const auto version = document.find("schema_version");
    if (version == document.end() || !version->is_number_integer())
        throw ReportFormatError("not a CompileScope run: \"schema_version\" is missing or not an integer");
    if (version->get<int64_t>() != RunResult::schema_version)
        throw ReportFormatError("unsupported schema_version " + run_json::dump(*version) + ": this build reads version "
            + std::to_string(RunResult::schema_version));

    const Reader root(document, "");
    RunResult run;
    run.config = read_config(root.object("config"));
    run.environment = read_environment(root.object("environment"));
    run.started_at = root.string("started_at");
    run.finished_at = root.string("finished_at");
    run.wall_time_s = root.number("wall_time_s");
    run.cancelled = root.boolean("cancelled");
    const Json& measurements = root.array("measurements");
    for (size_t i = 0; i < measurements.size(); ++i)
        run.measurements.push_back(read_measurement(Reader(measurements[i], root.item_path("measurements", i))));
    return run;
}

Json run_json::measurement(const Measurement& measurement)
{
    return measurement_json(measurement);
}

Measurement run_json::read_measurement(const Json& object)
{
    return compilescope::read_measurement(Reader(object, "measurement"));
}

Json run_json::parse(const std::string& text, const std::string& what)
{
    // The callback sees each array and object as it opens, with its depth (the root's is 0), so a deep document
    // is refused after max_depth brackets: neither the tree nor its destruction ever gets deep.
    const Json::parser_callback_t refuse_deep = [&what](int depth, nlohmann::json::parse_event_t event, Json&) {
        if (depth >= max_depth
            && (event == nlohmann::json::parse_event_t::object_start
                || event == nlohmann::json::parse_event_t::array_start))
            throw ReportFormatError(what + "nesting deeper than " + std::to_string(max_depth)
                + " arrays and objects (a run file nests 6 deep)");
        return true;
    };
    try {
        return Json::parse(text, refuse_deep);
    } catch (const nlohmann::json::out_of_range& error) {
        // Thrown by the parser for a number beyond a double (1e999), among others.
        const std::string message = error.what();
        throw ReportFormatError(what + "a value out of range: " + message.substr(0, 300));
    } catch (const nlohmann::json::exception& error) {
        const std::string message = error.what();
        throw ReportFormatError(what + "malformed JSON: " + message.substr(0, 300));
    } catch (const std::bad_alloc&) {
        throw ReportFormatError(
            what + "the document does not fit in memory (" + std::to_string(text.size()) + " bytes of JSON)");
    }
}

std::string run_json::dump(const Json& json, int indent)
{
    return json.dump(indent, ' ', false, Json::error_handler_t::replace);
}

std::string run_json::shown(const std::string& text)
{
    constexpr size_t longest = 60;
    return text.size() <= longest ? text : text.substr(0, longest) + "...";
}

std::string to_json(const RunResult& run)
{
    return run_json::dump(run_json::run(run), 2) + "\n";
}

RunResult parse_run_json(const std::string& text)
{
    return run_json::read_run(run_json::parse(text, ""));
}

std::string environment_to_json(const Environment& environment)
{
    return run_json::dump(environment_json(environment), 2);
}

} // namespace compilescope
