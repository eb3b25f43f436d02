#include "compilescope/model_file.h"

#include "compilescope/child_process.h"
#include "compilescope/file_io.h"
#include "compilescope/python.h"
#include "compilescope/text_format.h"
#include "compilescope/variant_names.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cstdlib>
#include <memory>

namespace compilescope {

namespace {

/// Reading a syntax tree takes Python's start-up and milliseconds; a file of megabytes, a second.
constexpr int describe_timeout_ms = 30000;

std::string resolved(const std::string& path)
{
    if (path.empty())
        throw ModelFileError("model file: needs the path of a Python file (docs/model-files.md)");
    const std::unique_ptr<char, decltype(&std::free)> real(::realpath(path.c_str(), nullptr), &std::free);
    if (!real)
        throw ModelFileError("cannot open the model file " + path
            + ": no such file (or a folder on its way cannot "
              "be read)");
    return real.get();
}

std::vector<std::string> names_of(const std::vector<ModelAxis>& axes)
{
    std::vector<std::string> names;
    for (const ModelAxis& axis : axes)
        names.push_back(axis.name);
    return names;
}

} // namespace

ModelFileDescription describe_model_file(const std::string& path, const std::string& python)
{
    ModelFileDescription description;
    description.path = resolved(path);
    try {
        check_trusted_file(description.path, "model file", "it is Python code the sweep runs");
    } catch (const std::exception& error) {
        throw ModelFileError(error.what());
    }
    const std::string script = model_file_script_path();
    if (script.empty())
        throw ModelFileError("the reader of model files (model_file.py) is not installed");
    std::string line;
    ChildProcess::ReadStatus status {};
    std::string how;
    try {
        ChildProcess child({ python, script, "--describe", description.path }, { "PYTHONDONTWRITEBYTECODE=1" }, "");
        status = child.read_line(line, describe_timeout_ms);
        if (status != ChildProcess::ReadStatus::line) {
            child.stop(0);
            how = child.exit_description();
        }
    } catch (const std::exception& error) {
        throw ModelFileError("cannot read the model file " + description.path + ": " + error.what());
    }
    if (status != ChildProcess::ReadStatus::line)
        throw ModelFileError("cannot read the model file " + description.path + ": " + python + " " + script + " "
            + (how.empty() ? "gave no answer" : how));
    const nlohmann::json answer = nlohmann::json::parse(line, nullptr, false);
    if (!answer.is_object())
        throw ModelFileError("cannot read the model file: model_file.py answered " + line.substr(0, 200));
    if (answer.contains("error"))
        throw ModelFileError(answer.value("error", ""));
    try {
        for (const nlohmann::json& axis : answer.at("axes"))
            description.axes.push_back(
                { axis.at("name").get<std::string>(), axis.at("values").get<std::vector<int64_t>>() });
        description.has_loss = answer.value("has_loss", false);
        description.description = answer.value("description", "");
    } catch (const nlohmann::json::exception& error) {
        throw ModelFileError("cannot read the model file: model_file.py answered " + line.substr(0, 200));
    }
    return description;
}

void override_axis(std::vector<ModelAxis>& axes, const std::string& assignment)
{
    const size_t equals = assignment.find('=');
    const std::string name = assignment.substr(0, equals);
    const auto axis = std::find_if(axes.begin(), axes.end(), [&name](const ModelAxis& a) { return a.name == name; });
    if (equals == std::string::npos || axis == axes.end())
        throw ModelFileError("--axis " + assignment.substr(0, 100) + ": must be NAME=V1,V2,... with NAME one of the "
            + "model file's axes (" + join(names_of(axes), ", ") + ")");
    std::vector<int64_t> values;
    const std::string list = assignment.substr(equals + 1);
    size_t start = 0;
    while (start <= list.size()) {
        size_t end = list.find(',', start);
        if (end == std::string::npos)
            end = list.size();
        int64_t value = 0;
        const char* first = list.data() + start;
        const char* last = list.data() + end;
        const auto [stop, error] = std::from_chars(first, last, value);
        if (error != std::errc() || stop != last || value < 1)
            throw ModelFileError("--axis " + name + ": values must be integers >= 1, comma-separated, got \""
                + std::string(first, last).substr(0, 40) + "\"");
        values.push_back(value);
        start = end + 1;
    }
    axis->values = std::move(values);
}

void use_model_file(SweepConfig& config, const ModelFileDescription& description)
{
    config.workloads = { Workload::model_file };
    config.model_file.path = description.path;
    config.model_file.axes = description.axes;
    config.speedup_baseline = py_eager_variant;
}

} // namespace compilescope
