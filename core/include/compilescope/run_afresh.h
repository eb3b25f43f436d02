// Replacing the running program by a fresh run of itself: what the CLI and the worker do when a failure left the
// device unusable in their process (a fresh process gets a fresh CUDA context).
#pragma once

#include <string>
#include <vector>

namespace compilescope {

/// Executes this program again (/proc/self/exe) with `arguments`, arguments[0] being its name, in place of this
/// process: same pid, same standard streams, every thread gone. Returns only when exec failed, with errno set.
void run_afresh(std::vector<std::string> arguments);

} // namespace compilescope
