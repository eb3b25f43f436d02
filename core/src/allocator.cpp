#include "compilescope/allocator.h"

#include <initializer_list>
#include <mutex>
#include <string>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace compilescope {

namespace {

std::mutex g_mutex;
std::string g_description = "system (glibc defaults)";
bool g_keep_applied = false;

#ifdef __GLIBC__
struct MalloptSetting {
    int parameter;
    const char* name;
    int value;
};

std::string apply_settings(std::initializer_list<MalloptSetting> settings)
{
    std::string text;
    for (const MalloptSetting& setting : settings) {
        const bool accepted = mallopt(setting.parameter, setting.value) == 1;
        text += (text.empty() ? "" : ", ") + std::string(setting.name) + "=" + std::to_string(setting.value)
            + (accepted ? "" : " (rejected)");
    }
    return text;
}
#endif

} // namespace

std::string allocator_glibc_tunables(AllocatorPolicy policy)
{
    // The three settings apply_allocator_policy() makes for keep, by their tunable names.
    return policy == AllocatorPolicy::keep
        ? "glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967295:glibc.malloc.arena_max=1"
        : "";
}

std::string apply_allocator_policy(AllocatorPolicy policy)
{
    std::lock_guard<std::mutex> lock(g_mutex);
#ifdef __GLIBC__
    if (policy == AllocatorPolicy::keep) {
        // M_MMAP_MAX=0 serves every block from the heap instead of a fresh mmap that free() unmaps again, and
        // M_TRIM_THRESHOLD=-1 never trims the top of the heap (mallopt's int would cap any positive threshold at
        // 2 GiB, which seq_len 4096 backward exceeds: it then faulted 100 MiB back in per iteration, measured).
        // M_ARENA_MAX=1 makes other threads (a sweep off the main thread) use the main arena: a secondary arena's
        // heaps are at most 64 MiB and fall back to mmap above that whatever the mmap settings say. Measured: a raised
        // M_MMAP_THRESHOLD alone still page-faults every iteration of a 512 MiB score matrix off the main thread;
        // these three settings fault only while warming up. The heap they keep fragments as shapes come and go: the
        // engine therefore also keeps LibTorch's large blocks by size (core/src/engine/cpu_block_cache.h).
        g_description = "keep (mallopt: "
            + apply_settings({ { M_MMAP_MAX, "M_MMAP_MAX", 0 }, { M_TRIM_THRESHOLD, "M_TRIM_THRESHOLD", -1 },
                { M_ARENA_MAX, "M_ARENA_MAX", 1 } })
            + ")";
        g_keep_applied = true;
    } else if (g_keep_applied) {
        // glibc's documented defaults; the dynamic mmap threshold and the arena limit cannot be restored.
        g_description = "system (mallopt back to glibc defaults: "
            + apply_settings(
                { { M_MMAP_MAX, "M_MMAP_MAX", 65536 }, { M_TRIM_THRESHOLD, "M_TRIM_THRESHOLD", 128 * 1024 },
                    { M_MMAP_THRESHOLD, "M_MMAP_THRESHOLD", 128 * 1024 } })
            + "; the one-arena limit of an earlier keep stays)";
    } else {
        g_description = "system (glibc defaults)";
    }
#else
    g_description = policy == AllocatorPolicy::keep ? "keep requested, but this C library has no mallopt: unchanged"
                                                    : "system (C library defaults)";
#endif
    return g_description;
}

std::string allocator_description()
{
    std::lock_guard<std::mutex> lock(g_mutex);
    return g_description;
}

} // namespace compilescope
