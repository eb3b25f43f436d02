// Memory of the device a sweep runs on: what is available before a cell, and the peak during a measurement.
#pragma once

#include "compilescope/types.h"

#include <cstdint>
#include <memory>
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

/// Memory a measurement itself needs: the peak of the bytes allocated since construction and not yet freed, over
/// the memory held at construction (its inputs, other variants' programs and kept heap do not count). CUDA: the
/// caching allocator's peak allocated bytes minus those allocated at construction. CPU: every allocation of
/// LibTorch's CPU allocator on this thread, reported to an allocation tracker that LibTorch's memory profiling
/// hook calls (a profiler state that profiles nothing else); frees of older blocks are not seen, so the figure
/// never drops below zero. Tracking costs a lock per allocation: keep timed iterations outside a meter's life.
class PeakMemoryMeter {
public:
    explicit PeakMemoryMeter(Device device);
    ~PeakMemoryMeter();
    PeakMemoryMeter(const PeakMemoryMeter&) = delete;
    PeakMemoryMeter& operator=(const PeakMemoryMeter&) = delete;

    /// 0 when the peak cannot be measured here.
    int64_t peak_bytes() const;
    /// What peak_bytes() counts, for reports ("CPU allocations, peak over start"); empty when not measured.
    std::string kind() const;

private:
    class AllocationTracker;

    Device m_device;
    int64_t m_start_bytes = 0; ///< CUDA: allocated at construction
    std::shared_ptr<AllocationTracker> m_tracker; ///< CPU
};

} // namespace compilescope::engine
