// This program: replacing the running process by a fresh run of itself (what the worker does when a failure left the
// device unusable in its process: a fresh process gets a fresh CUDA context), and the folder it was started from.
#pragma once

#include <string>
#include <vector>

namespace compilescope {

/// Executes this program again (/proc/self/exe) with `arguments`, arguments[0] being its name, in place of this
/// process: same pid, same standard streams, every thread gone. Returns only when exec failed, with errno set.
void run_afresh(std::vector<std::string> arguments);

/// The folder of this program's executable (/proc/self/exe), where its sibling programs are; "" when unknown.
std::string executable_directory();

} // namespace compilescope
