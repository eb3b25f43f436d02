// Memory of the device a sweep runs on: what is available before a cell, and the peak during a measurement.
#pragma once

#include "compilescope/engine/engine_only.h"

#include "compilescope/types.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace compilescope::engine {

/// On CUDA, frees cuBLAS's per-stream workspaces and hands the caching allocator's unused blocks back, so that
/// free-memory readings are right and what stays allocated between phases is the sweep's own. On the CPU it
/// gives the blocks the keep policy kept by size (cpu_block_cache.h) back to glibc's heap, for the next phase's
/// sizes; it does not trim the heap on purpose: malloc_trim() would return the pages, and the next loops then fault
/// them back in sporadically for a dozen iterations or more (measured), inside the timed region.
void release_cached_memory(Device device);

/// Memory a new cell can use: on the CPU the system's (system_memory below, at "/") plus the free heap this process
/// already holds (glibc's kept memory, which counts as used everywhere else); on CUDA free device memory plus what
/// this process's caching allocator holds unused (reserved, not allocated); 0 if unknown.
int64_t available_memory_bytes(Device device);

/// Bytes this process's tensors hold on the device now: the CUDA caching allocator's allocated bytes; 0 on the CPU
/// (not counted there). A sweep compares it across cells: what a finished cell leaves allocated is a leak.
int64_t allocated_device_bytes(Device device);

/// Bytes the CUDA caching allocator holds reserved but unallocated (freed blocks it keeps); 0 on the CPU.
int64_t held_unused_device_bytes(Device device);

/// What the machine and this process's control groups leave to it, read under a file system root ("/"; tests pass
/// a tree of fake /proc and /sys files).
struct SystemMemory {
    int64_t mem_available = 0; ///< MemAvailable of <root>/proc/meminfo; 0 if unknown
    /// The least headroom of every memory cgroup from this process's up to its hierarchy's root, v2 (memory.max
    /// minus memory.current) and v1 (memory.limit_in_bytes minus memory.usage_in_bytes); usage without the inactive
    /// page cache the kernel reclaims before it kills (memory.stat's inactive_file, v1 total_inactive_file), as
    /// the kernel's and Kubernetes' working set do. -1 when no cgroup limits memory ("max", v1's ~2^63, no files).
    int64_t cgroup_headroom = -1;
    std::string cgroup_limited_by; ///< the cgroup directory whose limit gave the headroom, under root; "" if none

    /// min(mem_available, cgroup_headroom) of those known; 0 if neither is.
    int64_t available() const;
};

/// Reads SystemMemory under `root`. The cgroup directories come from <root>/proc/self/cgroup and the cgroup mounts
/// of <root>/proc/self/mountinfo (the usual /sys/fs/cgroup and /sys/fs/cgroup/memory when it has none), so that
/// cgroup v1, v2, hybrid and a container's namespaced view are all read where they are.
SystemMemory read_system_memory(const std::filesystem::path& root);

/// Memory a measurement itself needs: the peak of the bytes allocated since construction and not yet freed, over
/// the memory held at construction (its inputs, other variants' programs and kept heap do not count). CUDA: the
/// caching allocator's peak allocated bytes minus those allocated at construction. CPU: every allocation of
/// LibTorch's CPU allocator on this thread, reported to an allocation tracker that LibTorch's memory profiling
/// hook calls (a profiler state that profiles nothing else); frees of older blocks are not seen, so the figure
/// never drops below zero. Meters nest on a thread: an enclosing meter counts what the inner ones count (a test
/// measures a whole phase around the sweep's per-measurement meters). Tracking costs a lock per allocation: keep
/// timed iterations outside a meter's life. The glibc policy (allocator.h, `keep`) does not matter: the figure is
/// LibTorch's allocations, not the process's resident memory, so it drops from one measurement to the next.
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
    [[maybe_unused]] int64_t m_start_bytes = 0; ///< CUDA: allocated at construction (unused in CPU builds)
    std::shared_ptr<AllocationTracker> m_tracker; ///< CPU
};

} // namespace compilescope::engine
