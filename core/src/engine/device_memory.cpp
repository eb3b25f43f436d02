#include "engine/device_memory.h"

#include "engine/cpu_block_cache.h"

#include <torch/csrc/profiler/orchestration/observer.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <mutex>
#include <optional>
#include <sstream>
#include <vector>

#ifdef __GLIBC__
#include <malloc.h>
#endif

#ifdef COMPILESCOPE_WITH_CUDA
#include <ATen/cuda/CUDAContextLight.h>
#include <c10/cuda/CUDACachingAllocator.h>
#include <cuda_runtime_api.h>
#endif

namespace compilescope::engine {

namespace {

/// A "Key:   123 kB" line of a /proc file, in bytes; 0 if absent.
int64_t proc_kilobytes(const std::filesystem::path& path, const std::string& key)
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

std::vector<std::string> split(const std::string& text, char separator)
{
    std::vector<std::string> parts;
    std::istringstream stream(text);
    std::string part;
    while (std::getline(stream, part, separator)) {
        parts.push_back(part);
    }
    return parts;
}

/// The first number in a cgroup file ("123\n"); nullopt for "max", a missing file or anything else.
std::optional<int64_t> cgroup_number(const std::filesystem::path& path)
{
    std::ifstream file(path);
    std::string word;
    if (!(file >> word) || word.empty() || word.find_first_not_of("0123456789") != std::string::npos
        || word.size() > 19) {
        return std::nullopt;
    }
    try {
        return std::stoll(word);
    } catch (const std::exception&) {
        return std::nullopt; // above int64: no limit
    }
}

/// A "key 123" line of a cgroup's memory.stat; 0 if absent.
int64_t cgroup_stat(const std::filesystem::path& path, const std::string& key)
{
    std::ifstream file(path);
    std::string name;
    int64_t value = 0;
    while (file >> name >> value) {
        if (name == key) {
            return value;
        }
    }
    return 0;
}

/// One memory cgroup hierarchy as this process sees it: where it is mounted and this process's directory in it.
struct CgroupHierarchy {
    bool v2 = false;
    std::filesystem::path mount_point; ///< absolute, as the process sees it
    std::string mount_root; ///< the hierarchy path the mount shows ("/" unless namespaced or bind-mounted)
    std::string path; ///< this process's cgroup in the hierarchy, from /proc/self/cgroup
};

/// The memory hierarchies of <root>/proc/self/mountinfo: "id parent dev root mount-point options ... - fstype source
/// super-options"; cgroup2 (every controller), or cgroup with "memory" among its super-options (v1).
std::vector<CgroupHierarchy> memory_mounts(const std::filesystem::path& root)
{
    std::vector<CgroupHierarchy> mounts;
    std::ifstream file(root / "proc/self/mountinfo");
    std::string line;
    while (std::getline(file, line)) {
        const std::vector<std::string> fields = split(line, ' ');
        const auto dash = std::find(fields.begin(), fields.end(), "-");
        if (fields.size() < 5 || dash == fields.end() || fields.end() - dash < 2) {
            continue;
        }
        const std::string& type = *(dash + 1);
        const std::string options = fields.end() - dash >= 4 ? *(dash + 3) : "";
        const std::vector<std::string> option_list = split(options, ',');
        const bool v1_memory
            = type == "cgroup" && std::find(option_list.begin(), option_list.end(), "memory") != option_list.end();
        if (type == "cgroup2" || v1_memory) {
            mounts.push_back({ type == "cgroup2", fields[4], fields[3], "" });
        }
    }
    if (mounts.empty() && !file.is_open()) {
        // No mountinfo to read: the usual places.
        mounts.push_back({ true, "/sys/fs/cgroup", "/", "" });
        mounts.push_back({ false, "/sys/fs/cgroup/memory", "/", "" });
    }
    return mounts;
}

/// This process's cgroup directories that limit memory, each with its mount point (where the walk up stops).
std::vector<CgroupHierarchy> memory_cgroups(const std::filesystem::path& root)
{
    // "0::/user.slice/..." (v2) and "4:memory:/docker/..." (v1, controllers comma-separated).
    std::optional<std::string> v2_path;
    std::optional<std::string> v1_path;
    std::ifstream file(root / "proc/self/cgroup");
    std::string line;
    while (std::getline(file, line)) {
        const size_t first = line.find(':');
        const size_t second = first == std::string::npos ? std::string::npos : line.find(':', first + 1);
        if (second == std::string::npos) {
            continue;
        }
        const std::string controllers = line.substr(first + 1, second - first - 1);
        const std::string path = line.substr(second + 1);
        const std::vector<std::string> list = split(controllers, ',');
        if (line.compare(0, first, "0") == 0 && controllers.empty()) {
            v2_path = path;
        } else if (std::find(list.begin(), list.end(), "memory") != list.end()) {
            v1_path = path;
        }
    }
    std::vector<CgroupHierarchy> cgroups;
    for (CgroupHierarchy mount : memory_mounts(root)) {
        const std::optional<std::string>& path = mount.v2 ? v2_path : v1_path;
        if (path) {
            mount.path = *path;
            cgroups.push_back(mount);
        }
    }
    return cgroups;
}

/// The directory of `cgroup` under its mount: its path relative to the mount's root. A path outside the mount's
/// root ("/../..", a cgroup namespace's parent) or a mount of a hierarchy's subtree the path is not in leaves the
/// mount point itself, the innermost directory this process can read.
std::filesystem::path cgroup_directory(const CgroupHierarchy& cgroup)
{
    std::string relative;
    const std::string& root = cgroup.mount_root;
    if (root == "/") {
        relative = cgroup.path;
    } else if (cgroup.path.compare(0, root.size(), root) == 0
        && (cgroup.path.size() == root.size() || cgroup.path[root.size()] == '/')) {
        relative = cgroup.path.substr(root.size());
    }
    if (relative.find("/..") != std::string::npos || relative.find("../") == 0) {
        relative.clear();
    }
    std::filesystem::path directory = cgroup.mount_point;
    for (const std::string& part : split(relative, '/')) {
        if (!part.empty() && part != "." && part != "..") {
            directory /= part;
        }
    }
    return directory;
}

/// Limits at or above this are "no limit": cgroup v1 writes 2^63 - 4096 rounded to pages (9223372036854771712).
constexpr int64_t unlimited = int64_t(1) << 62;

} // namespace

int64_t SystemMemory::available() const
{
    if (cgroup_headroom < 0) {
        return mem_available;
    }
    return mem_available > 0 ? std::min(mem_available, cgroup_headroom) : cgroup_headroom;
}

SystemMemory read_system_memory(const std::filesystem::path& root)
{
    SystemMemory memory;
    memory.mem_available = proc_kilobytes(root / "proc/meminfo", "MemAvailable");
    for (const CgroupHierarchy& cgroup : memory_cgroups(root)) {
        const std::filesystem::path top = root / cgroup.mount_point.relative_path();
        const std::filesystem::path start = root / cgroup_directory(cgroup).relative_path();
        const char* limit_file = cgroup.v2 ? "memory.max" : "memory.limit_in_bytes";
        const char* usage_file = cgroup.v2 ? "memory.current" : "memory.usage_in_bytes";
        const char* inactive_key = cgroup.v2 ? "inactive_file" : "total_inactive_file";
        // From the process's cgroup up to the mount: a parent's limit binds every child, and its usage is theirs.
        for (std::filesystem::path directory = start;; directory = directory.parent_path()) {
            const std::optional<int64_t> limit = cgroup_number(directory / limit_file);
            if (limit && *limit < unlimited) {
                const int64_t usage = cgroup_number(directory / usage_file).value_or(0);
                const int64_t reclaimable = cgroup_stat(directory / "memory.stat", inactive_key);
                const int64_t headroom = std::max<int64_t>(0, *limit - std::max<int64_t>(0, usage - reclaimable));
                if (memory.cgroup_headroom < 0 || headroom < memory.cgroup_headroom) {
                    memory.cgroup_headroom = headroom;
                    memory.cgroup_limited_by = "/" + directory.lexically_relative(root).generic_string();
                }
            }
            if (directory == top || directory == directory.parent_path()
                || directory.native().size() <= top.native().size()) {
                break;
            }
        }
    }
    return memory;
}

void release_cached_memory(Device device)
{
    release_kept_cpu_blocks(); // a CUDA phase's inputs and checks are made on the CPU too
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        // cuBLAS keeps a workspace per stream it ran on, allocated through the caching allocator (32 MiB on an
        // H100); the graph variants capture on side streams, so they piled up phase after phase and read as a leak
        // (64, 160, 224 MiB). They are made again at the next matrix product, before any timed iteration.
        at::cuda::clearCublasWorkspaces();
        c10::cuda::CUDACachingAllocator::emptyCache();
    }
#endif
    (void)device;
}

namespace {

struct AllocatorBytes {
    int64_t allocated = 0;
    int64_t reserved = 0;
};

#ifdef COMPILESCOPE_WITH_CUDA
/// The caching allocator sets itself up at the process's first CUDA allocation. Before that it has no books and
/// refuses to be asked ("Invalid device argument 0: did you call init?", which failed every CUDA sweep at its
/// start on the H100, 2026-12-07), and nothing has been allocated.
bool cuda_allocator_started()
{
    return c10::cuda::CUDACachingAllocator::get()->initialized();
}
#endif

/// The CUDA caching allocator's books for this process (zeros on the CPU, where they are not kept).
AllocatorBytes allocator_bytes(Device device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda && cuda_allocator_started()) {
        const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(0); // index 0: StatType::AGGREGATE
        return { stats.allocated_bytes[0].current, stats.reserved_bytes[0].current };
    }
#endif
    (void)device;
    return {};
}

} // namespace

int64_t allocated_device_bytes(Device device)
{
    return allocator_bytes(device).allocated;
}

int64_t held_unused_device_bytes(Device device)
{
    const AllocatorBytes bytes = allocator_bytes(device);
    return std::max<int64_t>(0, bytes.reserved - bytes.allocated);
}

int64_t available_memory_bytes(Device device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        size_t free_bytes = 0;
        size_t total_bytes = 0;
        if (cudaMemGetInfo(&free_bytes, &total_bytes) != cudaSuccess) {
            return 0;
        }
        // What the caching allocator holds unused is ours to take for the next cell.
        return int64_t(free_bytes) + held_unused_device_bytes(device);
    }
#endif
    (void)device;
    int64_t held_free = 0;
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 33)
    held_free = int64_t(mallinfo2().fordblks);
#endif
    const int64_t system = read_system_memory("/").available();
    return system > 0 ? system + held_free + kept_cpu_bytes() : 0;
}

/// Receives every allocation and free of LibTorch's CPU allocator while it is the thread's profiler state: the
/// allocator reports to that state when its memoryProfilingEnabled() says so. It derives from the profiler's base
/// state, disabled, because LibTorch code casts whatever sits in that slot to one and asks whether it profiles.
class PeakMemoryMeter::AllocationTracker final : public torch::profiler::impl::ProfilerStateBase {
public:
    /// `outer`: the tracker of an enclosing meter, which sees everything this one sees (a sweep-wide meter around
    /// the per-measurement ones); it outlives this one, as meters live on the stack.
    explicit AllocationTracker(AllocationTracker* outer)
        : ProfilerStateBase(torch::profiler::impl::ProfilerConfig(
            torch::profiler::impl::ProfilerState::Disabled, /*report_input_shapes=*/false, /*profile_memory=*/true))
        , m_outer(outer)
    {
    }

    void reportMemoryUsage(
        void* ptr, int64_t bytes, size_t total_allocated, size_t total_reserved, c10::Device device) override
    {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_current += bytes;
            m_peak = std::max(m_peak, m_current);
        }
        if (m_outer) {
            m_outer->reportMemoryUsage(ptr, bytes, total_allocated, total_reserved, device);
        }
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
    AllocationTracker* m_outer = nullptr;
    mutable std::mutex m_mutex;
    int64_t m_current = 0;
    int64_t m_peak = 0;
};

PeakMemoryMeter::PeakMemoryMeter(Device device)
    : m_device(device)
{
#ifdef COMPILESCOPE_WITH_CUDA
    if (device == Device::cuda) {
        if (cuda_allocator_started()) {
            c10::cuda::CUDACachingAllocator::resetPeakStats(0);
        }
        m_start_bytes = allocated_device_bytes(device);
        return;
    }
#endif
    auto* outer = dynamic_cast<AllocationTracker*>(c10::ThreadLocalDebugInfo::get(c10::DebugInfoKind::PROFILER_STATE));
    m_tracker = std::make_shared<AllocationTracker>(outer);
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
        if (!cuda_allocator_started()) {
            return 0; // nothing was allocated on the device
        }
        const int64_t peak = c10::cuda::CUDACachingAllocator::getDeviceStats(0).allocated_bytes[0].peak; // AGGREGATE
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
