// The Python variants' measurements: the reference script (tools/reference/torch_compile_reference.py) runs in a
// child process for the whole sweep, receives one request per measurement on the sweep's own tensors (saved with
// torch::pickle_save) and answers with raw samples and the tensors of one checked call.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/config.h"
#include "compilescope/machine_load.h"
#include "compilescope/sweep_events.h"
#include "engine/phase_program.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace compilescope {
class ChildProcess;
}

namespace compilescope::engine {

/// What the child measured. status: ok, failed (an error in the child, or the child died), cancelled.
struct PythonMeasurement {
    MeasurementStatus status = MeasurementStatus::ok;
    std::string message;
    std::vector<std::string> notes;
    std::optional<double> compile_ms;
    std::optional<double> first_call_ms;
    int warmup_iters = 0;
    std::vector<double> samples_ms;
    std::optional<MachineLoad> load; ///< the machine's load over the child's timed iterations
    std::optional<CompileExplanation> compile_explained; ///< what torch.compile did (its variants only)
    int64_t peak_memory_bytes = 0;
    std::string memory_kind;
    std::vector<NamedTensor> results; ///< in the order of `expected_names`
    /// The profiled pass (MeasureConfig::profile): its wall time in the child, and the Chrome trace it wrote.
    std::optional<double> profile_pass_ms;
    std::string profile_trace;
};

class PythonRunner {
public:
    /// Nothing starts until the first measure().
    explicit PythonRunner(const SweepConfig& config);
    ~PythonRunner();
    PythonRunner(const PythonRunner&) = delete;
    PythonRunner& operator=(const PythonRunner&) = delete;

    /// Measures `variant` on `inputs` in the child, starting it if needed. Waits for the answer, checking `cancel`
    /// every 100 ms: a cancel stops the child (it is restarted for a later measurement) and returns cancelled.
    /// A child that dies marks this measurement failed, with how it died and the end of its stderr.
    /// `expected_names` are the names of eager's results: the child's tensors are returned in that order; empty
    /// (a model file's py-eager, the reference itself): every tensor the child returned, in its order. A model
    /// file's cell has no tensors here: the child builds them with the file.
    PythonMeasurement measure(const PhaseInputs& inputs, const std::string& variant,
        const std::vector<std::string>& expected_names, const CancelToken& cancel);

    /// The log lines of the child's start-up ("Python variants: /usr/bin/python3 (Python 3.11.7, torch ...)"), once.
    std::vector<std::string> take_log();

    /// The child's process ID while it runs (it holds a context on the sweep's GPU: not another user's process).
    std::optional<unsigned> pid() const;

    /// Seconds spent starting the child (import torch and the script) since the last call: one-off work, which the
    /// sweep's time-left estimate keeps apart from measuring.
    double take_start_seconds() { return std::exchange(m_start_seconds, 0.0); }

    /// torch.__version__ in the child, once it has started ("" before).
    const std::string& torch_version() const { return m_torch_version; }

private:
    void start();
    void stop();
    std::string inputs_file(const PhaseInputs& inputs);
    std::string stderr_tail() const;

    const SweepConfig& m_config;
    std::string m_directory;
    std::unique_ptr<ChildProcess> m_child;
    std::string m_saved_key; ///< the (cell, phase) whose inputs m_saved_path holds
    std::string m_saved_path;
    std::int64_t m_saved_bytes = 0; ///< its size: bounds the size of the results read back
    int m_next_id = 0;
    std::vector<std::string> m_log;
    std::string m_torch_version;
    double m_start_seconds = 0;
    std::string m_start_error; ///< why the child cannot start; every later measurement is unavailable for it
};

} // namespace compilescope::engine
