// Which other processes use the sweep's GPU (issue 25): a job beside the sweep time-shares the GPU, and its kernels
// sit between ours in every timing. NVML says which processes hold a context on a device; it is loaded at run time,
// so that the build links nothing more and a machine without it (a CPU build, a container without the driver's
// libraries) only loses this reading.
#pragma once

#include "compilescope/engine/engine_only.h"

#include <memory>
#include <optional>
#include <set>
#include <string>

namespace compilescope::engine {

class GpuProcesses {
public:
    /// For the sweep's GPU (CUDA device 0, found in NVML by its PCI address); nullptr when NVML or the device
    /// cannot be read, with the reason in `why_not`.
    static std::unique_ptr<GpuProcesses> open(std::string* why_not = nullptr);
    virtual ~GpuProcesses() = default;

    /// The IDs of the processes with a compute context on the device now; nullopt when the query fails.
    virtual std::optional<std::set<unsigned>> pids() const = 0;
};

/// Of `listed` (what NVML said), how many are neither `self` nor `ours` (the sweep's parent and its Python child).
/// nullopt when `self`, which uses the device, is not among them: NVML then gives another PID namespace's IDs (a
/// container), and ours cannot be told from others'.
std::optional<int> other_processes(const std::set<unsigned>& listed, unsigned self, const std::set<unsigned>& ours);

} // namespace compilescope::engine
