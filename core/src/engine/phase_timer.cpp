#include "engine/phase_timer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <string>

#include <sys/resource.h>
#include <unistd.h>

#ifdef COMPILESCOPE_WITH_CUDA
#include <ATen/cuda/CUDAContext.h>
#include <cuda_runtime_api.h>
#endif

namespace compilescope::engine {

namespace {

using Clock = std::chrono::steady_clock;

int64_t minor_page_faults()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

double milliseconds_between(Clock::time_point start, Clock::time_point end)
{
    return std::chrono::duration<double, std::milli>(end - start).count();
}

} // namespace

PageFaultCounter::PageFaultCounter()
    : m_start(minor_page_faults())
{
}

double PageFaultCounter::bytes() const
{
    return double(minor_page_faults() - m_start) * double(sysconf(_SC_PAGESIZE));
}

#ifdef COMPILESCOPE_WITH_CUDA
/// Two timing events created once, so that creating them never lands inside a timed region, and the optional
/// buffer whose overwrite evicts the L2 cache.
class DeviceClock {
public:
    explicit DeviceClock(bool flush_l2)
    {
        check(cudaEventCreate(&m_start), "cudaEventCreate");
        check(cudaEventCreate(&m_end), "cudaEventCreate");
        if (flush_l2) {
            const int64_t l2_bytes = at::cuda::getCurrentDeviceProperties()->l2CacheSize;
            m_flush = torch::empty({ std::max<int64_t>(2 * l2_bytes, 1 << 20) },
                torch::TensorOptions().device(torch::kCUDA).dtype(torch::kByte));
        }
    }
    ~DeviceClock()
    {
        cudaEventDestroy(m_start);
        cudaEventDestroy(m_end);
    }
    DeviceClock(const DeviceClock&) = delete;
    DeviceClock& operator=(const DeviceClock&) = delete;

    double time_ms(const std::function<void()>& step)
    {
        if (m_flush.defined()) {
            m_flush.zero_();
        }
        torch::cuda::synchronize();
        const cudaStream_t stream = at::cuda::getCurrentCUDAStream();
        check(cudaEventRecord(m_start, stream), "cudaEventRecord");
        step();
        check(cudaEventRecord(m_end, stream), "cudaEventRecord");
        check(cudaEventSynchronize(m_end), "cudaEventSynchronize");
        float milliseconds = 0;
        check(cudaEventElapsedTime(&milliseconds, m_start, m_end), "cudaEventElapsedTime");
        // Work queued on other streams (e.g. autograd's) is waited for, so nothing spills into the next sample.
        torch::cuda::synchronize();
        return milliseconds;
    }

private:
    static void check(cudaError_t status, const char* call)
    {
        if (status != cudaSuccess) {
            throw std::runtime_error(std::string(call) + " failed: " + cudaGetErrorString(status));
        }
    }

    cudaEvent_t m_start = nullptr;
    cudaEvent_t m_end = nullptr;
    torch::Tensor m_flush;
};
#else
class DeviceClock { };
#endif

PhaseTimer::PhaseTimer(Device device, const CancelToken& cancel, bool flush_l2)
    : m_device(device)
    , m_cancel(cancel)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        m_clock = std::make_unique<DeviceClock>(flush_l2);
    }
#else
    (void)flush_l2;
#endif
}

PhaseTimer::~PhaseTimer() = default;

void PhaseTimer::synchronize() const
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (m_device == Device::cuda) {
        torch::cuda::synchronize();
    }
#endif
}

double PhaseTimer::time_ms(const std::function<void()>& work) const
{
    synchronize();
    const Clock::time_point start = Clock::now();
    work();
    synchronize();
    return milliseconds_between(start, Clock::now());
}

double PhaseTimer::time_step(const std::function<void()>& step) const
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (m_clock) {
        return m_clock->time_ms(step);
    }
#endif
    return time_ms(step);
}

double PhaseTimer::time_iteration(const PhaseProgram& program) const
{
    if (program.setup) {
        program.setup();
    }
    return time_step(program.step);
}

bool PhaseTimer::warm_up(const PhaseProgram& program, int count) const
{
    for (int i = 0; i < count; ++i) {
        if (m_cancel.cancelled()) {
            return false;
        }
        if (program.setup) {
            program.setup();
        }
        program.step();
    }
    synchronize();
    return true;
}

int PhaseTimer::settle(const PhaseProgram& program, int limit) const
{
    int clean_in_a_row = 0;
    for (int i = 0; i < limit; ++i) {
        if (m_cancel.cancelled()) {
            return -1;
        }
        const PageFaultCounter faults;
        if (program.setup) {
            program.setup();
        }
        program.step();
        clean_in_a_row = faults.bytes() < unsteady_fault_bytes ? clean_in_a_row + 1 : 0;
        if (clean_in_a_row == steady_iterations) {
            return i + 1;
        }
    }
    return limit;
}

namespace {

/// run()'s stopping rule for one program: fixed_iters, or min_iters and min_time_s and then the standard error of
/// the mean within target_rel_error, bounded by max_iters and max_time_s. Time is the program's own wall time, so
/// a program taking turns with others gets the budget it would have alone.
class StoppingRule {
public:
    explicit StoppingRule(const MeasureConfig& measure)
        : m_measure(measure)
    {
    }

    void add(double sample_ms, double wall_ms)
    {
        ++m_count;
        m_measured_ms += sample_ms;
        m_wall_ms += wall_ms;
        const double delta = sample_ms - m_mean; // Welford's algorithm
        m_mean += delta / m_count;
        m_sum_squares += delta * (sample_ms - m_mean);
    }

    /// No budget left: fixed_iters reached, or max_iters / max_time_s once min_iters are done.
    bool exhausted() const
    {
        if (m_measure.fixed_iters > 0)
            return m_count >= m_measure.fixed_iters;
        // min_iters wins over max_time: a slow cell still gets enough samples for a spread and an interval.
        return m_count >= m_measure.min_iters
            && (m_count >= m_measure.max_iters || m_wall_ms >= 1000.0 * m_measure.max_time_s);
    }

    bool satisfied() const
    {
        if (exhausted())
            return true;
        if (m_measure.fixed_iters > 0 || m_count < m_measure.min_iters || m_count < 2
            || m_measured_ms < 1000.0 * m_measure.min_time_s)
            return false;
        const double n = m_count;
        return std::sqrt(m_sum_squares / (n - 1) / n) <= m_measure.target_rel_error * m_mean;
    }

private:
    const MeasureConfig& m_measure;
    int m_count = 0;
    double m_measured_ms = 0;
    double m_wall_ms = 0;
    double m_mean = 0;
    double m_sum_squares = 0;
};

} // namespace

TimedIterations PhaseTimer::run(const PhaseProgram& program, const MeasureConfig& measure) const
{
    return run_in_turns({ &program }, measure).front();
}

std::vector<TimedIterations> PhaseTimer::run_in_turns(const std::vector<const PhaseProgram*>& programs,
    const MeasureConfig& measure, const std::function<void(int)>& on_turns) const
{
    std::vector<TimedIterations> results(programs.size());
    std::vector<StoppingRule> rules(programs.size(), StoppingRule(measure));
    std::vector<bool> active(programs.size(), true); // false once a program has failed
    int iterations = 0;
    Clock::time_point last_report = Clock::now();
    // Every program is timed once per round, and the rounds end for all of them together: when every one's stopping
    // rule is met, or when one has spent its budget. So every ratio compares iterations of the same span of time (a
    // baseline that left early, or a variant that did, would compare a quiet stretch with a busy one).
    bool done = false;
    while (!done && std::find(active.begin(), active.end(), true) != active.end()) {
        for (size_t i = 0; i < programs.size(); ++i) {
            if (!active[i])
                continue;
            if (m_cancel.cancelled()) {
                for (TimedIterations& result : results)
                    result.cancelled = true;
                return results;
            }
            const PageFaultCounter faults;
            const Clock::time_point start = Clock::now();
            try {
                const double sample = time_iteration(*programs[i]);
                results[i].samples_ms.push_back(sample);
                rules[i].add(sample, milliseconds_between(start, Clock::now()));
            } catch (...) {
                results[i].failure = std::current_exception();
                active[i] = false;
                continue;
            }
            results[i].faulted_bytes += faults.bytes();
            ++iterations;
        }
        bool all_satisfied = true;
        bool any_exhausted = false;
        for (size_t i = 0; i < programs.size(); ++i) {
            if (!active[i])
                continue;
            all_satisfied = all_satisfied && rules[i].satisfied();
            any_exhausted = any_exhausted || rules[i].exhausted();
        }
        done = all_satisfied || any_exhausted;
        if (on_turns && milliseconds_between(last_report, Clock::now()) >= 500.0) {
            last_report = Clock::now();
            on_turns(iterations);
        }
    }
    return results;
}

} // namespace compilescope::engine
