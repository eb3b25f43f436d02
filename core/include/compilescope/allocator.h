// The CPU allocator setting; see PLATFORM-NOTES: glibc's mmap/munmap of large blocks makes every timed
// iteration page-fault its buffers, which can dominate CPU timings.
#pragma once

#include "compilescope/types.h"

#include <string>

namespace compilescope {

/// Applies the policy to this process (call once at start-up, before large allocations) and returns a one-line
/// description of what was set, for the environment. `system` leaves glibc as it is.
std::string apply_allocator_policy(AllocatorPolicy policy);

/// The same policy for a child process, as the value of glibc's GLIBC_TUNABLES ("" for system). Tunables take
/// no negative trim threshold, so keep's "never trim" becomes 4 GiB.
std::string allocator_glibc_tunables(AllocatorPolicy policy);

/// What the last apply_allocator_policy() set ("system (glibc defaults)" if never called).
std::string allocator_description();

} // namespace compilescope
