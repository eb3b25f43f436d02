#include "engine/cpu_block_cache.h"

#include <c10/core/Allocator.h>
#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <atomic>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace compilescope::engine {

namespace {

/// Smaller blocks come from glibc's bins, which reuse them without touching the system.
constexpr size_t min_kept_bytes = size_t(64) << 10;

class BlockCache final : public c10::Allocator {
public:
    c10::DataPtr allocate(size_t bytes) override
    {
        void* block = take(bytes);
        if (block == nullptr) {
            block = c10::alloc_cpu(bytes);
        }
        size_t allocated = 0;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_live[block] = bytes;
            m_allocated += bytes;
            allocated = m_allocated;
        }
        report(block, int64_t(bytes), allocated);
        return { block, block, &free_block, c10::Device(c10::DeviceType::CPU) };
    }

    c10::DeleterFnPtr raw_deleter() const override { return &free_block; }

    void copy_data(void* dest, const void* src, std::size_t count) const override
    {
        default_copy_data(dest, src, count);
    }

    void free(void* block)
    {
        size_t bytes = 0;
        size_t allocated = 0;
        bool kept = false;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            const auto found = m_live.find(block);
            bytes = found->second;
            m_live.erase(found);
            m_allocated -= bytes;
            allocated = m_allocated;
            if (m_keep.load(std::memory_order_relaxed) && bytes >= min_kept_bytes) {
                m_free[bytes].push_back(block);
                m_kept += bytes;
                kept = true;
            }
        }
        report(block, -int64_t(bytes), allocated);
        if (!kept) {
            c10::free_cpu(block);
        }
    }

    int64_t release()
    {
        std::unordered_map<size_t, std::vector<void*>> blocks;
        size_t bytes = 0;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            blocks.swap(m_free);
            bytes = m_kept;
            m_kept = 0;
        }
        for (const auto& [size, list] : blocks) {
            for (void* block : list) {
                c10::free_cpu(block);
            }
        }
        return int64_t(bytes);
    }

    int64_t kept_bytes()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        return int64_t(m_kept);
    }

    void set_keep(bool keep) { m_keep.store(keep, std::memory_order_relaxed); }
    bool keep() const { return m_keep.load(std::memory_order_relaxed); }

private:
    static void free_block(void* block);

    /// A kept block of exactly `bytes`, or nullptr.
    void* take(size_t bytes)
    {
        if (bytes < min_kept_bytes) {
            return nullptr;
        }
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto found = m_free.find(bytes);
        if (found == m_free.end() || found->second.empty()) {
            return nullptr;
        }
        void* block = found->second.back();
        found->second.pop_back();
        m_kept -= bytes;
        return block;
    }

    /// What LibTorch's default allocator tells the profiler (and so PeakMemoryMeter) of each allocation and free.
    static void report(void* block, int64_t bytes, size_t allocated)
    {
        if (c10::memoryProfilingEnabled()) {
            c10::reportMemoryUsageToProfiler(block, bytes, allocated, 0, c10::Device(c10::DeviceType::CPU));
        }
    }

    std::mutex m_mutex;
    std::unordered_map<void*, size_t> m_live;
    std::unordered_map<size_t, std::vector<void*>> m_free;
    size_t m_allocated = 0;
    size_t m_kept = 0;
    std::atomic<bool> m_keep { false };
};

/// Never destroyed: tensors freed during static destruction still come back to it.
BlockCache& cache()
{
    static BlockCache* instance = new BlockCache();
    return *instance;
}

void BlockCache::free_block(void* block)
{
    cache().free(block);
}

} // namespace

void keep_cpu_blocks(bool keep)
{
    if (keep) {
        static std::once_flag installed;
        std::call_once(installed, [] { c10::SetCPUAllocator(&cache(), /*priority=*/1); });
    }
    cache().set_keep(keep);
    if (!keep) {
        cache().release();
    }
}

bool keeping_cpu_blocks()
{
    return cache().keep();
}

int64_t release_kept_cpu_blocks()
{
    return cache().release();
}

int64_t kept_cpu_bytes()
{
    return cache().kept_bytes();
}

} // namespace compilescope::engine
