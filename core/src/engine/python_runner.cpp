#include "engine/python_runner.h"

#include "compilescope/allocator.h"
#include "compilescope/child_process.h"
#include "compilescope/failpoints.h"
#include "compilescope/file_io.h"
#include "compilescope/machine_load.h"
#include "compilescope/python.h"
#include "compilescope/text_format.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace compilescope::engine {

namespace {

using Json = nlohmann::json;

constexpr int poll_ms = 100;

/// How long each stage of a Python measurement may take before its process is deemed hung and stopped, from the
/// measurement's own budget. Until the script says it compiles or times (its "stage" events): loading the inputs
/// and building the program, 30 s and 1 s per 100 MiB of inputs. Building a model file's module (importing the
/// file, calling its build()): 5 min, for a large model made on a slow CPU. Compiling: a cold torch.compile, 15 min.
/// Timing: the warm-up and the timed loop, which the script ends at max_time_s (fixed_iters: at most 10 s an
/// iteration), as long again for the profiled pass, four times over for a loaded machine, and a minute. The failpoint
/// "python_answer" (any action) cuts each to 2 s for the tests.
struct StageDeadlines {
    double start_s = 0;
    double building_s = 0;
    double compiling_s = 0;
    double timing_s = 0;
};

StageDeadlines stage_deadlines(const MeasureConfig& measure, std::int64_t inputs_bytes)
{
    if (failpoints::hit("python_answer"))
        return { 2, 2, 2, 2 };
    const double loop_s = measure.fixed_iters > 0 ? 10.0 * (measure.warmup_iters + measure.fixed_iters)
                                                  : measure.max_time_s + 10.0 * measure.warmup_iters;
    return { 30 + double(inputs_bytes) / double(100 << 20), 300, 900, 60 + 4 * loop_s * (measure.profile ? 2 : 1) };
}

/// Most bytes a model file's results may have: its module's gradients, whose size nothing here knows beforehand.
constexpr std::int64_t model_file_results_limit = std::int64_t(32) << 30;

/// The results the child wrote: a regular file (not a link to /dev/zero, not a FIFO), of at most four times the
/// inputs it was given plus 64 MiB (a train step returns its parameters and gradients, each the size of an input);
/// a model file's, of at most model_file_results_limit.
std::vector<char> read_results(const std::string& path, std::int64_t inputs_bytes, bool model_file)
{
    const std::string text
        = read_file(path, model_file ? model_file_results_limit : 4 * inputs_bytes + (std::int64_t(64) << 20));
    return std::vector<char>(text.begin(), text.end());
}

void write_bytes(const std::string& path, const std::vector<char>& bytes)
{
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(bytes.data(), std::streamsize(bytes.size()));
    if (!file.flush())
        throw std::runtime_error("cannot write the Python variant's inputs to " + path);
}

/// The tensors a Python variant runs on: exactly the sweep's, so that its results can be checked against eager.
c10::Dict<std::string, at::Tensor> tensors_of(const PhaseInputs& inputs)
{
    c10::Dict<std::string, at::Tensor> tensors;
    for (const NamedTensor& named : named_inputs(inputs))
        tensors.insert(named.name, named.tensor.detach().cpu());
    tensors.insert("scale", torch::tensor(inputs.scale, torch::kDouble));
    return tensors;
}

Json measure_json(const MeasureConfig& measure)
{
    return Json { { "warmup_iters", measure.warmup_iters }, { "fixed_iters", measure.fixed_iters },
        { "min_time_s", measure.min_time_s }, { "max_time_s", measure.max_time_s }, { "min_iters", measure.min_iters },
        { "max_iters", measure.max_iters }, { "target_rel_error", measure.target_rel_error },
        { "profile_iters", measure.profile_iters } };
}

/// The load over the child's timed iterations, from the two raw readings it took (its own CPU time is the
/// measurement's, not the others'); nullopt when it sent none or they do not parse.
std::optional<MachineLoad> child_load(const Json& reply)
{
    const Json* load = reply.contains("load") ? &reply["load"] : nullptr;
    if (!load || !load->is_object() || !load->contains("before") || !load->contains("after"))
        return std::nullopt;
    const int cpus = int(::sysconf(_SC_NPROCESSORS_ONLN));
    auto probe = [cpus](const Json& reading) {
        return LoadProbe::from(reading.at("proc_stat").get<std::string>(), cpus, reading.at("cpu_s").get<double>(),
            reading.at("involuntary_switches").get<int64_t>(), reading.at("wall_s").get<double>());
    };
    const std::optional<LoadProbe> before = probe(load->at("before"));
    const std::optional<LoadProbe> after = probe(load->at("after"));
    if (!before || !after)
        return std::nullopt;
    return after->since(*before);
}

/// What the child read from torch.compile's records (compile_explained() in the reference script).
CompileExplanation explained_of(const Json& json)
{
    CompileExplanation explained;
    explained.graphs = json.value("graphs", 0);
    for (const Json& graph_break : json.value("graph_breaks", Json::array()))
        explained.graph_breaks.push_back({ graph_break.value("reason", ""), graph_break.value("where", "") });
    explained.recompiles = json.value("recompiles", std::vector<std::string> {});
    explained.dynamic_shapes = json.value("dynamic_shapes", false);
    explained.dynamo_ms = json.value("dynamo_ms", 0.0);
    explained.aot_autograd_ms = json.value("aot_autograd_ms", 0.0);
    explained.inductor_ms = json.value("inductor_ms", 0.0);
    explained.codegen_ms = json.value("codegen_ms", 0.0);
    return explained;
}

/// The environment the child gets: its own Inductor cache, and the sweep's allocator policy as glibc tunables (the
/// C++ process sets the same with mallopt).
std::vector<std::string> child_environment(const SweepConfig& config, const std::string& directory)
{
    // The sweep's own Inductor cache, empty at its start: torch.compile's compile latency is then a cold compile on
    // every run and machine, not whatever earlier runs left in /tmp/torchinductor_$USER.
    // Nothing downloads at run time: a model file built on HuggingFace's classes gets no hub access.
    std::vector<std::string> environment { "PYTHONUNBUFFERED=1", "TORCHINDUCTOR_CACHE_DIR=" + directory + "/inductor",
        "HF_HUB_OFFLINE=1" };
    if (const std::string tunables = allocator_glibc_tunables(config.allocator); !tunables.empty())
        environment.push_back("GLIBC_TUNABLES=" + tunables);
    return environment;
}

} // namespace

PythonRunner::PythonRunner(const SweepConfig& config)
    : m_config(config)
{
}

PythonRunner::~PythonRunner()
{
    stop();
    remove_tree(m_directory);
}

std::vector<std::string> PythonRunner::take_log()
{
    std::vector<std::string> log;
    log.swap(m_log);
    return log;
}

void PythonRunner::start()
{
    const std::string python = resolve_python(m_config.python);
    const std::string script = reference_script_path();
    if (script.empty())
        throw std::runtime_error("the reference script torch_compile_reference.py is not installed");
    if (m_directory.empty())
        m_directory = make_private_temp_directory("compilescope-python");
    m_child = std::make_unique<ChildProcess>(std::vector<std::string> { python, script, "--serve" },
        child_environment(m_config, m_directory), m_directory + "/stderr.log");
    std::string line;
    const auto status = m_child->read_line(line, int(python_startup_timeout_s * 1000));
    if (status != ChildProcess::ReadStatus::line) {
        const std::string how = status == ChildProcess::ReadStatus::timeout
            ? "did not start within " + fixed(python_startup_timeout_s, 0) + " s"
            : m_child->exit_description();
        const std::string tail = stderr_tail();
        stop();
        throw std::runtime_error(python + " " + script + " " + how + (tail.empty() ? "" : ": " + tail));
    }
    const Json ready = Json::parse(line, nullptr, false);
    if (ready.is_discarded() || ready.value("event", "") != "ready") {
        stop();
        throw std::runtime_error("the reference script answered with an unexpected line: " + line.substr(0, 200));
    }
    m_torch_version = ready.value("torch", "");
    m_log.push_back("Python variants: " + ready.value("executable", python) + " (Python " + ready.value("python", "?")
        + ", torch " + ready.value("torch", "?") + ")");
}

void PythonRunner::stop()
{
    if (m_child) {
        m_child->stop();
        m_child.reset();
    }
}

std::optional<unsigned> PythonRunner::pid() const
{
    if (!m_child)
        return std::nullopt;
    return unsigned(m_child->pid());
}

std::string PythonRunner::stderr_tail() const
{
    return last_line_of_file(m_directory + "/stderr.log");
}

std::string PythonRunner::inputs_file(const PhaseInputs& inputs)
{
    // One file per (cell, phase): every Python variant of it reads the same tensors. (Not keyed by address: the
    // sweep builds each phase's inputs in the same place.)
    const std::string key
        = inputs.cell.label() + " batch=" + std::to_string(inputs.cell.batch) + " " + to_string(inputs.phase);
    if (m_saved_key == key && !m_saved_path.empty())
        return m_saved_path;
    if (!m_saved_path.empty())
        ::unlink(m_saved_path.c_str());
    m_saved_path = m_directory + "/inputs-" + std::to_string(m_next_id) + ".pt";
    const std::vector<char> bytes = torch::pickle_save(c10::IValue(tensors_of(inputs)));
    write_bytes(m_saved_path, bytes);
    m_saved_bytes = std::int64_t(bytes.size());
    m_saved_key = key;
    return m_saved_path;
}

PythonMeasurement PythonRunner::measure(const PhaseInputs& inputs, const std::string& variant,
    const std::vector<std::string>& expected_names, const CancelToken& cancel)
{
    PythonMeasurement result;
    auto failed = [&result](const std::string& message) {
        result.status = MeasurementStatus::failed;
        result.message = message;
        return result;
    };
    if (!m_start_error.empty()) {
        result.status = MeasurementStatus::unavailable;
        result.message = m_start_error;
        return result;
    }
    const auto starting = std::chrono::steady_clock::now();
    try {
        if (!m_child || !m_child->running())
            start();
        m_start_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - starting).count();
    } catch (const std::exception& error) {
        // No Python, no torch, or a script that cannot start: the same for every later Python measurement.
        stop();
        m_start_error = error.what();
        m_log.push_back("Python variants are unavailable: " + m_start_error);
        result.status = MeasurementStatus::unavailable;
        result.message = m_start_error;
        return result;
    }
    const Cell& cell = inputs.cell;
    const int id = ++m_next_id;
    const std::string results_path = m_directory + "/results-" + std::to_string(id) + ".pt";
    Json request { { "id", id }, { "variant", variant }, { "workload", to_string(cell.workload) },
        { "phase", to_string(inputs.phase) }, { "device", to_string(cell.device) }, { "dtype", to_string(cell.dtype) },
        { "threads", m_config.threads }, { "heads", cell.model.num_heads },
        { "parameter_names", inputs.parameters.names }, { "adamw", to_string(m_config.python_adamw) },
        { "measure", measure_json(m_config.measure) }, { "results", results_path } };
    const std::string trace_path = m_directory + "/trace-" + std::to_string(id) + ".json";
    if (m_config.measure.profile)
        request["profile_trace"] = trace_path;
    const bool model_file = cell.workload == Workload::model_file;
    if (model_file) {
        try {
            check_trusted_file(cell.model_file, "model file", "it is Python code the sweep runs");
        } catch (const std::exception& error) {
            return failed(error.what());
        }
        Json point = Json::object();
        for (const AxisValue& axis : cell.point)
            point[axis.name] = axis.value;
        request["model_file"] = cell.model_file;
        request["point"] = point;
        request["seed"] = cell.seed;
    } else {
        try {
            request["inputs"] = inputs_file(inputs);
        } catch (const std::exception& error) {
            return failed(error.what());
        }
    }
    if (!m_child->write_line(request.dump())) {
        const std::string how = m_child->exit_description();
        stop();
        return failed("the Python process " + how + " before the request: " + stderr_tail());
    }

    std::string line;
    const StageDeadlines deadlines = stage_deadlines(m_config.measure, m_saved_bytes);
    std::string stage = "starting";
    double allowed_s = deadlines.start_s;
    auto stage_began = std::chrono::steady_clock::now();
    for (;;) {
        const auto status = m_child->read_line(line, poll_ms);
        if (status == ChildProcess::ReadStatus::line) {
            const Json event = Json::parse(line, nullptr, false);
            if (event.is_object() && event.value("event", "") == "stage" && event.value("id", -1) == id) {
                stage = event.value("stage", "");
                allowed_s = stage == "building" ? deadlines.building_s
                    : stage == "compiling"      ? deadlines.compiling_s
                                                : deadlines.timing_s;
                stage_began = std::chrono::steady_clock::now();
                continue;
            }
            break;
        }
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - stage_began).count() > allowed_s) {
            const std::string tail = stderr_tail();
            stop();
            return failed("the Python process gave no answer within " + fixed(allowed_s, 0) + " s while " + stage
                + " and was stopped (the next Python measurement starts a new one)"
                + (tail.empty() ? "" : "; its last words: " + tail));
        }
        if (status == ChildProcess::ReadStatus::closed) {
            const std::string how = m_child->exit_description();
            const std::string tail = stderr_tail();
            stop();
            return failed("the Python process " + how + (tail.empty() ? "" : ": " + tail));
        }
        if (cancel.cancelled()) {
            stop(); // SIGTERM, then SIGKILL after a second: the child may be inside a long compile
            result.status = MeasurementStatus::cancelled;
            result.message = "cancelled: the Python process was stopped";
            return result;
        }
    }

    const Json reply = Json::parse(line, nullptr, false);
    if (reply.is_discarded() || reply.value("id", -1) != id) {
        stop();
        return failed("the Python process answered with an unexpected line: " + line.substr(0, 200));
    }
    if (reply.value("status", "") == "unavailable") {
        result.status = MeasurementStatus::unavailable;
        result.message = reply.value("message", "unavailable without a reason");
        return result;
    }
    if (reply.value("status", "") != "ok")
        return failed(reply.value("message", "failed without a message"));
    try {
        result.notes = reply.value("notes", std::vector<std::string> {});
        if (reply.contains("compile_ms") && reply["compile_ms"].is_number())
            result.compile_ms = reply["compile_ms"].get<double>();
        if (reply.contains("first_call_ms") && reply["first_call_ms"].is_number())
            result.first_call_ms = reply["first_call_ms"].get<double>();
        result.warmup_iters = reply.value("warmup_iters", 0);
        result.samples_ms = reply.at("samples_ms").get<std::vector<double>>();
        result.load = child_load(reply);
        if (reply.contains("compile_explained") && reply["compile_explained"].is_object())
            result.compile_explained = explained_of(reply["compile_explained"]);
        result.peak_memory_bytes = reply.value("peak_memory_bytes", int64_t(0));
        result.memory_kind = reply.value("memory_kind", "");
        if (reply.contains("profile_pass_ms") && reply["profile_pass_ms"].is_number()) {
            result.profile_pass_ms = reply["profile_pass_ms"].get<double>();
            result.profile_trace = trace_path;
        }

        const c10::IValue loaded = torch::pickle_load(read_results(results_path, m_saved_bytes, model_file));
        ::unlink(results_path.c_str());
        const c10::impl::GenericDict tensors = loaded.toGenericDict();
        if (expected_names.empty()) {
            for (const auto& item : tensors)
                result.results.push_back(
                    { item.key().toStringRef(), item.value().toTensor().to(torch_device(cell.device)) });
        }
        for (const std::string& name : expected_names) {
            const auto found = tensors.find(name);
            if (found == tensors.end())
                return failed("the Python variant returned no tensor named \"" + name + "\"");
            result.results.push_back({ name, found->value().toTensor().to(torch_device(cell.device)) });
        }
    } catch (const std::exception& error) {
        return failed(std::string("cannot read the Python variant's answer: ") + error.what());
    }
    return result;
}

} // namespace compilescope::engine
