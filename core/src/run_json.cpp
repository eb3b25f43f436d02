// to_json and from_json of every object of the run JSON: each walks the object's one list of fields
// (run_json_fields.h) with a Writer or a Reader. The leaves' type checks are in run_json_read.cpp.
#include "compilescope/run_json.h"

#include "run_json_fields.h"

namespace compilescope {

namespace run_json {

namespace {

/// Writes each field into an object, in the order visited; std::optional as null when empty.
class Writer {
public:
    explicit Writer(Json& json)
        : m_json(json)
    {
        m_json = Json::object();
    }

    template <typename T> void operator()(const char* key, const T& value) { m_json[key] = value; }

    template <typename T> void operator()(const char* key, const std::optional<T>& value)
    {
        m_json[key] = value ? Json(*value) : Json(nullptr);
    }

    /// Written like any other field: only readers care when it appeared.
    template <typename T> void added_later(const char* key, const T& value) { (*this)(key, value); }
    template <typename T> void added_later(const char* key, const T& value, const T&) { (*this)(key, value); }
    template <typename T> void when_set(const char* key, const T& value, bool set)
    {
        if (set)
            (*this)(key, value);
    }

private:
    Json& m_json;
};

/// Reads each field from an object, naming it in any error (FieldError's path).
class Reader {
public:
    explicit Reader(const Json& json)
        : m_json(json)
    {
        expect_object(m_json);
    }

    template <typename T> void operator()(const char* key, T& value) { read(m_json, key, value); }

    template <typename T> void added_later(const char* key, T& value) { read_if_present(m_json, key, value); }
    template <typename T> void when_set(const char* key, T& value, bool) { read_if_present(m_json, key, value); }

    template <typename T> void added_later(const char* key, T& value, const T& absent)
    {
        value = absent;
        read_if_present(m_json, key, value);
    }

private:
    const Json& m_json;
};

} // namespace

} // namespace run_json

using run_json::Json;
using run_json::Reader;
using run_json::Writer;

// Enums are written by name (to_string), never as nlohmann's default numbers; read in run_json_read.cpp.

void to_json(Json& json, Workload value)
{
    json = to_string(value);
}

void to_json(Json& json, Phase value)
{
    json = to_string(value);
}

void to_json(Json& json, Device value)
{
    json = to_string(value);
}

void to_json(Json& json, Dtype value)
{
    json = to_string(value);
}

void to_json(Json& json, AllocatorPolicy value)
{
    json = to_string(value);
}

void to_json(Json& json, SdpaBackend value)
{
    json = to_string(value);
}

void to_json(Json& json, PythonAdamW value)
{
    json = to_string(value);
}

void to_json(Json& json, MeasurementStatus value)
{
    json = to_string(value);
}

void to_json(Json& json, const AttentionConfig& attention)
{
    Writer visit(json);
    run_json::attention_fields(visit, attention);
}

void from_json(const Json& json, AttentionConfig& attention)
{
    Reader visit(json);
    run_json::attention_fields(visit, attention);
}

void to_json(Json& json, const ModelConfig& model)
{
    Writer visit(json);
    run_json::model_fields(visit, model);
}

void from_json(const Json& json, ModelConfig& model)
{
    Reader visit(json);
    run_json::model_fields(visit, model);
}

void to_json(Json& json, const MeasureConfig& measure)
{
    Writer visit(json);
    run_json::measure_fields(visit, measure);
}

void from_json(const Json& json, MeasureConfig& measure)
{
    Reader visit(json);
    run_json::measure_fields(visit, measure);
}

void to_json(Json& json, const SweepConfig& config)
{
    Writer visit(json);
    run_json::config_fields(visit, config);
}

void from_json(const Json& json, SweepConfig& config)
{
    Reader visit(json);
    run_json::config_fields(visit, config);
}

void to_json(Json& json, const DevicePeaks& peaks)
{
    Writer visit(json);
    run_json::peaks_fields(visit, peaks);
}

void from_json(const Json& json, DevicePeaks& peaks)
{
    Reader visit(json);
    run_json::peaks_fields(visit, peaks);
}

void to_json(Json& json, const Environment& environment)
{
    Writer visit(json);
    run_json::environment_fields(visit, environment);
}

void from_json(const Json& json, Environment& environment)
{
    Reader visit(json);
    run_json::environment_fields(visit, environment);
}

void to_json(Json& json, const GraphBreak& graph_break)
{
    Writer visit(json);
    run_json::graph_break_fields(visit, graph_break);
}

void from_json(const Json& json, GraphBreak& graph_break)
{
    Reader visit(json);
    run_json::graph_break_fields(visit, graph_break);
}

void to_json(Json& json, const CompileExplanation& explained)
{
    Writer visit(json);
    run_json::compile_explanation_fields(visit, explained);
}

void from_json(const Json& json, CompileExplanation& explained)
{
    Reader visit(json);
    run_json::compile_explanation_fields(visit, explained);
}

void to_json(Json& json, const ModelAxis& axis)
{
    Writer visit(json);
    run_json::model_axis_fields(visit, axis);
}

void from_json(const Json& json, ModelAxis& axis)
{
    Reader visit(json);
    run_json::model_axis_fields(visit, axis);
}

void to_json(Json& json, const ModelFileConfig& model_file)
{
    Writer visit(json);
    run_json::model_file_fields(visit, model_file);
}

void from_json(const Json& json, ModelFileConfig& model_file)
{
    Reader visit(json);
    run_json::model_file_fields(visit, model_file);
}

void to_json(Json& json, const AxisValue& axis)
{
    Writer visit(json);
    run_json::axis_value_fields(visit, axis);
}

void from_json(const Json& json, AxisValue& axis)
{
    Reader visit(json);
    run_json::axis_value_fields(visit, axis);
}

void to_json(Json& json, const CellKey& cell)
{
    Writer visit(json);
    run_json::cell_fields(visit, cell);
}

void from_json(const Json& json, CellKey& cell)
{
    Reader visit(json);
    run_json::cell_fields(visit, cell);
}

void to_json(Json& json, const Stats& stats)
{
    Writer visit(json);
    run_json::stats_fields(visit, stats);
}

void from_json(const Json& json, Stats& stats)
{
    Reader visit(json);
    run_json::stats_fields(visit, stats);
}

void to_json(Json& json, const ProfiledKernel& kernel)
{
    Writer visit(json);
    run_json::kernel_fields(visit, kernel);
}

void from_json(const Json& json, ProfiledKernel& kernel)
{
    Reader visit(json);
    run_json::kernel_fields(visit, kernel);
}

void to_json(Json& json, const ProfileSummary& profile)
{
    Writer visit(json);
    run_json::profile_fields(visit, profile);
}

void from_json(const Json& json, ProfileSummary& profile)
{
    Reader visit(json);
    run_json::profile_fields(visit, profile);
}

void to_json(Json& json, const MachineLoad& load)
{
    Writer visit(json);
    run_json::load_fields(visit, load);
}

void from_json(const Json& json, MachineLoad& load)
{
    Reader visit(json);
    run_json::load_fields(visit, load);
}

void to_json(Json& json, const CorrectnessCheck& check)
{
    Writer visit(json);
    run_json::correctness_fields(visit, check);
}

void from_json(const Json& json, CorrectnessCheck& check)
{
    Reader visit(json);
    run_json::correctness_fields(visit, check);
}

void to_json(Json& json, const Measurement& measurement)
{
    Writer visit(json);
    run_json::measurement_fields(visit, measurement);
}

void from_json(const Json& json, Measurement& measurement)
{
    Reader visit(json);
    run_json::measurement_fields(visit, measurement);
}

void to_json(Json& json, const SweepProgress& progress)
{
    Writer visit(json);
    run_json::progress_fields(visit, progress);
}

void from_json(const Json& json, SweepProgress& progress)
{
    Reader visit(json);
    run_json::progress_fields(visit, progress);
}

void to_json(Json& json, const RunResult& run)
{
    Writer visit(json);
    visit("schema", run_json::schema_name);
    visit("schema_version", RunResult::schema_version);
    run_json::run_fields(visit, run);
}

void from_json(const Json& json, RunResult& run)
{
    if (!json.is_object())
        throw RunFileError("not a CompileScope run: the document is not a JSON object");
    const auto schema = json.find("schema");
    if (schema == json.end())
        throw RunFileError("not a CompileScope run: the \"schema\" field is missing");
    if (!schema->is_string() || schema->get<std::string>() != run_json::schema_name)
        throw RunFileError("not a CompileScope run: \"schema\" is " + run_json::shown(run_json::dump(*schema))
            + ", expected \"" + run_json::schema_name + "\"");
    const auto version = json.find("schema_version");
    if (version == json.end() || !version->is_number_integer())
        throw RunFileError("not a CompileScope run: \"schema_version\" is missing or not an integer");
    if (version->get<int64_t>() != RunResult::schema_version)
        throw RunFileError("unsupported schema_version " + run_json::dump(*version) + ": this build reads version "
            + std::to_string(RunResult::schema_version));
    Reader visit(json);
    run_json::run_fields(visit, run);
}

void to_json(Json& json, const VariantInfo& variant)
{
    Writer visit(json);
    run_json::variant_fields(visit, variant);
}

void to_json(Json& json, const SdpaBackendSupport& support)
{
    Writer visit(json);
    run_json::sdpa_support_fields(visit, support);
}

} // namespace compilescope
