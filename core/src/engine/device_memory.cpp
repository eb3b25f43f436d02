#include "engine/device_memory.h"

#include <torch/csrc/profiler/orchestration/observer.h>

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <fstream>
#include <iterator>
#include <sstream>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifdef COMPILESCOPE_WITH_CUDA
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

namespace compilescope::engine {

namespace {

/// A "Key:   123 kB" line of a /proc file, in bytes; 0 if absent.
int64_t proc_kilobytes(const char* path, const std::string& key)
{
    std::ifstream file(path);
    std::string line;
    while (std::getline(file, line)) {
        if (line.compare(0, key.size() + 1, key + ":") == 0) {
            std::istringstream fields(line.substr(key.size() + 1));
            int64_t kilobytes = 0;
            fields >> kilobytes;
            return kilobytes * 1024;
        }
    }
    return 0;
}

} // namespace

void release_cached_memory(Device device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        c10::cuda::CUDACachingAllocator::emptyCache();
    }
#endif
    (void)device;
}

int64_t available_memory_bytes(Device device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        size_t free_bytes = 0;
        size_t total_bytes = 0;
        return cudaMemGetInfo(&free_bytes, &total_bytes) == cudaSuccess ? int64_t(free_bytes) : 0;
    }
#endif
    (void)device;
    int64_t held_free = 0;
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
    held_free = int64_t(mallinfo2().fordblks);
#endif
    return proc_kilobytes("/proc/meminfo", "MemAvailable") + held_free;
}

std::string format_bytes(int64_t bytes)
{
    const char* units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
    double value = double(bytes);
    size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(units)) {
        value /= 1024.0;
        ++unit;
    }
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, unit == 0 ? "%.0f %s" : "%.2f %s", value, units[unit]);
    return buffer;
}

/// Receives every allocation and free of LibTorch's CPU allocator while it is the thread's profiler state: the
/// allocator reports to that state when its memoryProfilingEnabled() says so. It derives from the profiler's base
/// state, disabled, because LibTorch code casts whatever sits in that slot to one and asks whether it profiles.
class PeakMemoryMeter::AllocationTracker final : public torch::profiler::impl::ProfilerStateBase {
public:
    AllocationTracker()
        : ProfilerStateBase(torch::profiler::impl::ProfilerConfig(
            torch::profiler::impl::ProfilerState::Disabled, /*report_input_shapes=*/false, /*profile_memory=*/true))
    {
    }

    void reportMemoryUsage(void* /*ptr*/, int64_t bytes, size_t /*total_allocated*/, size_t /*total_reserved*/,
        c10::Device /*device*/) override
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_current += bytes;
        m_peak = std::max(m_peak, m_current);
    }

    torch::profiler::impl::ActiveProfilerType profilerType() override
    {
        return torch::profiler::impl::ActiveProfilerType::NONE;
    }

    int64_t peak() const
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_peak;
    }

private:
    mutable std::mutex m_mutex;
    int64_t m_current = 0;
    int64_t m_peak = 0;
};

PeakMemoryMeter::PeakMemoryMeter(Device device)
    : m_device(device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        c10::cuda::CUDACachingAllocator::resetPeakStats(0);
        // Index 0 is StatType::AGGREGATE, whose namespace differs between LibTorch versions.
        m_start_bytes = c10::cuda::CUDACachingAllocator::getDeviceStats(0).allocated_bytes[0].current;
        return;
    }
#endif
    m_tracker = std::make_shared<AllocationTracker>();
    c10::ThreadLocalDebugInfo::_push(c10::DebugInfoKind::PROFILER_STATE, m_tracker);
}

PeakMemoryMeter::~PeakMemoryMeter()
{
    if (m_tracker) {
        c10::ThreadLocalDebugInfo::_pop(c10::DebugInfoKind::PROFILER_STATE);
    }
}

int64_t PeakMemoryMeter::peak_bytes() const
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (m_device == Device::cuda) {
        const int64_t peak = c10::cuda::CUDACachingAllocator::getDeviceStats(0).allocated_bytes[0].peak;
        return std::max<int64_t>(0, peak - m_start_bytes);
    }
#endif
    return m_tracker->peak();
}

std::string PeakMemoryMeter::kind() const
{
    return m_device == Device::cuda ? "CUDA allocations, peak over start" : "CPU allocations, peak over start";
}

} // namespace compilescope::engine
