// Memory of the device a sweep runs on: what is available before a cell, and the peak during a measurement.
#pragma once

#include "compilescope/types.h"

#include <cstdint>
#include <string>

namespace compilescope::engine {

/// Hands memory that freed allocations still hold back to the system (malloc_trim on the CPU, the caching
/// allocator's unused blocks on CUDA), so that the next peak and availability readings start clean.
void release_cached_memory(Device device);

/// Memory a new cell can use: MemAvailable from /proc/meminfo on the CPU, free device memory on CUDA; 0 if unknown.
int64_t available_memory_bytes(Device device);

/// "1.50 GiB", "512.0 MiB", "64 B".
std::string format_bytes(int64_t bytes);

/// Peak memory from construction to peak_bytes(): the process's peak resident set (VmHWM, reset through
/// /proc/self/clear_refs) on the CPU, the caching allocator's peak allocated bytes on CUDA.
class PeakMemoryMeter {
public:
    explicit PeakMemoryMeter(Device device);

    /// 0 when the peak cannot be measured here.
    int64_t peak_bytes() const;
    /// "process peak RSS" or "CUDA allocator peak"; empty when not measured.
    std::string kind() const;

private:
    Device m_device;
    bool m_reset = false;
};

} // namespace compilescope::engine
