#include "engine/phase_timer.h"

#include <chrono>
#include <algorithm>
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

TimedIterations PhaseTimer::run(const PhaseProgram& program, const MeasureConfig& measure) const
{
    TimedIterations result;
    const PageFaultCounter faults;
    auto finish = [&result, &faults] {
        result.faulted_bytes = faults.bytes();
        return result;
    };
    const bool fixed = measure.fixed_iters > 0;
    const Clock::time_point start = Clock::now();
    double measured_ms = 0;
    double sum_squares = 0; // of deviations, updated as in Welford's algorithm
    double mean = 0;
    while (true) {
        if (m_cancel.cancelled()) {
            result.cancelled = true;
            return finish();
        }
        const double sample = time_iteration(program);
        result.samples_ms.push_back(sample);
        measured_ms += sample;
        const double n = double(result.samples_ms.size());
        const double delta = sample - mean;
        mean += delta / n;
        sum_squares += delta * (sample - mean);

        const int count = int(result.samples_ms.size());
        if (fixed) {
            if (count >= measure.fixed_iters) {
                return finish();
            }
            continue;
        }
        // min_iters wins over max_time: a slow cell still gets enough samples for a spread and an interval.
        const bool over_budget
            = count >= measure.max_iters || milliseconds_between(start, Clock::now()) >= 1000.0 * measure.max_time_s;
        if (over_budget && count >= measure.min_iters) {
            return finish();
        }
        if (count >= measure.min_iters && measured_ms >= 1000.0 * measure.min_time_s && count > 1) {
            const double sem = std::sqrt(sum_squares / (n - 1) / n);
            if (sem <= measure.target_rel_error * mean) {
                return finish();
            }
        }
    }
}

} // namespace compilescope::engine
