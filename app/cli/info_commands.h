// The commands that describe rather than measure: `list`, `env` and `--version`.
#pragma once

#include "compilescope/types.h"

#include <ostream>
#include <string>

namespace compilescope::cli {

/// Workloads with their phases, presets with their configurations, and the variants of every device with their
/// availability and the reason or caveat. `json`: one JSON object instead of text.
void list_command(bool json, std::ostream& out);

/// Every Environment field, after applying `allocator` so that the allocator line says what a run would use.
void env_command(bool json, AllocatorPolicy allocator, std::ostream& out);

/// "compilescope-cli 0.1.0 (git 0123abcd4567)" and the LibTorch version, for --version.
std::string version_text();

} // namespace compilescope::cli
