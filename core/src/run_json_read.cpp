// Reading the run JSON's leaves (compilescope/run_json.h): every number, string, boolean and enum name has its type
// checked here, so a bad file is refused with run_json::FieldError naming the field, never silently converted.
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
    : RunFileError(message_of(path, problem))
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

} // namespace compilescope
