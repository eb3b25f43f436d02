// Memory of the device a sweep runs on: what is available before a cell, and the peak during a measurement.
#pragma once

#include "compilescope/types.h"

#include <cstdint>
#include <string>

namespace compilescope::engine {

/// On CUDA, hands the caching allocator's unused blocks back so that free-memory readings are right. On the CPU it
/// does nothing on purpose: malloc_trim() would return the heap that allocator policy `keep` holds, and the next
/// loops then fault it back in sporadically for a dozen iterations or more (measured), inside the timed region.
void release_cached_memory(Device device);

/// Memory a new cell can use: on the CPU MemAvailable from /proc/meminfo plus the free heap this process already
/// holds (glibc's kept memory), on CUDA free device memory; 0 if unknown.
int64_t available_memory_bytes(Device device);

/// "1.50 GiB", "512.0 MiB", "64 B".
std::string format_bytes(int64_t bytes);

/// Peak memory from construction to peak_bytes(): the process's peak resident set (VmHWM, reset through
/// /proc/self/clear_refs) on the CPU, the caching allocator's peak allocated bytes on CUDA. On the CPU this is an
/// upper bound of what the measurement needs: it includes the process itself and, under allocator policy `keep`,
/// memory kept from larger cells measured earlier.
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
