#include "engine/profiled_pass.h"

#include "compilescope/child_process.h"
#include "compilescope/file_io.h"
#include "compilescope/trace_analysis.h"

#include <torch/csrc/autograd/profiler_kineto.h>

#include <algorithm>
#include <chrono>

#include <unistd.h>

namespace compilescope::engine {

namespace {

namespace profiler = torch::autograd::profiler;
using torch::profiler::impl::ActivityType;
using torch::profiler::impl::ProfilerConfig;
using torch::profiler::impl::ProfilerState;

/// Starts the profiler on construction; stop() returns what it recorded, and an unstopped one is stopped on the way
/// out (an exception inside the pass must not leave the process profiling every later iteration).
class ProfilerSession {
public:
    explicit ProfilerSession(Device device)
    {
        std::set<ActivityType> activities { ActivityType::CPU };
        if (device == Device::cuda) {
            activities.insert(ActivityType::CUDA);
        }
        const ProfilerConfig config(ProfilerState::KINETO);
        profiler::prepareProfiler(config, activities);
        profiler::enableProfiler(config, activities);
    }
    ~ProfilerSession()
    {
        if (m_running) {
            profiler::disableProfiler();
        }
    }
    ProfilerSession(const ProfilerSession&) = delete;
    ProfilerSession& operator=(const ProfilerSession&) = delete;

    std::unique_ptr<profiler::ProfilerResult> stop()
    {
        m_running = false;
        return profiler::disableProfiler();
    }

private:
    bool m_running = true;
};

} // namespace

ProfileSummary run_profiled_pass(const PhaseProgram& program, const PhaseTimer& timer, Device device, int iterations,
    double measured_ms, const std::string& keep_path)
{
    const auto start = std::chrono::steady_clock::now();
    timer.synchronize();
    std::unique_ptr<profiler::ProfilerResult> result;
    {
        ProfilerSession session(device);
        for (int i = 0; i < iterations; ++i) {
            if (program.setup) {
                program.setup();
            }
            timer.synchronize();
            RECORD_USER_SCOPE(profiled_step_name);
            program.step();
            timer.synchronize();
        }
        result = session.stop();
    }
    const std::string directory = make_private_temp_directory("compilescope-trace");
    try {
        const std::string written = directory + "/trace.json";
        result->save(written);
        const double pass_ms
            = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        ProfileSummary summary = summarize_trace_file(written, device, measured_ms, keep_path);
        summary.pass_ms = pass_ms;
        remove_tree(directory);
        return summary;
    } catch (...) {
        remove_tree(directory);
        throw;
    }
}

ProfileSummary summarize_trace_file(
    const std::string& written, Device device, double measured_ms, const std::string& keep_path)
{
    const std::string trace = read_file(written);
    ::unlink(written.c_str());
    ProfileSummary summary = summarize_trace(trace, device, measured_ms);
    if (!keep_path.empty()) {
        write_file_atomically(keep_path, trace);
        summary.trace_file = keep_path;
    }
    return summary;
}

std::string trace_file_name(const Measurement& measurement)
{
    std::string variant = measurement.variant;
    std::replace(variant.begin(), variant.end(), '+', '_');
    const CellKey& cell = measurement.cell;
    return to_string(cell.workload) + "-" + to_string(measurement.phase) + "-b" + std::to_string(cell.batch) + "-d"
        + std::to_string(cell.d_model) + "-s" + std::to_string(cell.seq_len) + "-" + variant + ".json";
}

} // namespace compilescope::engine
