// LibTorch's CPU allocator under the keep policy: a freed block of 64 KiB or more is kept and handed out again to
// the next request of exactly its size. A timed phase allocates the same shapes every iteration, so once warm it
// reuses the same touched pages (no page faults, keep's purpose) and holds at most the peak of its live set. glibc's
// never-trimmed heap alone did not: it fragmented and grew with every iteration (attention d_model=16 seq_len=2048
// backward: 389 MiB allocated at the peak, 1.7 GB resident after 2 iterations, 2.4 GB after 100;
// docs/memory-estimate.md), which is how a sweep whose estimate fit was OOM-killed.
#pragma once

#include "compilescope/engine/engine_only.h"

#include <cstdint>

namespace compilescope::engine {

/// Turns the keeping on or off. On, LibTorch's CPU allocations go through the block cache from then on (installed
/// at the first call that asks for it, never removed: blocks it handed out come back to it). Off, blocks are freed
/// at once, as LibTorch's default allocator does, and what was kept is released.
void keep_cpu_blocks(bool keep);

/// Whether freed blocks are kept now.
bool keeping_cpu_blocks();

/// Frees every kept block (between phases, and before a child process needs the memory). Returns the bytes freed.
int64_t release_kept_cpu_blocks();

/// Bytes of the freed blocks kept now: this process's to reuse, so part of the memory available to the next phase.
int64_t kept_cpu_bytes();

} // namespace compilescope::engine
