// The JSON of the core's values: run files (docs/json-schema.md), the sweep worker's event lines and the journal
// built from them, and `compilescope-cli list/env --json`. Each object's fields are listed once, in
// core/src/run_json_fields.h; its to_json and from_json (run_json.cpp) walk that list, and nlohmann finds them by
// argument-dependent lookup: `Json json = environment;`, `json.get<Measurement>()`. Bump RunResult::schema_version
// for any change a reader of version 1 would misread.
#pragma once

#include "compilescope/reports.h"
#include "compilescope/results.h"
#include "compilescope/sweep_events.h"
#include "compilescope/variant_info.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

namespace compilescope {

namespace run_json {

/// Ordered: keys are written in the order each to_json lists them, which existing run files keep byte for byte.
using Json = nlohmann::ordered_json;

/// The run file's "schema" value: a document without it is not a run.
inline constexpr const char* schema_name = "compilescope-run";

/// The deepest nesting of arrays and objects a document may have. A run file nests 6 deep; the cap keeps a
/// hostile file (100,000 brackets) from reaching code that recurses over the tree, such as dump().
inline constexpr int max_depth = 64;

/// Parses one JSON document. Every failure throws RunFileError whose message starts with `what`: malformed
/// JSON, a number out of range (1e999), nesting deeper than max_depth (refused while parsing, before the tree is
/// built), or a document too large for memory.
Json parse(const std::string& text, const std::string& what);

/// Serialises without ever throwing: invalid UTF-8 in a string becomes U+FFFD. indent -1: one line.
std::string dump(const Json& json, int indent = -1);

/// `text` for an error message: at most 60 bytes, cut with "...", so a hostile 100 MB string is not echoed.
std::string shown(const std::string& text);

/// A field that is missing, of the wrong type, out of range or an unknown name, with its path from the value that
/// was being read, e.g. "measurements[3].stats.median_ms". what(): `invalid run file: field "<path>" <problem>`.
class FieldError : public RunFileError {
public:
    FieldError(std::string path, std::string problem, bool wrong_type);

    const std::string& path() const { return m_path; }
    /// e.g. "is missing", "must be a number, got a string", "has unknown value \"tpu\" (allowed: cpu, cuda)".
    const std::string& problem() const { return m_problem; }
    /// The value has the wrong JSON type (as opposed to missing, out of range or an unknown name).
    bool wrong_type() const { return m_wrong_type; }

    /// The same error seen from the enclosing object (`key`) or array (`index`).
    FieldError under(const std::string& key) const;
    FieldError under(size_t index) const;

private:
    std::string m_path;
    std::string m_problem;
    bool m_wrong_type;
};

/// Throws FieldError (path "") unless `json` is an object / an array.
void expect_object(const Json& json);
void expect_array(const Json& json);

// The leaves: each checks the JSON type itself, so that a mistyped field is named rather than converted
// (nlohmann's get<int>() would read 1.5 as 1). Numbers read null as NaN: JSON has no NaN, and nlohmann writes NaN
// (a failed correctness check's error) as null. int is range-checked; uint64_t refuses negative numbers.
void read_value(const Json& json, bool& value);
void read_value(const Json& json, int& value);
void read_value(const Json& json, int64_t& value);
void read_value(const Json& json, uint64_t& value);
void read_value(const Json& json, double& value);
void read_value(const Json& json, std::string& value);

/// A value with a from_json of its own (a struct or an enum of the core).
template <typename T> std::enable_if_t<std::is_class_v<T> || std::is_enum_v<T>> read_value(const Json& json, T& value)
{
    from_json(json, value);
}

/// null reads as nullopt.
template <typename T> void read_value(const Json& json, std::optional<T>& value)
{
    if (json.is_null())
        value.reset();
    else
        read_value(json, value.emplace());
}

template <typename T> void read_value(const Json& json, std::vector<T>& values)
{
    expect_array(json);
    values.clear();
    values.reserve(json.size());
    for (size_t index = 0; index < json.size(); ++index) {
        try {
            read_value(json[index], values.emplace_back());
        } catch (const FieldError& error) {
            throw error.under(index);
        }
    }
}

template <typename T> void read_value(const Json& json, std::map<std::string, T>& values)
{
    expect_object(json);
    values.clear();
    for (const auto& [key, item] : json.items()) {
        try {
            read_value(item, values[key]);
        } catch (const FieldError& error) {
            throw error.under(key);
        }
    }
}

/// Reads the member `key` of `object` (an object: the caller's from_json checked it); FieldError if it is absent.
template <typename T> void read(const Json& object, const char* key, T& value)
{
    const auto found = object.find(key);
    if (found == object.end())
        throw FieldError(key, "is missing", false);
    try {
        read_value(*found, value);
    } catch (const FieldError& error) {
        throw error.under(key);
    }
}

/// The same for a field added to version 1 after its first files were written: absent leaves `value` as it is
/// (the old behaviour).
template <typename T> void read_if_present(const Json& object, const char* key, T& value)
{
    if (object.contains(key))
        read(object, key, value);
}

} // namespace run_json

// Found by nlohmann through argument-dependent lookup. Enums are written by name (to_string), never as numbers.
void to_json(run_json::Json& json, Workload value);
void to_json(run_json::Json& json, Phase value);
void to_json(run_json::Json& json, Device value);
void to_json(run_json::Json& json, Dtype value);
void to_json(run_json::Json& json, AllocatorPolicy value);
void to_json(run_json::Json& json, SdpaBackend value);
void to_json(run_json::Json& json, PythonAdamW value);
void to_json(run_json::Json& json, MeasurementStatus value);
void to_json(run_json::Json& json, const AttentionConfig& attention);
void to_json(run_json::Json& json, const ModelConfig& model);
void to_json(run_json::Json& json, const MeasureConfig& measure);
void to_json(run_json::Json& json, const SweepConfig& config);
void to_json(run_json::Json& json, const ModelAxis& axis);
void to_json(run_json::Json& json, const ModelFileConfig& model_file);
void to_json(run_json::Json& json, const AxisValue& axis);
void to_json(run_json::Json& json, const GraphBreak& graph_break);
void to_json(run_json::Json& json, const CompileExplanation& explained);
void to_json(run_json::Json& json, const DevicePeaks& peaks);
void to_json(run_json::Json& json, const Environment& environment);
void to_json(run_json::Json& json, const CellKey& cell);
void to_json(run_json::Json& json, const Stats& stats);
void to_json(run_json::Json& json, const ProfiledKernel& kernel);
void to_json(run_json::Json& json, const ProfileSummary& profile);
void to_json(run_json::Json& json, const MachineLoad& load);
void to_json(run_json::Json& json, const CorrectnessCheck& check);
void to_json(run_json::Json& json, const Measurement& measurement);
/// The whole run file: "schema", "schema_version", then the run.
void to_json(run_json::Json& json, const RunResult& run);
/// The fields of a worker's progress event (merged into the event object).
void to_json(run_json::Json& json, const SweepProgress& progress);
/// For `compilescope-cli list --json`: name, description, available, reason, python.
void to_json(run_json::Json& json, const VariantInfo& variant);
void to_json(run_json::Json& json, const SdpaBackendSupport& support);

// Each throws run_json::FieldError naming the field by its path from `json`.
void from_json(const run_json::Json& json, Workload& value);
void from_json(const run_json::Json& json, Phase& value);
void from_json(const run_json::Json& json, Device& value);
void from_json(const run_json::Json& json, Dtype& value);
void from_json(const run_json::Json& json, AllocatorPolicy& value);
void from_json(const run_json::Json& json, SdpaBackend& value);
void from_json(const run_json::Json& json, PythonAdamW& value);
void from_json(const run_json::Json& json, MeasurementStatus& value);
void from_json(const run_json::Json& json, AttentionConfig& attention);
void from_json(const run_json::Json& json, ModelConfig& model);
void from_json(const run_json::Json& json, MeasureConfig& measure);
void from_json(const run_json::Json& json, SweepConfig& config);
void from_json(const run_json::Json& json, ModelAxis& axis);
void from_json(const run_json::Json& json, ModelFileConfig& model_file);
void from_json(const run_json::Json& json, AxisValue& axis);
void from_json(const run_json::Json& json, GraphBreak& graph_break);
void from_json(const run_json::Json& json, CompileExplanation& explained);
void from_json(const run_json::Json& json, DevicePeaks& peaks);
void from_json(const run_json::Json& json, Environment& environment);
void from_json(const run_json::Json& json, CellKey& cell);
void from_json(const run_json::Json& json, Stats& stats);
void from_json(const run_json::Json& json, ProfiledKernel& kernel);
void from_json(const run_json::Json& json, ProfileSummary& profile);
void from_json(const run_json::Json& json, MachineLoad& load);
void from_json(const run_json::Json& json, CorrectnessCheck& check);
void from_json(const run_json::Json& json, Measurement& measurement);
/// Checks the envelope first: RunFileError "not a CompileScope run: ..." for another document, and
/// "unsupported schema_version N" for a version this build does not read.
void from_json(const run_json::Json& json, RunResult& run);
void from_json(const run_json::Json& json, SweepProgress& progress);

} // namespace compilescope
