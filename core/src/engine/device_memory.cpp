#include "engine/device_memory.h"

#include <cstdio>
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

PeakMemoryMeter::PeakMemoryMeter(Device device)
    : m_device(device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        c10::cuda::CUDACachingAllocator::resetPeakStats(0);
        m_reset = true;
        return;
    }
#endif
    // Writing 5 resets VmHWM to the current RSS (Linux >= 4.0); without it VmHWM is the lifetime peak.
    std::ofstream clear_refs("/proc/self/clear_refs");
    clear_refs << "5";
    clear_refs.flush();
    m_reset = clear_refs.good();
}

int64_t PeakMemoryMeter::peak_bytes() const
{
    if (!m_reset) {
        return 0;
    }
#ifdef COMPILESCOPE_WITH_CUDA
    if (m_device == Device::cuda) {
        // Index 0 is StatType::AGGREGATE, whose namespace differs between LibTorch versions.
        return c10::cuda::CUDACachingAllocator::getDeviceStats(0).allocated_bytes[0].peak;
    }
#endif
    return proc_kilobytes("/proc/self/status", "VmHWM");
}

std::string PeakMemoryMeter::kind() const
{
    if (!m_reset) {
        return "";
    }
    return m_device == Device::cuda ? "CUDA allocator peak" : "process peak RSS";
}

} // namespace compilescope::engine
